"""Junk in, RecordError out: junk JSON and mutated bundles never raise anything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from denialkit import record
from denialkit.exceptions import RecordError

DATA = Path(__file__).parent / "data"
COCM = json.loads((DATA / "cocm-bundle.json").read_text("utf-8"))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "2026-09",
            "final",
            "Patient/x",
            "#c",
            "urn:uuid:1",
            "history",
            "replaced-by",
            "error",
            "Parameters",
            "Bundle",
            "Observation",
            "44261-6",
            "2026-09-03T24:00:00",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceType",
                    "id",
                    "entry",
                    "resource",
                    "status",
                    "code",
                    "coding",
                    "system",
                    "value",
                    "valueString",
                    "reference",
                    "item",
                    "answer",
                    "performedPeriod",
                    "start",
                    "end",
                    "participant",
                    "member",
                    "role",
                    "contained",
                    "dateTime",
                    "scope",
                    "subject",
                    "patient",
                    "link",
                    "other",
                    "type",
                    "modifierExtension",
                    "component",
                    "issue",
                    "severity",
                    "response",
                    "length",
                    "parameter",
                    "part",
                    "issued",
                    "effectiveTiming",
                    "effectivePeriod",
                    "event",
                    "_effectiveDateTime",
                    "extension",
                    "url",
                ]
            )
            | st.text(max_size=8),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


def _facts(data: bytes) -> None:
    try:
        rec = record.read(data)
    except RecordError:
        return
    list(rec.references())
    patients = rec.patients()
    if len(patients) > 1:  # a mutation can split one patient in two: facts() must say so
        with pytest.raises(RecordError, match="patients; say whose"):
            record.facts(rec, code="CCM21", month="2026-09")
    for who in patients[:2] or [None]:
        record.facts(rec, code="CCM21", month="2026-09", patient=who)
        record.facts(rec, code="CCM21", patient=who)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_junk_bytes(data: bytes) -> None:
    _facts(data)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_junk_json(value: Any) -> None:
    _facts(json.dumps(value).encode())
    _facts(json.dumps({"resourceType": "Bundle", "entry": [{"resource": value}]}).encode())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, json_values)
def test_junk_parameters(value: Any, part: Any) -> None:
    params = {"name": "x", "resource": value, "part": [{"resource": value}, part]}
    _facts(json.dumps({"resourceType": "Parameters", "parameter": [params, part]}).encode())
    wrapped = {"resourceType": "Parameters", "parameter": [{"resource": COCM}, part]}
    _facts(json.dumps(wrapped).encode())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(COCM)[1:]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=1, max_size=4))
def test_mutated_bundles(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    bundle = json.loads(json.dumps(COCM))
    for path, new in changes:
        node = bundle
        try:
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = new
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    _facts(json.dumps(bundle).encode())


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=len(json.dumps(COCM)) - 1))
def test_truncated_bundles(cut: int) -> None:
    text = json.dumps(COCM, ensure_ascii=False).encode()[:cut]
    message = ""
    try:
        record.read(text)
    except RecordError as exc:
        message = str(exc)
    assert "Zo" not in message and "Nguy" not in message
