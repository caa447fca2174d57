"""Hostile values never change a letter's shape or reach an output as control characters
(issue 16, points 2 and 3).

One payload list (``tests/payloads.py``) goes through the multi-line fields a claim allows
and, for the renderers' own defence, through one-line fields of a claim changed after its
checks ran; every output format (text, Markdown, HTML, PDF, the terminal) is checked with
each. Markdown is parsed with a real CommonMark parser and must have exactly the blocks of
the same letter with a harmless value.
"""

from __future__ import annotations

import io
import re
from datetime import date

import attrs
import pytest
from markdown_it import MarkdownIt

from denialkit.claim import Claim
from denialkit.cli._common import terminal
from denialkit.letters import Letter, appeal
from denialkit.render import render_docx, render_html, render_markdown, render_pdf, render_text
from payloads import ALL, CONTROLS, LINE_BREAKS, MARKDOWN, payload_id, tampered

WHEN = date(2026, 11, 2)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
HARMLESS = "Plain value"


def _multi_line(claim: Claim, value: str) -> Claim:
    """``value`` in every field that may span lines (the claim's own checks pass)."""
    return claim.evolve(
        provider=attrs.evolve(claim.provider, address=f"12 Orchard Road\n{value}"),
        payer=attrs.evolve(claim.payer, appeals_address=f"PO Box 1\n{value}"),
        denial=attrs.evolve(claim.denial, reason=f"Not covered {value}"),
    )


def _one_line(claim: Claim, value: str) -> Claim:
    """``value`` in one-line fields, set after the checks ran (as a hostile caller could)."""
    return claim.evolve(
        patient=tampered(claim.patient, name=f"Zoë {value}"),
        payer=tampered(claim.payer, name=f"Acme {value}"),
        provider=tampered(claim.provider, signer_title=f"Manager {value}"),
    )


def _blocks(markdown: str) -> list[tuple[str, int]]:
    """The block structure of Markdown: each block token's type and nesting level."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(t.type, t.level) for t in tokens if t.type != "inline"]


def _docx_text(data: bytes) -> str:
    """The text of a Word document as stored (every character of document.xml's runs)."""
    import html
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))


def _letter(claim: Claim) -> Letter:
    return appeal("CCM21", claim, letter_date=WHEN)


MULTI_LINE_SAFE = [p for p in ALL if not CONTROL.search(p.replace("\n", "").replace("\t", ""))]


@pytest.mark.parametrize("payload", MULTI_LINE_SAFE, ids=payload_id)
def test_a_multi_line_value_never_changes_the_letters_shape(ccm21: Claim, payload: str) -> None:
    base = _letter(_multi_line(ccm21, HARMLESS))
    letter = _letter(_multi_line(ccm21, payload))
    # the text: the same paragraphs, each part where it was
    assert letter.text.count("\n\n") == base.text.count("\n\n")
    assert [p for p, _, _ in letter.spans] == [p for p, _, _ in base.spans]
    assert "" not in letter.sender and "" not in letter.recipient
    # Markdown: the same blocks (no heading, list, code block, quote or rule from a value)
    assert _blocks(render_markdown(letter)) == _blocks(render_markdown(base))


@pytest.mark.parametrize("payload", ALL, ids=payload_id)
def test_a_one_line_value_changed_after_its_checks_stays_inside_its_block(
    ccm21: Claim, payload: str
) -> None:
    base = _letter(_one_line(ccm21, HARMLESS))
    letter = _letter(_one_line(ccm21, payload))
    assert _blocks(render_markdown(letter)) == _blocks(render_markdown(base))


@pytest.mark.parametrize("payload", ALL, ids=payload_id)
def test_no_output_format_carries_a_control_character(ccm21: Claim, payload: str) -> None:
    from pypdf import PdfReader

    claim = ccm21.evolve(  # every kind of field, set after the checks ran
        provider=tampered(ccm21.provider, address=f"12 Orchard Road\n{payload}"),
        denial=tampered(ccm21.denial, reason=f"Not covered {payload}"),
    )
    letter = _letter(_one_line(claim, payload))
    outputs = {
        "text": render_text(letter),
        "text-wrapped": render_text(letter, width=60),
        "md": render_markdown(letter),
        "html": render_html(letter),
        "pdf": "".join(
            page.extract_text() or "" for page in PdfReader(io.BytesIO(render_pdf(letter))).pages
        ),
        "docx": _docx_text(render_docx(letter)),
    }
    for fmt, out in outputs.items():
        found = CONTROL.findall(out)
        assert found == [], (fmt, found)


@pytest.mark.parametrize("payload", ALL, ids=payload_id)
def test_the_terminal_sees_every_control_character_as_a_visible_escape(payload: str) -> None:
    shown = terminal(payload)
    assert CONTROL.search(shown) is None
    assert "\x1b" not in shown and "\u202e" not in shown
    cell = terminal(payload, lines=False)
    assert "\n" not in cell and "\t" not in cell and CONTROL.search(cell) is None
    if payload in CONTROLS and "\t" not in payload:
        assert "\\x" in shown


@pytest.mark.parametrize("payload", MARKDOWN, ids=payload_id)
def test_markdown_escapes_line_leading_syntax_on_every_line(payload: str) -> None:
    from denialkit.render import _md

    html = MarkdownIt("commonmark").render(_md(payload))
    assert html.startswith("<p>") and html.count("<p>") == 1, html
    for tag in ("<h1", "<h2", "<ol", "<ul", "<pre", "<blockquote", "<hr", "<table", "<div"):
        assert tag not in html


@pytest.mark.parametrize("payload", LINE_BREAKS, ids=payload_id)
def test_the_payer_name_injection_of_the_issue_cannot_happen(ccm21: Claim, payload: str) -> None:
    from denialkit.exceptions import ClaimDataError

    with pytest.raises(ClaimDataError, match=r"payer\.name: must be one line"):
        ccm21.evolve(payer=attrs.evolve(ccm21.payer, name=payload))
    data = ccm21.to_dict()
    data["payer"]["name"] = payload
    with pytest.raises(ClaimDataError, match=r"payer\.name: must be one line"):
        Claim.from_dict(data)


def test_the_remit_table_shows_a_hostile_clp01_as_visible_escapes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from denialkit import remit
    from denialkit.cli import main

    hostile = b"\x1b]0;PWNED\x07\x1b[2J"
    raw = remit.sample().replace(b"CLP*PCN1001", b"CLP*" + hostile)
    assert hostile in raw
    path = tmp_path / "hostile.835"
    path.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    assert main(["remit", str(path), "--format", "table"], stdout=out, stderr=err) == 0
    assert CONTROL.search(out.getvalue()) is None and CONTROL.search(err.getvalue()) is None
    assert "\\x1b]0;PW" in out.getvalue()


def test_templates_show_prints_control_characters_as_escapes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from denialkit.cli import main

    (tmp_path / "builtin").mkdir()
    (tmp_path / "builtin" / "generic.txt.j2").write_text(
        "{% block argument %}Fine\x1b[2J\x07{% endblock %}{% block request %}{% endblock %}",
        "utf-8",
    )
    out = io.StringIO()
    code = main(
        ["templates", "show", "builtin/generic.txt.j2", "--templates-dir", str(tmp_path)],
        stdout=out,
        stderr=io.StringIO(),
    )
    assert code == 0
    assert "\x1b" not in out.getvalue() and "Fine\\x1b[2J\\x07" in out.getvalue()
