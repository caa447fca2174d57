"""Template safety (shared/reference/security.md): the payload list in both modes, the CVE
probes, the caps on output size, arithmetic and render time, and errors without values."""

from __future__ import annotations

import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

import attrs
import jinja2
import markupsafe
import pytest
from jinja2.exceptions import SecurityError

from denialkit.claim import Claim, ServiceLine
from denialkit.exceptions import TemplateNotFoundError, TemplateRenderError
from denialkit.letters import appeal
from denialkit.render import render_html, render_markdown
from denialkit.templates import StringTemplate, TemplatePack, TemplateRegistry

# security.md section 1.5, every payload as written there
PAYLOADS = [
    "{{7*7}}",
    "{{7*'7'}}",
    "{{4*4}}[[5*5]]",
    "${7*7}",
    "${{7*7}}",
    "<%= 7*7 %>",
    "#{7*7}",
    "@(1+2)",
    "{{config.items()}}",
    "{{ request }}",
    "{{self}}",
    "{% debug %}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__[\"os\"].popen('id').read() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[2].__subclasses__() }}",
    "{{ [].class.base.subclasses() }}",
    '{% for x in ().__class__.__base__.__subclasses__() %}{% if "warning" in x.__name__ %}...'
    "{%endif%}{% endfor %}",
    '{{request|attr("__class__")}}',
    '{{request|attr(["_"*2,"class","_"*2]|join)}}',
    "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|...}}",
    '{{ "{0.__call__.__builtins__[__import__]}" | attr("format")(not_here) }}',
    '{% set ns = namespace(run="{0.__call__.__builtins__[__import__]}".format) %}'
    "{{ ns | run(not_here) }}",
    "{{ [].append(1) }}",
    "{{ range(10**9) }}",
    "{{ ('a' * 10**7) }}",
    "{{ 2**4096 }}",
]

# Mode B outcomes that are allowed: arithmetic, and other engines' syntax left literal
RENDERS = {
    "{{7*7}}": "49",
    "{{7*'7'}}": "7777777",
    "{{4*4}}[[5*5]]": "16[[5*5]]",
    "${7*7}": "${7*7}",
    "${{7*7}}": "$49",
    "<%= 7*7 %>": "<%= 7*7 %>",
    "#{7*7}": "#{7*7}",
    "@(1+2)": "@(1+2)",
}

LETTER_DATE = date(2026, 11, 2)


