"""Output formats: plain text, Markdown, HTML and PDF, for names such as Nguyễn and Zoë."""

from __future__ import annotations

import io
import logging
import re
from datetime import date
from html.parser import HTMLParser

import attrs
import pytest
from pypdf import PdfReader

from denialkit.claim import Claim
from denialkit.letters import Letter, appeal, example_claim
from denialkit.render import (
    FORMATS,
    render,
    render_html,
    render_markdown,
    render_pdf,
    render_text,
)

LETTER_DATE = date(2026, 11, 2)


@pytest.fixture
def letter(ccm21: Claim) -> Letter:
    return appeal("CCM21", ccm21, letter_date=LETTER_DATE)


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_text_is_the_letter_text_and_wraps_on_request(letter: Letter) -> None:
    assert render(letter) == render_text(letter) == letter.text
    wrapped = render_text(letter, width=60)
    assert max(len(line) for line in wrapped.splitlines()) <= 60
    assert " ".join(wrapped.split()) == " ".join(letter.text.split())
    assert "\n   " in wrapped  # enclosures keep a hanging indent
    with pytest.raises(ValueError, match="width must be a whole number of at least 20"):
        render_text(letter, width=5)


def test_markdown_structure(letter: Letter) -> None:
    md = render_markdown(letter)
    assert "**Re: Request for redetermination**\\\n**Beneficiary:** Zoë Nguyễn\\\n" in md
    assert "\n**Enclosures**\n\n1. Copy of the denial notice dated October 20, 2026\n2. " in md
    assert "\n- CCM21: " in md
    assert md.endswith(
        "Maria Alvarez\\\nBilling Manager\\\nValley Family Medicine\\\nNPI: 1234567893\n"
    )


def test_markdown_escapes_values(ccm21: Claim) -> None:
    name = "*Zoë* [x](javascript:alert(1)) <b>_Nguyễn_</b> # 1. | ~"
    claim = ccm21.evolve(patient=attrs.evolve(ccm21.patient, name=name))
    md = render_markdown(appeal("CCM21", claim, letter_date=LETTER_DATE))
    escaped = r"\*Zoë\* \[x\](javascript:alert(1)) \<b\>\_Nguyễn\_\</b\> # 1. \| \~"
    assert escaped in md
    assert name not in md
    # undoing the escapes gives the value back, byte for byte
    assert re.sub(r"\\(.)", r"\1", escaped) == name


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_a_print_ready_page(letter: Letter) -> None:
    page = render_html(letter)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in page
    assert "@page { size: letter; margin: 1in; }" in page
    assert "@media print" in page
    parsed = _Collect()
    parsed.feed(page)
    text = "".join(parsed.text)
    assert "Zoë Nguyễn" in text and "26274801234500" in text
    assert parsed.tags.count("ol") == 1
    assert parsed.tags.count("li") == len(letter.enclosures) + 2  # 2 bullets in the body
    assert '<time datetime="2026-11-02">November 2, 2026</time>' in page


def test_html_escapes_values_and_highlights_missing_facts(ccm21: Claim) -> None:
    name = "<script>alert('x')</script> O'Brien & Sons"
    claim = ccm21.evolve(patient=attrs.evolve(ccm21.patient, name=name)).without_fact(
        "consent_date"
    )
    page = render_html(appeal("CCM21", claim, letter_date=LETTER_DATE))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; O&#39;Brien &amp; Sons" in page
    assert '<mark class="missing">[MISSING: consent date]</mark>' in page


@pytest.mark.parametrize("code", ["CCM21", "CO-197"])
def test_pdf_text_holds_claim_number_and_patient_name(code: str) -> None:
    claim = example_claim(code)
    letter = appeal(code, claim, letter_date=LETTER_DATE)
    data = render_pdf(letter)
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    assert claim.claim_number in text
    assert claim.patient.name in text  # "Zoë Nguyễn", "Luis García"
    assert "Request for" in text
    assert "Copy of the denial notice" in text


def test_pdf_survives_text_its_font_cannot_draw(ccm21: Claim) -> None:
    name = "Zoë 💥 Nguyễn\u202e\u200b"
    claim = ccm21.evolve(patient=attrs.evolve(ccm21.patient, name=name))
    text = _pdf_text(render_pdf(appeal("CCM21", claim, letter_date=LETTER_DATE)))
    assert "Zoë ? Nguyễn" in text
    assert "\u202e" not in text


def test_pdf_draws_a_tab_as_a_space_and_logs_nothing(
    ccm21: Claim, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    claim = ccm21.evolve(denial=attrs.evolve(ccm21.denial, reason="Missing\tconsent"))
    text = _pdf_text(render_pdf(appeal("CCM21", claim, letter_date=LETTER_DATE)))
    assert "Missing consent" in text
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_pdf_normalises_decomposed_accents(ccm21: Claim) -> None:
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, not the single ễ
    claim = ccm21.evolve(patient=attrs.evolve(ccm21.patient, name=decomposed))
    assert "Nguyễn" in _pdf_text(render_pdf(appeal("CCM21", claim, letter_date=LETTER_DATE)))


def test_render_checks_its_arguments(letter: Letter) -> None:
    assert FORMATS == ("text", "md", "html", "pdf", "docx")
    assert render(letter, "markdown") == render(letter, "md")
    with pytest.raises(ValueError, match="unknown format"):
        render(letter, "odt")  # type: ignore[call-overload]
    for fn in (render_text, render_markdown, render_html, render_pdf):
        with pytest.raises(TypeError):
            fn("not a letter")  # type: ignore[arg-type]
