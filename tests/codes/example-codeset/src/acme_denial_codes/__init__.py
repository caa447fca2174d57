"""Acme Health Plan's own denial codes, as a denialkit code set (an example plugin)."""

from denialkit.codes import CodeSet


def codeset() -> CodeSet:
    """Called by denialkit the first time a code is not found in its built-in tables."""
    return CodeSet.from_records(
        "acme",
        [
            {
                "code": "ACM101",
                "summary": "Acme needs the referring physician's note before it pays this visit.",
                "category": "authorization",
                "action": "supply-information",
                "appealable": "no",
            },
            {
                "code": "ACM202",
                "summary": "Acme's policy limits this therapy to twelve visits a year.",
                "category": "benefit-limit",
                "action": "appeal",
                "appealable": "depends",
            },
            # clashes with the built-in care-management code: must be reported, not used
            {"code": "CCM21", "summary": "Acme's own meaning for CCM21.", "category": "coding"},
        ],
    )