def _everywhere(claim: Claim, payload: str) -> Claim:
    """The claim with the payload in every free-text field and fact."""
    facts = {k: (payload if isinstance(v, str) else v) for k, v in claim.facts.items()}
    return claim.evolve(
        claim_number=payload,
        patient=attrs.evolve(claim.patient, name=payload, member_id=payload, group_number=payload),
        provider=attrs.evolve(
            claim.provider, name=payload, address=payload, signer_name=payload, signer_title=payload
        ),
        payer=attrs.evolve(claim.payer, name=payload, appeals_address=payload),
        # G2214 (collaborative care) keeps the digits "49" of 99492 out of the letter
        services=tuple(
            attrs.evolve(s, code="G2214", description=payload, diagnoses=(payload,))
            for s in claim.services
        ),
        denial=attrs.evolve(claim.denial, reason=payload),
        facts=facts,
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_mode_a_payload_in_claim_values_comes_out_literally(ccm21: Claim, payload: str) -> None:
    claim = _everywhere(ccm21, payload)
    letter = appeal("CCM21", claim, letter_date=LETTER_DATE)
    text = letter.text
    subject = dict(letter.subject)
    assert subject["Beneficiary"] == payload
    assert subject["Medicare number"] == payload
    assert subject["Claim number"] == payload
    assert letter.sender[0] == payload
    assert letter.recipient == (payload, payload)
    assert letter.signature[:3] == (payload, payload, payload)
    assert f'The notice gives this reason: "{payload}"' in letter.denial
    argument = "\n".join(letter.argument)
    for fact in ("rating_scale", "care_manager_name", "psychiatric_consultant_name"):
        assert payload in argument, fact
    # nothing was evaluated, nothing rendered twice
    for evaluated in ("49", "7777777", "uid=", "<class", "__builtins__'", "TemplateReference"):
        if evaluated not in payload:
            assert evaluated not in text
    assert text.count(payload) >= 10
    # the other formats escape the same values instead of interpreting them
    html = render_html(letter)
    assert str(markupsafe.escape(payload)) in html
    if "<" in payload or '"' in payload:
        assert payload not in html
    md = render_markdown(letter)
    for evaluated in ("49", "7777777"):
        assert evaluated not in md


def test_mode_a_the_validator_flags_template_syntax_in_values(ccm21: Claim) -> None:
    claim = _everywhere(ccm21, "{{7*7}}")
    report = appeal("CCM21", claim, letter_date=LETTER_DATE).report
    assert not report.ok


@pytest.mark.parametrize("payload", PAYLOADS)
def test_mode_b_payload_as_template_source_raises_or_stays_harmless(
    ccm21: Claim, payload: str
) -> None:
    template = StringTemplate(payload)
    if payload in RENDERS:
        letter = appeal("CCM21", ccm21, template=template, letter_date=LETTER_DATE)
        assert letter.argument == (RENDERS[payload],)
        assert letter.template == "<string>"
    else:
        with pytest.raises(TemplateRenderError) as err:
            appeal("CCM21", ccm21, template=template, letter_date=LETTER_DATE)
        assert str(err.value).startswith("<string>")


def _probe_env(undefined: type[jinja2.Undefined]) -> jinja2.Environment:
    """denialkit's own sandbox, plus the pieces Jinja's CVE regression tests need."""
    from denialkit.templates import _Sandbox

    env = _Sandbox(None)
    env.undefined = undefined
    env.globals["namespace"] = jinja2.utils.Namespace
    env.filters["attr"] = jinja2.filters.FILTERS["attr"]
    env.filters["run"] = lambda value, arg: value.run(arg)  # test-only, as in Jinja's tests
    return env


@pytest.mark.parametrize("undefined", [jinja2.Undefined, jinja2.StrictUndefined])
@pytest.mark.parametrize(
    "source",
    [
        '{{ "{0.__call__.__builtins__[__import__]}" | attr("format")(not_here) }}',
        '{% set ns = namespace(run="{0.__call__.__builtins__[__import__]}".format) %}'
        "{{ ns | run(not_here) }}",
    ],
)
def test_cve_format_method_breakouts_are_blocked(
    source: str, undefined: type[jinja2.Undefined]
) -> None:
    env = _probe_env(undefined)
    with pytest.raises((SecurityError, jinja2.UndefinedError)):
        env.from_string(source).render()


def test_template_names_never_come_from_data() -> None:
    reg = TemplateRegistry(plugins=False)
    for name in ['x"{}.txt.j2', "../pack.toml", "builtin/../../etc/passwd", "{{7*7}}"]:
        with pytest.raises(TemplateNotFoundError):
            reg.get(name)


def test_jinja_is_recent_enough() -> None:
    parts = tuple(int(p) for p in version("jinja2").split(".")[:3])
    assert parts >= (3, 1, 6)


# ------------------------------------------------------------------ the caps


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * 10**7 }}",
        "{{ [0] * 10**6 }}",
        "{{ 2**4096 }}",
        "{{ (10**1000) * (10**1000) }}",
        "{{ range(10**9)|list }}",
        "{{ 'a'.ljust(10**8) }}",
        "{{ 'a'.center(10**8) }}",
        "{{ '{:>99999999}'.format(1) }}",
        "{{ '{:>{w}}'.format(1, w=10**8) }}",
        "{{ '%s' % 1 }}",
        "{{ ('a' * 10000)|replace('', 'b' * 10000) }}",
        "{{ ('a' * 10000).replace('', 'b' * 10000) }}",
        "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s }}{% endmacro %}{{ d('ab', 40) }}",
        "{% set x = [].append(1) %}",
        "{% set d = {} %}{{ d.update(a=1) }}",
        "{{ lipsum() }}",
        "{{ cycler(1, 2) }}",
        "{{ joiner() }}",
        "{{ namespace() }}",
        "{{ 'x'|attr('upper') }}",
        "{{ 'x'|center(10) }}",
        "{{ 'x'|format }}",
    ],
)
def test_resource_and_surface_caps(ccm21: Claim, source: str) -> None:
    with pytest.raises(TemplateRenderError):
        appeal("CCM21", ccm21, template=StringTemplate(source), letter_date=LETTER_DATE)


