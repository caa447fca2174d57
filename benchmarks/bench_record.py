"""Benchmarks for reading FHIR records (issue: evidence from the medical record).

Run: ``python benchmarks/bench_record.py [--bundle-mb 10] [--ndjson-mb 200]``
(``nox -s bench`` runs every benchmark).

Every figure is a ratio against a baseline measured in the same run, interleaved with it:

1. facts from a 10 MB Bundle (``record.read`` + ``record.facts``) vs ``json.loads`` of the
   same bytes: target <= 2x.
2. a 200 MB NDJSON export read and its facts taken in a fresh interpreter: peak resident
   memory (``VmHWM``, Linux) target < 100 MB, reported also against a fresh interpreter that
   only imports ``denialkit.record``.
3. ``import denialkit`` leaves ``denialkit.record`` unimported (also a test).

The records are synthetic: a fixture's resources (tests/record/data), plus many vital-sign
Observations, Encounters, Conditions and Claims of the kind an EHR export is mostly made of,
with one care-management time entry and one PHQ-9 score in every fifty resources.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FHIR_BASE = "https://ehr.example/fhir"
DATA = Path(__file__).resolve().parents[1] / "tests" / "record" / "data"
COCM = DATA / "cocm-bundle.json"  # urn:uuid references, for the Bundle
BHI = DATA / "bhi-bundle.json"  # relative references, for the NDJSON export


def _filler(i: int) -> dict[str, Any]:
    """One resource the facts do not need (most of a real export)."""
    subject = {"reference": "Patient/p"}
    kind = i % 4
    if kind == 0:
        return {
            "resourceType": "Observation",
            "id": f"vital-{i}",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "vital-signs",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [
                    {"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}
                ],
                "text": "Heart rate",
            },
            "subject": subject,
            "effectiveDateTime": "2026-08-14T10:00:00-05:00",
            "valueQuantity": {
                "value": 72.5,
                "unit": "/min",
                "system": "http://unitsofmeasure.org",
                "code": "/min",
            },
        }
    if kind == 1:
        return {
            "resourceType": "Encounter",
            "id": f"visit-{i}",
            "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "type": [
                {
                    "coding": [
                        {
                            "system": "http://snomed.info/sct",
                            "code": "185349003",
                            "display": "Encounter for check up",
                        }
                    ]
                }
            ],
            "subject": subject,
            "period": {"start": "2026-08-14T10:00:00-05:00", "end": "2026-08-14T10:30:00-05:00"},
        }
    if kind == 2:
        return {
            "resourceType": "Condition",
            "id": f"condition-{i}",
            "clinicalStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": "active",
                    }
                ]
            },
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"}]},
            "subject": subject,
            "onsetDateTime": "2019-03-01",
        }
    return {
        "resourceType": "Claim",
        "id": f"claim-{i}",
        "status": "active",
        "use": "claim",
        "patient": subject,
        "created": "2026-08-14",
        "item": [
            {
                "sequence": 1,
                "productOrService": {
                    "coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99213"}]
                },
                "net": {"value": 120.00, "currency": "USD"},
            }
        ],
    }


def _needed(i: int) -> dict[str, Any]:
    """One resource the facts read: a time entry or a PHQ-9 score (outside the month)."""
    if i % 2:
        return {
            "resourceType": "Procedure",
            "id": f"time-{i}",
            "status": "completed",
            "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99493"}]},
            "subject": {"reference": "Patient/p"},
            "performedPeriod": {
                "start": "2026-07-03T10:00:00-05:00",
                "end": "2026-07-03T10:20:00-05:00",
            },
        }
    return {
        "resourceType": "Observation",
        "id": f"phq9-{i}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-06-03",
        "valueInteger": 11,
    }


def resources(
    target_bytes: int, fixture: Path, indent: int | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(fullUrl, resource)``: the fixture's, then filler up to ``target_bytes`` of JSON
    written with ``indent``."""
    size = 0
    entries = json.loads(fixture.read_text("utf-8"))["entry"]
    patient = next(
        e["resource"]["id"] for e in entries if e["resource"]["resourceType"] == "Patient"
    )
    for e in entries:
        yield e["fullUrl"], e["resource"]
    i = 0
    while size < target_bytes:
        r = _needed(i) if i % 50 == 0 else _filler(i)
        for element in ("subject", "patient"):  # one patient's record: the fixture's
            if element in r:
                r[element] = {"reference": f"Patient/{patient}"}
        size += len(json.dumps(r, indent=indent)) + (60 if indent else 1)
        i += 1
        yield f"{FHIR_BASE}/{r['resourceType']}/{r['id']}", r


