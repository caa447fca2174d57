"""No patient value in an exception message, repr, warning or log record (security.md 2.3)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from datetime import date

import pytest

from denialkit.claim import PlanType
from denialkit.exceptions import DenialkitError
from denialkit.letters import appeal
from denialkit.render import render_html, render_markdown, render_pdf
from denialkit.templates import StringTemplate, TemplateRegistry

SENTINEL = "ZZPHI"
LETTER_DATE = date(2026, 11, 2)


def _chain(exc: BaseException | None) -> list[str]:
    out = []
    while exc is not None:
        out.append(str(exc))
        out.append(repr(exc))
        exc = exc.__cause__ or exc.__context__
    return out


def test_sentinel_never_leaks_from_letters(
    make_claim: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    claim = make_claim()
    failures: list[Callable[[], object]] = [
        # strict: facts missing
        lambda: appeal("CCM21", make_claim(facts={}), letter_date=LETTER_DATE, strict=True),
        # a service after the letter date, a datetime letter date
        lambda: appeal("CCM21", make_claim(service_date=date(2027, 1, 1)), letter_date=LETTER_DATE),
        # templates that trip over values in every way we know
        *(
            (
                lambda src=src: appeal(
                    "CCM21",
                    claim,
                    letter_date=LETTER_DATE,
                    template=StringTemplate(
                        src, facts=("care_manager_name", "rating_scale_scores")
                    ),
                )
            )
            for src in (
                "{{ care_manager_name.__class__ }}{{ rating_scale_scores }}",
                "{{ codes[care_manager_name] }}{{ rating_scale_scores }}",
                "{{ care_manager_name - 1 }}{{ rating_scale_scores }}",
                "{{ care_manager_name.missing_attr }}{{ rating_scale_scores }}",
                "{{ care_manager_name ~ rating_scale_scores * 100000 }}",
                "{{ care_manager_name.ljust(100000000) }}{{ rating_scale_scores }}",
                "{{ care_manager_name > 3 }}{{ rating_scale_scores }}",
                "{% for c in care_manager_name %}{{ c.x }}{% endfor %}{{ rating_scale_scores }}",
            )
        ),
        # a level the plan does not have, a commercial claim without a window
        lambda: appeal("CCM21", claim, level=9, letter_date=LETTER_DATE),
    ]
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fail in failures:
            with pytest.raises(DenialkitError) as err:
                fail()
            messages.extend(_chain(err.value))
        letter = appeal("CCM21", claim, letter_date=LETTER_DATE)
        commercial = appeal("CCM21", make_claim(plan=PlanType.COMMERCIAL), letter_date=LETTER_DATE)
        render_pdf(letter)
        render_html(letter)
        render_markdown(letter)
    assert SENTINEL in letter.text  # the letter itself carries the values, of course
    shown = [
        repr(letter),
        repr(commercial),
        repr(claim),
        repr(letter.deadline),
        repr(letter.level),
        str(commercial.deadline_note),
        repr(StringTemplate(f"{SENTINEL} {{{{ x }}}}")),
        repr(TemplateRegistry(plugins=False)),
        *messages,
        *(str(w.message) for w in caught),
        *(r.getMessage() for r in caplog.records),
        *(str(r.args) for r in caplog.records),
    ]
    leaks = [s for s in shown if SENTINEL in s]
    assert leaks == []
    assert len(messages) >= 2 * len(failures)


def _holding(marker: str) -> list[object]:
    """Live containers (dicts, lists, tuples) that hold a string carrying ``marker``."""
    import gc

    found: list[object] = []
    # no collection while walking: a collection runs weak-reference callbacks, which may
    # change a dict this loop is reading ("dictionary changed size during iteration")
    gc.disable()
    try:
        for obj in gc.get_objects():
            if isinstance(obj, dict):
                values: object = tuple(obj.values())
            elif isinstance(obj, (list, tuple)):
                values = obj
            else:
                continue
            if any(isinstance(v, str) and marker in v for v in values):  # type: ignore[attr-defined]
                found.append(obj)
    finally:
        gc.enable()
    return found


def test_no_patient_data_outlives_the_claim_and_its_letter() -> None:
    """appeal() remembers the work it derived from the last claim, but only while the
    caller holds that claim: dropping the claim and its letter drops every value."""
    import gc
    import weakref

    from denialkit.letters import example_claim

    marker = "ZZKEPT" + "ALIVE"  # built at run time: this module's constants hold no copy
    base = example_claim("CCM21")
    claim = base.evolve(facts={**base.facts, "care_manager_name": f"Dana {marker}"})
    letter = appeal("CCM21", claim, letter_date=LETTER_DATE)
    assert marker in letter.text
    alive = weakref.ref(claim)
    del claim, letter
    gc.collect()
    assert alive() is None
    assert _holding(marker) == []
