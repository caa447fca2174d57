"""Third-party rules through the ``denialkit.rules`` entry point, installed for real with pip."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from denialkit.exceptions import PluginLoadError, RuleError
from denialkit.validation import ENTRY_POINT_GROUP, Validator, default_validator

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def example_rules(
    tmp_path_factory: pytest.TempPathFactory,
    pip_install: Callable[[Path, Path], None],
    plugin_path: Callable[[Path, str], Iterator[Path]],
) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("example-rules-site")
    pip_install(HERE / "example-rules", target)
    default_validator()  # built before the plugin is visible, so it never holds it
    yield from plugin_path(target, "denialkit_example_rules")


@pytest.fixture
def broken_rules(
    tmp_path_factory: pytest.TempPathFactory,
    pip_install: Callable[[Path, Path], None],
    plugin_path: Callable[[Path, str], Iterator[Path]],
) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("broken-rules-site")
    pip_install(HERE / "broken-rules", target)
    default_validator()  # built before the plugin is visible, so it never holds it
    yield from plugin_path(target, "denialkit_broken_rules")


def _fake_distribution(target: Path, name: str, module: str, body: str) -> None:
    """A distribution written by hand (as an installer would) with one rules entry point."""
    info = target / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nrules = {module}:rules\n")
    (target / f"{module}.py").write_text(body)


@pytest.fixture
def fake_site(tmp_path: Path, plugin_path: Callable[[Path, str], Iterator[Path]]) -> Iterator[Path]:
    default_validator()  # built before the plugin is visible, so it never holds it
    yield from plugin_path(tmp_path, "dk_fake_")


def test_installed_rules_are_found_by_their_entry_point(example_rules: Path) -> None:
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert found["tone"].dist is not None
    assert found["tone"].dist.name == "denialkit-example-rules"
    v = Validator()
    assert {"EXR001", "EXR002"} <= set(v.ids)
    assert "DK101" in v.ids


def test_installed_rules_report_findings(example_rules: Path, text: str) -> None:
    v = Validator()
    edited = text.replace("Sincerely,", "PLEASE PAY THIS CLAIM NOW!\n\nSincerely,")
    found = v.check(edited).by_rule()
    (shout,) = found["EXR001"]
    (bang,) = found["EXR002"]
    line = edited[: edited.index("PLEASE")].count("\n") + 1
    assert (shout.location.line, shout.location.column) == (line, 1)
    assert shout.severity.value == "warning" and bang.severity.value == "info"
    assert v.check(edited).ok  # plugin warnings do not block the letter
    assert "EXR001" not in Validator(plugins=False).check(edited).by_rule()
    assert "EXR001" not in Validator(disable=["EXR001"]).check(edited).by_rule()


def test_the_default_validator_is_not_changed_by_a_later_install(example_rules: Path) -> None:
    assert "EXR001" not in default_validator().ids


def test_a_plugin_that_fails_to_load_is_named_with_its_cause(broken_rules: Path) -> None:
    with pytest.raises(PluginLoadError) as info:
        Validator()
    err = info.value
    assert str(err).startswith("denialkit-broken-rules[broken]: loading the rules failed")
    assert (err.distribution, err.entry_point) == ("denialkit-broken-rules", "broken")
    assert isinstance(err.__cause__, RuntimeError)
    Validator(plugins=False)  # the built-in rules still work without plugins


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules = 42\n", "expected a denialkit.validation.Rule, got int"),
        (
            "from denialkit.validation import Rule, Severity\n"
            "class R(Rule):\n"
            "    id = 'DK999'; slug = 'mine'; severity = Severity.INFO\n"
            "    summary = 's'; hint = 'h'\n"
            "rules = [R]\n",
            "rule id DK999 uses the prefix DK, which is reserved for denialkit",
        ),
        (
            "from denialkit.validation import Rule\n"
            "class R(Rule):\n"
            "    id = 'bad id'; slug = 'mine'; summary = 's'; hint = 'h'\n"
            "rules = R()\n",
            "the rule id must be",
        ),
    ],
    ids=["not-a-rule", "reserved-prefix", "bad-id"],
)
def test_plugins_that_provide_bad_rules_are_refused(
    fake_site: Path, body: str, message: str
) -> None:
    _fake_distribution(fake_site, "dk-fake-rules", "dk_fake_rules", body)
    with pytest.raises(PluginLoadError, match="dk-fake-rules\\[rules\\]") as info:
        Validator()
    assert message in str(info.value)


def test_two_plugins_cannot_share_a_rule_id(fake_site: Path) -> None:
    body = (
        "from denialkit.validation import Rule, Severity\n"
        "class R(Rule):\n"
        "    id = 'ACME001'; slug = 'mine'; severity = Severity.INFO\n"
        "    summary = 's'; hint = 'h'\n"
        "    def check(self, doc):\n"
        "        return ()\n"
        "rules = [R(), R()]\n"
    )
    _fake_distribution(fake_site, "dk-fake-twice", "dk_fake_twice", body)
    with pytest.raises(PluginLoadError) as info:
        Validator()
    assert str(info.value) == (
        "dk-fake-twice[rules]: rule id ACME001 is already used by another rule; ids must be unique"
    )


def test_a_plugin_rule_that_fails_while_checking_is_named_with_its_cause(fake_site: Path) -> None:
    body = (
        "from denialkit.validation import Rule, Severity\n"
        "class R(Rule):\n"
        "    id = 'ACME002'; slug = 'fails'; severity = Severity.INFO\n"
        "    summary = 's'; hint = 'h'\n"
        "    def check(self, doc):\n"
        "        raise RuntimeError(doc.text)\n"
        "rules = [R()]\n"
    )
    _fake_distribution(fake_site, "dk-fake-fails", "dk_fake_fails", body)
    v = Validator()
    with pytest.raises(RuleError) as info:
        v.check("Patient: Jane Sentinel-Roe\n")
    err = info.value
    assert str(err) == (
        "rule ACME002 from dk-fake-fails[rules] raised RuntimeError while checking a letter; "
        "fix the rule or disable it"
    )
    assert (err.rule_id, err.distribution, err.entry_point) == ("ACME002", "dk-fake-fails", "rules")
    assert isinstance(err.__cause__, RuntimeError)
    assert "Sentinel" not in str(err)
    assert Validator(disable=["ACME002"]).check("Patient: Jane Sentinel-Roe\n").findings
