"""Letters as word processors, e-mail programs, PDF copies and other systems type them.

Real letters rarely reach the validator as the ASCII their author typed: Word makes quotes
curly and `` - `` an en dash, an e-mail program pastes spaces that do not break, a PDF copy
keeps non-breaking hyphens and bullets. Each case here retypes whole letters one such way and
asserts the validator's verdict does not change: no error appears on a good letter, no
defect disappears from a bad one, and findings point at the same places.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import denialkit
from denialkit.letters import appeal, example_claim, example_codes
from denialkit.validation import Validator, check

from .conftest import LETTER_DAY

LETTERS = Path(__file__).with_name("letters")
MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"


def _curly(text: str) -> str:
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'(?=\w)", "\u2018", text)
    text = re.sub(r'"(?=\w)', "\u201c", text)
    return text.replace('"', "\u201d")


#: One way of retyping a letter each, as the program named would.
RETYPED: dict[str, Callable[[str], str]] = {
    # Word's autocorrect
    "curly quotes": _curly,
    "en dash for a spaced hyphen": lambda t: t.replace(" - ", " \u2013 "),
    "en dash in group codes": lambda t: re.sub(r"\b(CO|PR|OA|PI|CR)-(?=\w)", "\\1\u2013", t),
    "bullet for a hyphen item": lambda t: re.sub(r"(?m)^(\s*)- ", "\\1\u2022 ", t),
    # e-mail programs and HTML copied as text
    "no-break space after colons": lambda t: t.replace(": ", ":\u00a0"),
    "no-break space in dates": lambda t: re.sub(f"({MONTH}) (?=\\d)", "\\1\u00a0", t),
    "no-break space everywhere": lambda t: t.replace(" ", "\u00a0"),
    "narrow no-break space everywhere": lambda t: t.replace(" ", "\u202f"),
    # PDF copies
    "non-breaking hyphen between digits": lambda t: re.sub(r"(?<=\w)-(?=\d)", "\u2011", t),
    "minus sign in group codes": lambda t: re.sub(r"\b(CO|PR|OA|PI|CR)-(?=\w)", "\\1\u2212", t),
    "byte-order mark": lambda t: "\ufeff" + t,
    # line ends of other systems
    "carriage returns alone (old Mac)": lambda t: t.replace("\n", "\r"),
    "Unicode line separators": lambda t: t.replace("\n", "\u2028"),
    # a letter forwarded in an e-mail reply
    "quoted in a reply": lambda t: re.sub(r"(?m)^", "> ", t),
    # layouts: double-spaced copies, no blank lines, indented, trailing spaces
    "double-spaced": lambda t: t.replace("\n", "\n\n"),
    "double-spaced with CRLF": lambda t: t.replace("\n", "\r\n\r\n"),
    "no blank lines": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "indented": lambda t: re.sub(r"(?m)^(?=.)", "    ", t),
    "trailing spaces": lambda t: t.replace("\n", " \t\n"),
}


#: The ways that keep each line of the letter a line, at its place (the others add or remove
#: lines, or characters at the start of each line).
SAME_PLACES = set(RETYPED) - {
    "double-spaced", "double-spaced with CRLF", "no blank lines", "indented",
}  # fmt: skip


def _corpus(good: bool) -> list[str]:
    """The names of the good letters (no error, no defect to find), or of the others."""
    names = []
    for path in sorted(LETTERS.glob("*.txt")):
        expect = tomllib.loads(path.with_suffix(".toml").read_text("utf-8"))
        if (not expect.get("find") and not expect["errors"]) == good:
            names.append(path.stem)
    return names


def _expect(name: str) -> dict[str, object]:
    return tomllib.loads((LETTERS / f"{name}.toml").read_text("utf-8"))


def _shown(report: denialkit.validation.Report) -> set[tuple[str, int | None, int | None]]:
    return {(f.rule_id, f.location.line, f.location.column) for f in report.findings}


def _lines(report: denialkit.validation.Report) -> set[tuple[str, int | None, int | None]]:
    return {(f.rule_id, f.location.line, None) for f in report.findings}


GOOD = [n for n in _corpus(good=True) if not n.startswith("template-")]
DEFECTIVE = _corpus(good=False)


def test_the_corpus_split_is_real() -> None:
    assert len(GOOD) >= 40 and len(DEFECTIVE) >= 20


@pytest.mark.parametrize("way", RETYPED)
@pytest.mark.parametrize("name", GOOD)
def test_a_good_letter_retyped_stays_good(name: str, way: str) -> None:
    text = (LETTERS / f"{name}.txt").read_text("utf-8")
    retyped = RETYPED[way](text)
    report = Validator(today=LETTER_DAY).check(retyped, codes=_expect(name).get("codes"))  # type: ignore[arg-type]
    assert report.errors == (), [str(f) for f in report.errors]


@pytest.mark.parametrize("way", RETYPED)
@pytest.mark.parametrize("name", DEFECTIVE)
def test_a_defect_survives_retyping_at_the_same_place(name: str, way: str) -> None:
    text = (LETTERS / f"{name}.txt").read_text("utf-8")
    expect = _expect(name)
    validator = Validator(today=LETTER_DAY)
    codes = expect.get("codes")
    before = validator.check(text, codes=codes)  # type: ignore[arg-type]
    after = validator.check(RETYPED[way](text), codes=codes)  # type: ignore[arg-type]
    assert {f.rule_id for f in after.errors} == set(expect["errors"])  # type: ignore[call-overload]
    wanted = set(expect.get("find", ()))  # type: ignore[call-overload]
    assert wanted <= set(after.by_rule())
    # the defects are found where they were, where the retyping keeps every character on
    # its line (a byte-order mark or a quote mark puts more characters on a line: there,
    # the lines are compared)
    if way in SAME_PLACES:
        where = _lines if way in ("byte-order mark", "quoted in a reply") else _shown
        assert {s for s in where(before) if s[0] in wanted} == {
            s for s in where(after) if s[0] in wanted
        }


@pytest.mark.parametrize("code", example_codes())
def test_the_projects_own_letters_retyped_pass_with_and_without_the_claim(code: str) -> None:
    letter = appeal(code, example_claim(code), letter_date=date(2026, 11, 2))
    for way, retype in RETYPED.items():
        text = retype(letter.text)
        for claim in (letter.claim, None):
            report = check(text, claim=claim)
            assert report.errors == (), (way, claim is not None, [str(f) for f in report.errors])


def test_an_invisible_character_inside_an_identifier_is_still_reported() -> None:
    # the scan reads a zero-width space as a space, the hygiene rules see the letter itself
    text = (LETTERS / "provider-ama-style.txt").read_text("utf-8")
    number = re.search(r"\d{6,}", text)
    assert number is not None
    cut = number.start() + 3
    hidden = text[:cut] + "\u200b" + text[cut:]
    report = Validator(today=LETTER_DAY).check(hidden)
    assert "DK702" in report.by_rule()
    assert "DK702" not in Validator(today=LETTER_DAY).check(text).by_rule()


@pytest.mark.parametrize(
    "typed", ["CO\u201316", "CO\u201416", "CO\u221216", "CO\u201116", "co\u00a016", "\ufeffCO-16"]
)
def test_a_code_typed_by_a_word_processor_is_looked_up(typed: str) -> None:
    assert denialkit.lookup(typed).key == "CO-16"


def test_other_non_ascii_in_a_code_is_still_refused() -> None:
    with pytest.raises(denialkit.InvalidCodeError, match="ASCII"):
        denialkit.parse("CO-１6")


# ---- hard-wrapped prose: an e-mail program or a PDF copy breaks lines anywhere


def _errors(text: str) -> set[str]:
    return {f.rule_id for f in Validator(today=LETTER_DAY).check(text).errors}


def test_a_request_wrapped_over_two_lines_is_a_request() -> None:
    from .test_phrasings import PROVIDER

    ask = "Please reconsider the denial and pay the claim."
    assert ask in PROVIDER
    wrapped = PROVIDER.replace(
        ask,
        "Because every element is documented in the enclosed note, we request\n"
        "reconsideration of the denial and payment of the claim.",
    )
    assert _errors(wrapped) == set()
    # a label line followed by a line that starts with a capital is no wrapped sentence
    cut = PROVIDER.replace(ask, "Thank you for your attention to this matter and request\nReview")
    assert "DK110" in _errors(cut)


def test_a_wrapped_line_that_starts_like_an_instruction_is_prose() -> None:
    from .test_phrasings import PROVIDER

    text = PROVIDER.replace(
        "The enclosed note documents why the\nvisit was needed",
        "The enclosed note from the treating physician documents the findings and\n"
        "explain why the visit was needed",
    )
    assert "explain why the visit" in text
    assert "DK308" not in _errors(text)
    # the same words on a line of their own, after a short line, are a template instruction
    blank = PROVIDER.replace(
        "Dear Reviewer:\n", "Dear Reviewer:\nExplain why the visit was needed\n"
    )
    assert "DK308" in _errors(blank)


def validate_with_claim(text: str) -> denialkit.validation.Report:
    """The report with a claim whose number is the letter's (2026-1234)."""
    from .conftest import ccm21_claim

    claim = ccm21_claim().evolve(claim_number="2026-1234")
    return Validator(today=LETTER_DAY).check(text, claim=claim)


