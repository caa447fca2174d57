"""Tests for the mutations a spot-check made that the suite did not catch (issue 16 point 9):
each test fails when its mutation is made again."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

import denialkit
from denialkit.claim import ServiceLine
from denialkit.codes import Appealable
from denialkit.exceptions import TemplateRenderError
from denialkit.knowledge import explain
from denialkit.letters import appeal, example_claim
from denialkit.templates import StringTemplate

WHEN = date(2026, 11, 2)


def test_with_group_carries_the_groups_appealability() -> None:
    # mutation: appealable= dropped from DenialCode.with_group (PR-45 kept CARC 45's "no")
    base = denialkit.lookup("45")
    assert base.appealable is Appealable.NO
    assert denialkit.lookup("PR-45").appealable is Appealable.DEPENDS
    assert denialkit.lookup("PR-45").appealable is base.advice("PR").appealable
    assert denialkit.lookup("CO-45").appealable is Appealable.NO


def test_a_generic_reason_code_follows_its_first_specific_remark() -> None:
    # mutation: the last specific remark led instead of the first
    first = explain("CO-16", remarks=["M25", "M8"])
    assert (first.action.value, first.appealable.value) == ("appeal", "yes")
    other = explain("CO-16", remarks=["M8", "M25"])
    assert (other.action.value, other.appealable.value) == ("supply-information", "depends")


@pytest.mark.parametrize("product", ["300000 * 'x'", "'x' * 300000", "[0] * 300000"])
def test_the_sandbox_caps_a_product_whichever_side_the_sequence_is_on(product: str) -> None:
    # mutation: the reversed operand order dropped from the `*` cap ({{ 300000 * 'x' }})
    template = StringTemplate(f"{{% block argument %}}{{{{ {product} }}}}{{% endblock %}}")
    with pytest.raises(TemplateRenderError, match="the template tried something the sandbox"):
        appeal("CCM21", example_claim("CCM21"), template=template, letter_date=WHEN)


def test_a_small_product_still_renders() -> None:
    template = StringTemplate("{% block argument %}{{ 3 * 'ab' }}{% endblock %}")
    letter = appeal("CCM21", example_claim("CCM21"), template=template, letter_date=WHEN)
    assert "ababab" in letter.text


def test_service_line_diagnoses_never_show_in_its_repr() -> None:
    # mutation: ServiceLine.diagnoses shown in the repr (a PHI leak)
    line = ServiceLine(code="99484", date=WHEN, diagnoses=("F32.1", "Z59.0"))
    assert "F32" not in repr(line) and "Z59" not in repr(line)
    claim = example_claim("CCM21").evolve(services=(line,))
    assert "F32" not in repr(claim) and "F32" not in repr(claim.services)


def test_a_hicn_is_a_legacy_number_not_a_malformed_mbi() -> None:
    # mutation: a HICN raised DK202 (invalid MBI) as well as DK203 (legacy HICN)
    claim = example_claim("CCM21")
    hicn = claim.evolve(patient=attrs.evolve(claim.patient, member_id="123456789A"))
    rules = appeal("CCM21", hicn, letter_date=WHEN).report.by_rule()
    assert "DK203" in rules and "DK202" not in rules
    bad = claim.evolve(patient=attrs.evolve(claim.patient, member_id="7KQ2XF3RW4"))
    assert "DK202" in appeal("CCM21", bad, letter_date=WHEN).report.by_rule()
