"""Template packs, metadata, the resolution order, the override directory, and the declared
facts checked against what each template really uses."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

from denialkit.claim import Claim
from denialkit.codes import Category, lookup
from denialkit.exceptions import DataError, TemplateNotFoundError, TemplateRenderError
from denialkit.letters import appeal
from denialkit.templates import (
    STANDARD_NAMES,
    MissingFact,
    StringTemplate,
    TemplateMeta,
    TemplatePack,
    TemplateRegistry,
    default_registry,
)
from denialkit.testing import check_template_pack

LETTER_DATE = date(2026, 11, 2)
BUILTIN = TemplatePack.from_package("denialkit._templates")


def write_pack(root: Path, name: str, templates: dict[str, tuple[str, str]]) -> TemplatePack:
    """A pack on disk: ``templates`` maps file -> (metadata TOML lines, source)."""
    root.mkdir(parents=True, exist_ok=True)
    toml = [f'name = "{name}"']
    for file, (meta, source) in templates.items():
        toml.append(f'[templates."{file}"]')
        toml.append(textwrap.dedent(meta).strip())
        (root / file).write_text(textwrap.dedent(source), "utf-8")
    (root / "pack.toml").write_text("\n".join(toml) + "\n", "utf-8")
    return TemplatePack.from_directory(root)


ARGUE = "{% block argument %}{{ payer }} should pay: {{ why }}.{% endblock %}"


# ------------------------------------------------------------------ the built-in pack


def test_builtin_pack_covers_every_category_and_the_named_codes() -> None:
    cats = {c for m in BUILTIN.templates for c in m.categories}
    assert cats == set(Category)
    codes = {c for m in BUILTIN.templates for c in m.codes}
    assert {"16", "50", "97", "234", "197", "29", "4", "11", "22", "151", "CCM21"} <= codes
    assert [m.file for m in BUILTIN.templates if m.generic] == ["generic.txt.j2"]


@pytest.mark.parametrize("meta", BUILTIN.templates, ids=lambda m: m.file)
def test_declared_facts_match_what_each_builtin_template_uses(meta: TemplateMeta) -> None:
    """jinja2.meta.find_undeclared_variables, less the template's own top-level names, is
    exactly the standard names it reads plus its declared facts."""
    from denialkit.templates import _Sandbox

    ast = _Sandbox(None).parse(BUILTIN.source(meta.file))
    top = {
        node.target.name
        for node in ast.body
        if isinstance(node, jinja2.nodes.Assign) and isinstance(node.target, jinja2.nodes.Name)
    }
    used = jinja2.meta.find_undeclared_variables(ast) - top
    declared = set(meta.facts) | set(meta.optional_facts)
    assert used - STANDARD_NAMES == declared
    assert default_registry().problems(f"builtin/{meta.file}") == []


def test_check_template_pack_passes_the_builtin_pack() -> None:
    check_template_pack(BUILTIN)


def test_the_builtin_templates_carry_no_fill_in_blanks() -> None:
    for meta in BUILTIN.templates:
        source = BUILTIN.source(meta.file)
        for blank in ("[Insert", "[insert", "___", "[Patient", "[Date", "TODO", "lorem"):
            assert blank not in source, (meta.file, blank)


def test_every_category_letter_renders_complete(ccm21: Claim) -> None:
    reg = TemplateRegistry(plugins=False)
    for meta in BUILTIN.templates:
        letter = appeal(
            "CO-50", ccm21, template=f"builtin/{meta.file}", registry=reg, letter_date=LETTER_DATE
        )
        assert letter.argument, meta.file
        if not meta.facts:
            assert letter.missing == (), meta.file


def test_optional_facts_are_used_when_present_and_never_marked(ccm21: Claim) -> None:
    plain = appeal("CO-45", ccm21, letter_date=LETTER_DATE)
    assert plain.missing == ()
    argued = ccm21.evolve(facts=dict(ccm21.facts, appeal_argument="Our contract sets $98."))
    letter = appeal("CO-45", argued, letter_date=LETTER_DATE)
    assert letter.argument == ("Our contract sets $98.",)


# ------------------------------------------------------------------ metadata


def test_metadata_errors_name_the_template_and_key(tmp_path: Path) -> None:
    cases = {
        'codes = "CCM21"': "codes must be a list of strings",
        'codes = ["not a code!"]': "is not a denial code",
        'categories = ["nope"]': "is not a category slug",
        'facts = ["Bad-Name"]': "is not a lower_snake_case name",
        'facts = ["payer"]': "clashes with a standard template name",
        'colour = "red"': "unknown key(s) colour",
        'facts = ["a"]\nlabels = { b = "B" }': "not a declared fact",
    }
    for i, (line, message) in enumerate(cases.items()):
        root = tmp_path / f"p{i}"
        root.mkdir()
        (root / "t.txt.j2").write_text(ARGUE, "utf-8")
        (root / "pack.toml").write_text(f'name = "p"\n[templates."t.txt.j2"]\n{line}\n', "utf-8")
        with pytest.raises(DataError) as err:
            TemplatePack.from_directory(root)
        assert "template t.txt.j2" in str(err.value) and message in str(err.value), line
        assert err.value.file == "pack.toml"


def test_a_pack_must_have_its_metadata_and_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no metadata file"):
        TemplatePack.from_directory(tmp_path)
    (tmp_path / "pack.toml").write_text('name = "p"\n[templates."gone.txt.j2"]\n', "utf-8")
    with pytest.raises(DataError, match="declared but missing"):
        TemplatePack.from_directory(tmp_path)
    (tmp_path / "pack.toml").write_text('name = "Bad Name"\n', "utf-8")
    with pytest.raises(DataError, match="name must be"):
        TemplatePack.from_directory(tmp_path)
    (tmp_path / "pack.toml").write_text("name = [", "utf-8")
    with pytest.raises(DataError, match="not valid TOML"):
        TemplatePack.from_directory(tmp_path)


def test_meta_labels_and_kinds() -> None:
    meta = default_registry().get("builtin/ccm21.txt.j2").meta
    assert meta.label("consent_date") == "consent date"
    assert meta.label("care_manager_minutes") == "care manager minutes in the month"
    assert meta.kind == "code"
    assert default_registry().get("category-coding").kind == "category"
    assert default_registry().get("generic").kind == "generic"


def test_missing_fact_marker() -> None:
    m = MissingFact("consent date")
    assert m == "[MISSING: consent date]"
    assert ", ".join(m) == "[MISSING: consent date]"


# ------------------------------------------------------------------ resolution order


def test_resolution_order(tmp_path: Path, ccm21: Claim) -> None:
    mine = write_pack(
        tmp_path / "mine",
        "mine",
        {
            "ccm.txt.j2": ('codes = ["CCM21"]\nfacts = ["why"]', ARGUE),
            "elig.txt.j2": ('categories = ["eligibility"]\nfacts = ["why"]', ARGUE),
        },
    )
    reg = TemplateRegistry([mine], plugins=False)
    # a pack before the built-in one wins with a code-specific template ...
    assert reg.resolve([lookup("CCM21")]).name == "mine/ccm.txt.j2"
    # ... and with a category template, before the built-in code-specific one
    assert reg.resolve([lookup("CO-27")]).name == "mine/elig.txt.j2"
    # the built-in pack: code-specific, then category
    assert reg.resolve([lookup("CO-50")]).name == "builtin/carc-50.txt.j2"
    assert reg.resolve([lookup("CO-45")]).name == "builtin/category-contractual.txt.j2"
    # the first code with a code-specific template decides
    assert reg.resolve([lookup("N290"), lookup("CO-16")]).name == "builtin/carc-16.txt.j2"
    # an explicit template beats everything
    letter = appeal("CCM21", ccm21, template="generic", registry=reg, letter_date=LETTER_DATE)
    assert letter.template == "builtin/generic.txt.j2"


def test_generic_is_the_last_resort_and_nothing_raises_with_what_was_searched(
    tmp_path: Path,
) -> None:
    only = write_pack(
        tmp_path / "only", "only", {"x.txt.j2": ('codes = ["CO-16"]\nfacts = ["why"]', ARGUE)}
    )
    reg = TemplateRegistry([only], plugins=False, builtin=False)
    with pytest.raises(TemplateNotFoundError) as err:
        reg.resolve([lookup("CO-50")])
    assert err.value.searched == (
        "only: code 50",
        "only: category medical-necessity",
        "only: generic",
    )
    fallback = write_pack(
        tmp_path / "fb",
        "fb",
        {"any.txt.j2": ("generic = true", "{% block argument %}Pay.{% endblock %}")},
    )
    reg = TemplateRegistry([only, fallback], plugins=False, builtin=False)
    assert reg.resolve([lookup("CO-50")]).name == "fb/any.txt.j2"


def test_unknown_template_name_lists_what_was_searched() -> None:
    with pytest.raises(TemplateNotFoundError) as err:
        default_registry().get("nope")
    assert "builtin/nope" in err.value.searched
    assert "builtin/nope.txt.j2" in err.value.searched
    assert "searched:" in str(err.value)


def test_short_names_find_templates() -> None:
    reg = default_registry()
    assert reg.get("ccm21").name == reg.get("ccm21.txt.j2").name == "builtin/ccm21.txt.j2"


def test_override_directory_shadows_a_pack_template(tmp_path: Path, ccm21: Claim) -> None:
    (tmp_path / "builtin").mkdir()
    source = (
        default_registry()
        .source("builtin/ccm21.txt.j2")
        .replace("Every element was in place", "Our own words: every element was in place")
    )
    (tmp_path / "builtin" / "ccm21.txt.j2").write_text(source, "utf-8")
    reg = TemplateRegistry(override_dir=tmp_path, plugins=False)
    letter = appeal("CCM21", ccm21, registry=reg, letter_date=LETTER_DATE)
    assert letter.template == "builtin/ccm21.txt.j2"
    assert "Our own words: every element was in place" in letter.text
    assert reg.source("builtin/ccm21.txt.j2") == source
    # the default registry is unaffected: registries share no state
    assert "Our own words" not in appeal("CCM21", ccm21, letter_date=LETTER_DATE).text


def test_override_directory_with_metadata_is_searched_first(tmp_path: Path, ccm21: Claim) -> None:
    write_pack(tmp_path, "local", {"bhi.txt.j2": ('codes = ["CCM21"]\nfacts = ["why"]', ARGUE)})
    reg = TemplateRegistry(override_dir=tmp_path, plugins=False)
    assert [p.name for p in reg.packs] == ["local", "builtin"]
    claim = ccm21.evolve(facts=dict(ccm21.facts, why="the record is complete"))
    letter = appeal("CCM21", claim, registry=reg, letter_date=LETTER_DATE)
    assert letter.template == "local/bhi.txt.j2"
    assert letter.argument == ("Medicare Part B should pay: the record is complete.",)


def test_shadowing_template_may_use_facts_the_metadata_does_not_declare(
    tmp_path: Path, ccm21: Claim
) -> None:
    (tmp_path / "builtin").mkdir()
    (tmp_path / "builtin" / "generic.txt.j2").write_text(
        "{% block argument %}Note: {{ clinic_note }}.{% endblock %}", "utf-8"
    )
    reg = TemplateRegistry(override_dir=tmp_path, plugins=False)
    claim = ccm21.evolve(facts={"clinic_note": "seen twice"})
    letter = appeal("CCM21", claim, template="generic", registry=reg, letter_date=LETTER_DATE)
    assert letter.argument == ("Note: seen twice.",)


def test_duplicate_pack_names_are_refused(tmp_path: Path) -> None:
    a = write_pack(
        tmp_path / "a", "same", {"x.txt.j2": ("generic = true", ARGUE.replace("{{ why }}", "x"))}
    )
    b = write_pack(
        tmp_path / "b", "same", {"x.txt.j2": ("generic = true", ARGUE.replace("{{ why }}", "x"))}
    )
    with pytest.raises(ValueError, match="unique"):
        TemplateRegistry([a, b], plugins=False).packs


def test_default_registry_is_one_instance_and_registries_are_independent() -> None:
    assert default_registry() is default_registry()
    assert TemplateRegistry(plugins=False) is not TemplateRegistry(plugins=False)


# ------------------------------------------------------------------ checking packs


def test_problems_finds_undeclared_and_unused_facts(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path,
        "p",
        {
            "undeclared.txt.j2": ("generic = true", ARGUE),
            "unused.txt.j2": ('codes = ["CO-16"]\nfacts = ["why", "spare"]', ARGUE),
            "noblock.txt.j2": ('codes = ["CO-50"]', "Just text, no blocks."),
            "extra.txt.j2": (
                'codes = ["CO-4"]',
                "{% block argument %}a{% endblock %}{% block footer %}b{% endblock %}",
            ),
        },
    )
    reg = TemplateRegistry([pack], plugins=False, builtin=False)
    assert reg.problems("p/undeclared.txt.j2") == [
        "p/undeclared.txt.j2: uses 'why', which is neither a standard name nor a declared fact"
    ]
    assert reg.problems("p/unused.txt.j2") == [
        "p/unused.txt.j2: declares fact 'spare' but never uses it"
    ]
    assert reg.problems("p/noblock.txt.j2") == ["p/noblock.txt.j2: has no {% block argument %}"]
    assert reg.problems("p/extra.txt.j2") == [
        "p/extra.txt.j2: block 'footer' is not a letter part (argument, request)"
    ]
    with pytest.raises(AssertionError) as err:
        check_template_pack(pack)
    message = str(err.value)
    assert "template pack 'p' has" in message
    for file in ("undeclared", "unused", "noblock", "extra"):
        assert f"p/{file}.txt.j2" in message


def test_check_template_pack_catches_templates_that_break_on_missing_facts(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path,
        "p",
        {
            "cmp.txt.j2": (
                'codes = ["CCM21"]\nfacts = ["care_manager_minutes"]',
                "{% block argument %}{% if care_manager_minutes > 20 %}enough{% endif %}"
                "{% endblock %}",
            ),
            "shout.txt.j2": (
                'codes = ["CO-16"]\nfacts = ["why"]',
                "{% block argument %}{{ why|upper }}{% endblock %}",
            ),
        },
    )
    with pytest.raises(AssertionError) as err:
        check_template_pack(pack)
    message = str(err.value)
    assert "p/cmp.txt.j2: rendering with no facts" in message
    assert "p/shout.txt.j2: marks 'WHY' missing" in message


def test_check_template_pack_rejects_other_objects() -> None:
    with pytest.raises(TypeError):
        check_template_pack("builtin")  # type: ignore[arg-type]


def test_string_templates_declare_facts(ccm21: Claim) -> None:
    template = StringTemplate(
        "{% block argument %}Minutes: {{ care_manager_minutes }}.{% endblock %}"
        "{% block request %}Pay it.{% endblock %}",
        facts=("care_manager_minutes",),
    )
    letter = appeal("CCM21", ccm21, template=template, letter_date=LETTER_DATE)
    assert letter.argument == ("Minutes: 75.",)
    assert letter.request.endswith("Pay it.")
    assert default_registry().problems(template) == []
    missing = appeal(
        "CCM21",
        ccm21.without_fact("care_manager_minutes"),
        template=template,
        letter_date=LETTER_DATE,
    )
    assert missing.missing == ("care manager minutes",)
    with pytest.raises(ValueError, match="facts are lower_snake_case names other than"):
        StringTemplate("x", facts=("payer",))


def test_registry_rejects_bad_options() -> None:
    with pytest.raises(ValueError, match="max_output must be a positive whole number"):
        TemplateRegistry(max_output=0)
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        TemplateRegistry(timeout=-1)
    with pytest.raises(TypeError):
        TemplateRegistry(override_dir=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TemplateRegistry([object()])  # type: ignore[list-item]


def test_a_template_that_fails_at_render_names_itself(tmp_path: Path, ccm21: Claim) -> None:
    pack = write_pack(
        tmp_path,
        "p",
        {"t.txt.j2": ('codes = ["CCM21"]', "{% block argument %}\n\n{{ 1 / 0 }}\n{% endblock %}")},
    )
    reg = TemplateRegistry([pack], plugins=False)
    with pytest.raises(TemplateRenderError) as err:
        appeal("CCM21", ccm21, registry=reg, letter_date=LETTER_DATE)
    assert str(err.value) == "p/t.txt.j2, line 3: rendering failed (ZeroDivisionError)"


@pytest.mark.parametrize(
    "source",
    [
        "{{ rows|selectattr('code', 'in', ['a', 'c'])|map(attribute='n')|join(',') }}",
        "{{ rows|rejectattr('code', 'eq', 'a')|map(attribute='n')|join(',') }}",
        "{{ rows|selectattr('n')|list|length }}",
        "{{ rows|selectattr('meta.kind', 'equalto', 'x')|map(attribute='code')|join }}",
        "{{ rows|sum(attribute='n') }} {{ rows|sum(attribute='n', start=10) }}",
        "{{ [1, 2, 3]|sum }} {{ 'abc'|list|join('-') }}",
        "{{ rows|selectattr('code', 'defined')|list|length }}",
    ],
)
def test_denialkit_filters_match_jinja(source: str) -> None:
    """The sandbox's own selectattr, rejectattr, sum and list give Jinja's results."""
    from denialkit.templates import _Sandbox

    rows = [
        {"code": "a", "n": 1, "meta": {"kind": "x"}},
        {"code": "b", "n": 0, "meta": {"kind": "y"}},
        {"code": "c", "n": 5, "meta": {"kind": "x"}},
    ]
    ours = _Sandbox(None).from_string(source).render(rows=rows)
    stock = jinja2.Environment().from_string(source).render(rows=rows)
    assert ours == stock


def test_a_missing_override_directory_is_an_error(tmp_path: Path) -> None:
    reg = TemplateRegistry(override_dir=tmp_path / "absent", plugins=False)
    with pytest.raises(DataError, match="override directory does not exist"):
        reg.packs