def test_a_value_under_its_label_is_read() -> None:
    from .test_phrasings import PROVIDER

    under = PROVIDER.replace(
        "Claim number: 2026-1234", "Claim number from the remittance:\n2026-1234"
    )
    assert _errors(under) == set()
    report = validate_with_claim(under)
    assert "DK210" not in report.by_rule()
    # and a second claim number under its label is seen as one
    other = PROVIDER.replace("Claim number: 2026-1234", "Claim number:\n2026-9999")
    assert "DK210" in validate_with_claim(other).by_rule()


def _rewrap(text: str, width: int) -> str:
    """Long lines broken at ``width`` as an e-mail program does, short lines left alone."""
    return "\n".join(
        textwrap.fill(line, width) if len(line) > width else line for line in text.split("\n")
    )


@pytest.mark.parametrize("width", [60, 72])
@pytest.mark.parametrize("code", example_codes())
def test_the_projects_own_letters_rewrapped_pass(code: str, width: int) -> None:
    letter = appeal(code, example_claim(code), letter_date=date(2026, 11, 2))
    text = _rewrap(letter.text, width)
    assert text != letter.text
    for claim in (letter.claim, None):
        report = check(text, claim=claim)
        assert report.errors == (), (claim is not None, [str(f) for f in report.errors])