def bundle_bytes(mb: float) -> bytes:
    entries = [
        {"fullUrl": url, "resource": r} for url, r in resources(int(mb * 1024 * 1024), COCM, 1)
    ]
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": entries}, indent=1
    ).encode()


def bench_bundle(data: bytes, rounds: int) -> tuple[float, float]:
    from denialkit import record

    def ours() -> float:
        start = time.perf_counter()
        found = record.facts(record.read(data), code="CCM21", month="2026-09")
        elapsed = time.perf_counter() - start
        assert found.missing == (), found.missing
        return elapsed

    def base() -> float:
        start = time.perf_counter()
        json.loads(data)
        return time.perf_counter() - start

    ours()
    base()
    a, b = [], []
    for _ in range(rounds):
        a.append(ours())
        b.append(base())
    return statistics.median(a), statistics.median(b)


# VmHWM (the peak resident set of this process image) rather than ru_maxrss, which a child
# inherits from the parent it was forked from
PEAK = """
import re, sys
from denialkit import record
if sys.argv[1] != "-":
    found = record.facts(record.read(sys.argv[1]), code="CCM21", month="2026-09")
    assert found.missing == (), found.missing
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024)
"""


def _peak_mb(arg: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PEAK, arg], check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip())


def bench_ndjson(mb: float) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        handles: dict[str, Any] = {}
        try:
            for _, r in resources(int(mb * 1024 * 1024), BHI):
                fh = handles.get(r["resourceType"])
                if fh is None:
                    fh = handles[r["resourceType"]] = open(  # noqa: SIM115
                        folder / f"{r['resourceType']}.ndjson", "w", encoding="utf-8"
                    )
                fh.write(json.dumps(r) + "\n")
        finally:
            for fh in handles.values():
                fh.close()
        size = sum(p.stat().st_size for p in folder.iterdir())
        return _peak_mb(str(folder)), _peak_mb("-"), size


def import_leaves_record_alone() -> bool:
    out = subprocess.run(
        [sys.executable, "-c", "import sys, denialkit; print('denialkit.record' in sys.modules)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip() == "False"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle-mb", type=float, default=10)
    parser.add_argument("--ndjson-mb", type=float, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    ok = True

    data = bundle_bytes(args.bundle_mb)
    ours, base = bench_bundle(data, args.rounds)
    ratio = ours / base
    ok &= ratio <= 2
    print(
        f"1. facts from a {len(data) / 1e6:.1f} MB Bundle: {ours * 1e3:.0f} ms; json.loads "
        f"{base * 1e3:.0f} ms; ratio {ratio:.2f}x (target <= 2x)"
    )

    peak, floor, size = bench_ndjson(args.ndjson_mb)
    ok &= peak < 100
    print(
        f"2. a {size / 1e6:.0f} MB NDJSON export: peak RSS {peak:.0f} MB (target < 100 MB); "
        f"an interpreter that only imports denialkit.record: {floor:.0f} MB; "
        f"ratio {peak / floor:.2f}x"
    )

    leaves = import_leaves_record_alone()
    ok &= leaves
    print(f"3. import denialkit leaves denialkit.record unimported: {leaves}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
