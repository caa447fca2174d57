"""Rich displays in notebooks: Letter, Report, Explanation and Summary render escaped, valid
HTML without patient data outside the letter itself; ``Summary.plot`` draws a real chart."""

from __future__ import annotations

import html
import json
import re
import sys
from datetime import date
from html.parser import HTMLParser

import pytest

import denialkit
from denialkit import remit
from denialkit.claim import Claim
from denialkit.letters import example_claim

LETTER_DATE = date(2026, 11, 2)
SENTINEL = "QXPHI"
INJECTION = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"

_VOID = {"br", "img", "hr", "meta", "input", "link", "col", "wbr"}


class _Checker(HTMLParser):
    """Fails on unbalanced tags and on any script, event handler or image."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe") or any(k.startswith("on") for k, _ in attrs):
            self.problems.append(f"active content: <{tag}>")
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack})")
        else:
            self.stack.pop()


def _valid(page: str) -> str:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.problems == []
    assert checker.stack == [], f"unclosed tags: {checker.stack}"
    return page


def _claim(value: str) -> Claim:
    data = json.loads(example_claim("CCM21").to_json())
    data["claim_number"] = f"{value}-CLM"
    data["patient"] = {
        "name": f"{value} Patient",
        "member_id": "ZX1000001",
        "birth_date": "1951-06-14",
    }
    data["facts"]["care_manager_name"] = f"{value} Manager"
    del data["facts"]["consent_date"]
    return Claim.from_dict(data)


def _outside_letter(page: str) -> str:
    """The HTML around the letter's own text (the side panel and the frame)."""
    return re.sub(r"<pre[^>]*>.*?</pre>", "", page, flags=re.S)


# ------------------------------------------------------------------------ Letter


def test_letter_html_highlights_markers_and_lists_what_to_check() -> None:
    letter = denialkit.appeal("CCM21", _claim("Jane"), letter_date=LETTER_DATE)
    page = _valid(letter._repr_html_())
    assert '<mark class="denialkit-missing">[MISSING: consent date]</mark>' in page
    side = _outside_letter(page)
    assert "Missing facts (1)" in side and "consent date" in side
    assert "must reach the payer by" in side
    assert letter.report.summary in side
    assert letter.report.errors  # the consent date is missing
    for f in letter.report.errors:
        assert f"{f.rule_id} error: {html.escape(f.message)}" in side


def test_letter_html_escapes_claim_values() -> None:
    letter = denialkit.appeal("CCM21", _claim(INJECTION), letter_date=LETTER_DATE)
    page = _valid(letter._repr_html_())
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_letter_html_keeps_patient_data_inside_the_letter() -> None:
    letter = denialkit.appeal("CCM21", _claim(SENTINEL), letter_date=LETTER_DATE)
    page = letter._repr_html_()
    assert SENTINEL in page  # the letter itself must say who it is about
    assert SENTINEL not in _outside_letter(page)


def test_letter_html_shows_the_checklist_with_why_each_item_matters() -> None:
    letter = denialkit.appeal("CCM21", _claim("Jane"), letter_date=LETTER_DATE)
    side = _outside_letter(letter._repr_html_())
    assert letter.checklist and f"Checklist ({len(letter.checklist)})" in side
    for item in letter.checklist:
        assert f"{html.escape(item.item)}<br><small>{html.escape(item.why)}</small>" in side


def test_letter_html_lists_the_warnings() -> None:
    late = denialkit.appeal("CCM21", _claim("Jane"), letter_date=date(2027, 6, 1))
    assert late.warnings
    side = _outside_letter(_valid(late._repr_html_()))
    assert f"Warnings ({len(late.warnings)})" in side
    for w in late.warnings:
        assert html.escape(w.message) in side


# ------------------------------------------------------------------------ Report


def test_report_html_is_a_table_with_rule_links() -> None:
    text = "Dear reviewer,\nPlease pay claim [CLAIM NUMBER] for {{ patient }}.\n"
    report = denialkit.validate_text(text)
    assert report.findings
    page = _valid(report._repr_html_())
    assert page.count("<tr>") == len(report.findings) + 1
    first = report.findings[0]
    assert (
        f'href="https://denialkit.readthedocs.io/en/latest/rules.html#{first.rule_id.lower()}"'
        in page
    )
    assert report.summary in page


def test_report_html_escapes_and_has_no_patient_data() -> None:
    claim = _claim(INJECTION)
    letter = denialkit.appeal("CCM21", claim, letter_date=LETTER_DATE)
    edited = letter.text + f"\nAlso {INJECTION} {SENTINEL} Other, SSN 123-45-6789.\n"
    page = _valid(denialkit.validate_text(edited, claim=claim)._repr_html_())
    assert SENTINEL not in page
    assert "<script>" not in page


def test_empty_report_html_says_ok() -> None:
    page = _valid(denialkit.validate_text("")._repr_html_())
    assert "<table" not in page or "<tr>" in page


# ------------------------------------------------------------------------ Explanation


def test_explanation_html() -> None:
    e = denialkit.explain("CO-16 N290")
    page = _valid(e._repr_html_())
    assert 'class="denialkit-explanation"' in page
    assert "CO-16" in page and "N290" in page
    assert "Next step:" in page
    for item in e.evidence:
        assert item.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")[:30] in page


# ------------------------------------------------------------------------ Summary


def test_summary_html_amounts_are_to_the_cent() -> None:
    page = _valid(remit.summary(remit.sample())._repr_html_())
    assert "<td>300.00</td>" in page and "680.00 at stake" in page


def test_summary_text_amounts_and_counts() -> None:
    s = remit.summary(remit.sample())
    text = str(s)
    assert "1 remittance," in text and "remittances" not in text
    assert re.search(r"authorization\s+1\s+300\.00", text)
    assert "680.00 at stake" in text


matplotlib = pytest.importorskip("matplotlib")


def test_plot_draws_denied_amounts_by_category() -> None:
    from matplotlib.axes import Axes

    s = remit.summary(remit.sample())
    ax = s.plot()
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == [c for c, _, _ in s.by_category]
    widths = [bar.get_width() for bar in ax.containers[0]]
    assert widths == [float(a) for _, _, a in s.by_category]
    assert [t.get_text() for t in ax.texts] == ["300.00", "200.00", "120.00", "60.00"]
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_plot_draws_on_the_axes_given() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    assert remit.summary(remit.sample()).plot(ax=ax) is ax
    assert len(ax.containers[0]) == 4


def test_plot_of_nothing_denied_says_so() -> None:
    import attrs
    from matplotlib.figure import Figure

    empty = attrs.evolve(remit.summary(remit.sample()), by_category=(), by_code=())
    ax = empty.plot(ax=Figure().subplots())
    assert [t.get_text() for t in ax.texts] == ["no denied amounts"]


def test_plot_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'denialkit\[plot\]'") as info:
        remit.summary(remit.sample()).plot()
    assert "\n" not in str(info.value)