def test_plain_arithmetic_and_small_strings_still_work(ccm21: Claim) -> None:
    template = StringTemplate("{{ 2**10 }} {{ 'ab' * 3 }} {{ 7 // 2 }} {{ 10 % 3 }}")
    letter = appeal("CCM21", ccm21, template=template, letter_date=LETTER_DATE)
    assert letter.argument == ("1024 ababab 3 1",)


@pytest.mark.parametrize(
    "source",
    [
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "{% for a in 'x' * 99999 %}{% for b in 'x' * 99999 %}{% endfor %}{% endfor %}",
    ],
)
def test_render_time_is_bounded(ccm21: Claim, source: str) -> None:
    reg = TemplateRegistry(plugins=False, timeout=0.3)
    started = time.perf_counter()
    with pytest.raises(TemplateRenderError, match=r"longer than the 0\.3-second limit"):
        appeal("CCM21", ccm21, template=StringTemplate(source), registry=reg)
    assert time.perf_counter() - started < 5


def test_output_size_is_capped(ccm21: Claim) -> None:
    reg = TemplateRegistry(plugins=False, max_output=5000)
    source = "{% for i in range(10000) %}xxxxxxxxxx{% endfor %}"
    with pytest.raises(TemplateRenderError, match="5,000-character limit"):
        appeal("CCM21", ccm21, template=StringTemplate(source), registry=reg)
    small = appeal("CCM21", ccm21, template=StringTemplate("{{ 'x' * 100 }}"), registry=reg)
    assert small.argument == ("x" * 100,)


# ------------------------------------------------------------------ errors name template and line


def test_render_errors_name_template_and_line_never_values(make_claim) -> None:  # type: ignore[no-untyped-def]
    claim = make_claim()
    sources = [
        "first line\n\n{{ care_manager_name.__class__ }}",
        "first line\n\n{{ codes[care_manager_name] }}",
        "first line\n\n{{ care_manager_name|int + care_manager_name }}",
        "first line\n\n{{ undefined_thing }}",
        "first line\n\n{{ care_manager_name.no_such_attribute }}",
    ]
    for source in sources:
        template = StringTemplate(source, facts=("care_manager_name",))
        with pytest.raises(TemplateRenderError) as err:
            appeal("CCM21", claim, template=template, letter_date=LETTER_DATE)
        message = str(err.value)
        assert message.startswith("<string>, line 3: "), message
        assert "ZZPHI" not in message
        assert err.value.line == 3
        assert err.value.template == "<string>"


def test_undefined_names_from_the_source_are_named(ccm21: Claim) -> None:
    with pytest.raises(TemplateRenderError, match="'undefined_thing'"):
        appeal("CCM21", ccm21, template=StringTemplate("{{ undefined_thing }}"))


def test_printing_none_is_an_error_not_a_blank(ccm21: Claim) -> None:
    template = StringTemplate("{{ denial_reason }}")
    claim = ccm21.evolve(denial=attrs.evolve(ccm21.denial, reason=None))
    with pytest.raises(TemplateRenderError, match="empty value"):
        appeal("CCM21", claim, template=template, letter_date=LETTER_DATE)


def test_syntax_error_in_a_pack_template_names_file_and_line(tmp_path: Path, ccm21: Claim) -> None:
    (tmp_path / "pack.toml").write_text(
        'name = "broken"\n[templates."bad.txt.j2"]\ncodes = ["CCM21"]\n', "utf-8"
    )
    (tmp_path / "bad.txt.j2").write_text(
        "{% block argument %}\nfine\nstill fine\n{{ oops( }}\n{% endblock %}\n", "utf-8"
    )
    reg = TemplateRegistry([TemplatePack.from_directory(tmp_path)], plugins=False)
    with pytest.raises(TemplateRenderError) as err:
        appeal("CCM21", ccm21, registry=reg, letter_date=LETTER_DATE)
    assert str(err.value).startswith("broken/bad.txt.j2, line 4: template syntax error")
    assert err.value.line == 4
    assert reg.problems("broken/bad.txt.j2")[0].startswith("broken/bad.txt.j2, line 4")


def test_a_late_service_in_a_template_test_is_still_checked(ccm21: Claim) -> None:
    late = ccm21.evolve(services=(ServiceLine(code="99492", date=date(2027, 1, 1)),))
    from denialkit.exceptions import ClaimDataError

    with pytest.raises(ClaimDataError):
        appeal("CCM21", late, template=StringTemplate("x"), letter_date=LETTER_DATE)


# ------------------------------------------------------------------ links out of a directory

