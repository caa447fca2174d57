"""Plugin template packs, installed for real with pip and discovered through entry points."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from denialkit.exceptions import PluginLoadError
from denialkit.letters import appeal, example_claim
from denialkit.templates import ENTRY_POINT_GROUP, TemplatePack, TemplateRegistry, default_registry
from denialkit.testing import check_template_pack

HERE = Path(__file__).resolve().parent
LETTER_DATE = date(2026, 11, 2)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def example_pack(
    tmp_path_factory: pytest.TempPathFactory,
    pip_install: Callable[[Path, Path], None],
    plugin_path: Callable[[Path, str], Iterator[Path]],
) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("example-site")
    pip_install(HERE / "example-pack", target)
    # the default registry is built before the plugin is visible, so it never holds it
    default_registry().packs
    yield from plugin_path(target, "denialkit_example_pack")


@pytest.fixture
def broken_pack(
    tmp_path_factory: pytest.TempPathFactory,
    pip_install: Callable[[Path, Path], None],
    plugin_path: Callable[[Path, str], Iterator[Path]],
) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("broken-site")
    pip_install(HERE / "broken-pack", target)
    # the default registry is built before the plugin is visible, so it never holds it
    default_registry().packs
    yield from plugin_path(target, "denialkit_broken_pack")


def test_installed_pack_is_found_by_its_entry_point(example_pack: Path) -> None:
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert "example" in found
    assert found["example"].dist is not None
    assert found["example"].dist.name == "denialkit-example-pack"
    reg = TemplateRegistry()
    assert [p.name for p in reg.packs] == ["example", "builtin"]
    names = [t.name for t in reg.templates()]
    assert names[:2] == ["example/therapy-necessity.txt.j2", "example/eligibility.txt.j2"]


def test_installed_pack_serves_a_letter(example_pack: Path) -> None:
    reg = TemplateRegistry()
    claim = example_claim("CO-50")
    claim = claim.evolve(
        facts={
            "functional_goal": "standing for thirty minutes to return to work",
            "progress_measure": "standing time rose from ten to twenty-five minutes",
        }
    )
    letter = appeal("CO-50", claim, registry=reg, letter_date=LETTER_DATE)
    assert letter.template == "example/therapy-necessity.txt.j2"
    assert letter.missing == ()
    assert "standing for thirty minutes to return to work" in letter.text
    assert "- 97110 on September 10, 2026, 4 units." in letter.text
    assert letter.request.endswith("Please pay the therapy visits billed.")
    # the pack's own metadata labels its facts
    short = appeal(
        "CO-50", claim.without_fact("progress_measure"), registry=reg, letter_date=LETTER_DATE
    )
    assert short.missing == ("measured progress",)
    # its category template beats the built-in code-specific ones of that category
    assert (
        reg.resolve([__import__("denialkit").lookup("CO-27")]).name == "example/eligibility.txt.j2"
    )
    # codes it does not serve still get the built-in letters
    assert (
        appeal("CCM21", example_claim("CCM21"), registry=reg, letter_date=LETTER_DATE).template
        == "builtin/ccm21.txt.j2"
    )


def test_installed_pack_passes_the_public_checker(example_pack: Path) -> None:
    module = importlib.import_module("denialkit_example_pack")
    pack = module.pack()
    assert isinstance(pack, TemplatePack)
    check_template_pack(pack)


def test_registry_without_plugins_ignores_the_pack(example_pack: Path) -> None:
    assert [p.name for p in TemplateRegistry(plugins=False).packs] == ["builtin"]


def test_broken_pack_raises_plugin_load_error_naming_dist_and_entry_point(
    broken_pack: Path,
) -> None:
    reg = TemplateRegistry()
    with pytest.raises(PluginLoadError) as err:
        reg.packs
    assert str(err.value).startswith("denialkit-broken-pack[broken]: ")
    assert err.value.distribution == "denialkit-broken-pack"
    assert err.value.entry_point == "broken"
    assert isinstance(err.value.__cause__, ModuleNotFoundError)
    # appeal() through that registry raises the same error, it never skips the pack
    with pytest.raises(PluginLoadError):
        appeal("CO-50", example_claim("CO-50"), registry=reg, letter_date=LETTER_DATE)


def test_entry_point_of_the_wrong_type(
    tmp_path: Path, plugin_path: Callable[[Path, str], Iterator[Path]]
) -> None:
    """A distribution on sys.path whose entry point names something that is not a pack."""
    (tmp_path / "wrongpack.py").write_text("pack = {'not': 'a pack'}\n", "utf-8")
    info = tmp_path / "wrongpack-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wrongpack\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nwrong = wrongpack:pack\n")
    default_registry().packs
    for _ in plugin_path(tmp_path, "wrongpack"):
        with pytest.raises(PluginLoadError, match=r"^wrongpack\[wrong\]: .*TemplatePack, not dict"):
            TemplateRegistry().packs