_BLOCKS = "{% block argument %}ARG{% endblock %}{% block request %}{% endblock %}"


def _outside(tmp_path: Path) -> Path:
    """A directory outside the template directory, with a file that must never be read."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "secret.txt").write_text("QXSECRET " + _BLOCKS, "utf-8")
    return out


def _override(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    (root / "builtin").mkdir(parents=True)
    return root


def test_an_override_template_linking_out_is_refused_not_rendered(
    tmp_path: Path, ccm21: Claim
) -> None:
    outside, root = _outside(tmp_path), _override(tmp_path)
    (root / "builtin" / "generic.txt.j2").symlink_to(outside / "secret.txt")
    reg = TemplateRegistry(override_dir=root, plugins=False)
    with pytest.raises(TemplateNotFoundError, match="link out of its template directory"):
        appeal("CCM21", ccm21, template="builtin/generic.txt.j2", registry=reg)
    with pytest.raises(TemplateNotFoundError, match="link out of its template directory"):
        reg.source("builtin/generic.txt.j2")


def test_include_through_a_directory_link_out_is_refused(tmp_path: Path, ccm21: Claim) -> None:
    outside, root = _outside(tmp_path), _override(tmp_path)
    (root / "root").symlink_to(outside, target_is_directory=True)
    (root / "builtin" / "generic.txt.j2").write_text(
        '{% block argument %}{% include "root/secret.txt" %}{% endblock %}', "utf-8"
    )
    reg = TemplateRegistry(override_dir=root, plugins=False)
    with pytest.raises(TemplateRenderError, match="link out of its template directory") as info:
        appeal("CCM21", ccm21, template="builtin/generic.txt.j2", registry=reg)
    assert "QXSECRET" not in str(info.value)


def test_include_of_the_root_of_the_file_system_is_refused(tmp_path: Path, ccm21: Claim) -> None:
    root = _override(tmp_path)
    (root / "root").symlink_to("/", target_is_directory=True)
    (root / "builtin" / "generic.txt.j2").write_text(
        '{% block argument %}{% include "root/etc/passwd" %}{% endblock %}', "utf-8"
    )
    reg = TemplateRegistry(override_dir=root, plugins=False)
    with pytest.raises(TemplateRenderError, match="link out of its template directory"):
        appeal("CCM21", ccm21, template="builtin/generic.txt.j2", registry=reg)


def test_a_pack_directory_never_follows_a_link_out(tmp_path: Path, ccm21: Claim) -> None:
    outside = _outside(tmp_path)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text(
        'name = "linked"\n[templates."letter.txt.j2"]\ngeneric = true\n', "utf-8"
    )
    (pack / "letter.txt.j2").symlink_to(outside / "secret.txt")
    loaded = TemplatePack.from_directory(pack)
    with pytest.raises(TemplateNotFoundError, match="links out of the pack's directory"):
        loaded.source("letter.txt.j2")
    reg = TemplateRegistry(packs=[loaded], plugins=False)
    with pytest.raises(TemplateNotFoundError, match="link out of its template directory"):
        appeal("CCM21", ccm21, template="linked/letter.txt.j2", registry=reg)


def test_templates_show_refuses_a_link_out(tmp_path: Path) -> None:
    import io

    from denialkit.cli import main

    outside, root = _outside(tmp_path), _override(tmp_path)
    (root / "builtin" / "generic.txt.j2").symlink_to(outside / "secret.txt")
    out, err = io.StringIO(), io.StringIO()
    args = ["templates", "show", "builtin/generic.txt.j2", "--templates-dir", str(root)]
    assert main(args, stdout=out, stderr=err) == 1
    assert "QXSECRET" not in out.getvalue() + err.getvalue()
    assert "link out of its template directory" in err.getvalue()


def test_links_that_stay_inside_the_directory_still_work(tmp_path: Path, ccm21: Claim) -> None:
    root = _override(tmp_path)
    (root / "shared").mkdir()
    (root / "shared" / "letter.txt.j2").write_text(
        "{% block argument %}Shared argument.{% endblock %}", "utf-8"
    )
    (root / "builtin" / "generic.txt.j2").symlink_to(root / "shared" / "letter.txt.j2")
    reg = TemplateRegistry(override_dir=root, plugins=False)
    letter = appeal("CCM21", ccm21, template="builtin/generic.txt.j2", registry=reg)
    assert "Shared argument." in letter.text
