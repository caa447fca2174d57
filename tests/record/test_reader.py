"""Reading records: every source form, views that keep precision, and bad input refused
with a located RecordError."""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from denialkit import record
from denialkit.exceptions import DenialkitError, RecordError

CONSENT = {
    "resourceType": "Consent",
    "id": "c1",
    "status": "active",
    "dateTime": "2026-09",
    "scope": {
        "coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}
        ]
    },
}


def _bundle(*resources: dict[str, Any], kind: str = "collection") -> bytes:
    entries = [{"resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": kind, "entry": entries}).encode()


@pytest.mark.parametrize("kind", ["collection", "searchset", "transaction", "document"])
def test_bundle_of_any_type(kind: str) -> None:
    rec = record.read(_bundle(CONSENT, kind=kind))
    assert [v.key for v in rec] == ["Consent/c1"]


def test_every_source_form_gives_the_same_record(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "bhi-bundle.json"
    export = data_dir / "bhi-export"
    keys = sorted(record.read(path).keys)
    assert sorted(record.read(str(path)).keys) == keys
    assert sorted(record.read(path.read_bytes()).keys) == keys
    with path.open("rb") as fh:
        assert sorted(record.read(fh).keys) == keys
    assert sorted(record.read(export).keys) == keys
    assert sorted(record.read(sorted(export.glob("*.ndjson"))).keys) == keys
    # NDJSON given as bytes, and a one-line Bundle in a file without the .ndjson suffix
    lines = b"".join(p.read_bytes() for p in sorted(export.glob("*.ndjson")))
    assert sorted(record.read(lines).keys) == keys
    one_line = tmp_path / "bundle.json"
    one_line.write_text(json.dumps(json.loads(path.read_text("utf-8"))), "utf-8")
    assert sorted(record.read(one_line).keys) == keys


def test_single_resource_and_byte_order_mark() -> None:
    rec = record.read(b"\xef\xbb\xbf" + json.dumps(CONSENT).encode())
    assert rec.keys == ("Consent/c1",)


def test_folder_and_file_names_are_kept(data_dir: Path) -> None:
    rec = record.read(data_dir / "bhi-export")
    assert "Consent.ndjson" in rec.files and len(rec.files) == 12


def test_dates_keep_their_precision_and_decimals_stay_decimal() -> None:
    obs = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]},
        "effectiveDateTime": "2026-09",
        "valueQuantity": {"value": "VALUE"},
    }
    rec = record.read(_bundle(CONSENT, obs).replace(b'"VALUE"', b"12.50"))
    (consent,) = rec.of_type(record.Consent)
    assert consent.date_time is not None and consent.date_time.precision == "month"
    assert consent.date_time.text == "2026-09" and consent.date_time.day is None
    (o,) = rec.of_type(record.Observation)
    assert o.value == Decimal("12.50") and str(o.value) == "12.50"
    assert o.value_element == "valueQuantity.value"


def test_a_month_precision_consent_is_not_padded_to_a_day() -> None:
    found = record.facts(record.read(_bundle(CONSENT)), month="2026-09")
    assert "consent_date" in found.missing
    assert any(n.resource == "Consent/c1" and "to the day" in n.message for n in found.notes)


def test_reprs_show_types_and_ids_only(data_dir: Path) -> None:
    rec = record.read(data_dir / "cocm-bundle.json")
    (p,) = rec.of_type(record.Patient)
    assert repr(p) == "<Patient id=cocm-patient>"
    for view in rec:
        text = repr(view)
        assert text == f"<{view.type} id={view.id}>"
    assert "Zoë" not in repr(rec) and repr(rec).startswith("<Record resources=16 ")


def test_a_later_copy_of_a_resource_replaces_the_earlier() -> None:
    old = dict(CONSENT, status="draft")
    rec = record.read(_bundle(old, CONSENT))
    (consent,) = rec.of_type(record.Consent)
    assert consent.status == "active" and len(rec) == 1


def test_entries_without_a_resource_are_skipped() -> None:
    data = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"request": {"method": "DELETE", "url": "Consent/x"}}, {"resource": CONSENT}],
    }
    assert record.read(json.dumps(data).encode()).keys == ("Consent/c1",)


def test_invalid_elements_are_tolerated() -> None:
    odd = dict(CONSENT, dateTime=12, scope="treatment", extra={"link": "nowhere"})
    rec = record.read(_bundle(odd))
    (consent,) = rec.of_type(record.Consent)
    assert consent.date_time is None and consent.scope == ()


# -- bad input ---------------------------------------------------------------------------
def _nested(depth: int) -> bytes:
    return b'{"resourceType": "Bundle", "entry": ' + b"[" * depth + b"]" * depth + b"}"


BAD: list[tuple[bytes, str]] = [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"not json", "line 1: not valid JSON"),
    (b'{"resourceType": "Bundle", "entry": [', "not valid JSON"),
    (b"[1, 2]", "a JSON object is expected"),
    (b'"Patient"', "a JSON object is expected"),
    (b"{}", "no resourceType"),
    (b'{"resourceType": 5}', "no resourceType"),
    (b'{"resourceType": "patient record"}', "not a FHIR resource type"),
    (b'{"resourceType": "MedicationOrder", "id": "m"}', "DSTU2 or STU3"),
    (b'{"resourceType": "ProcedureRequest", "id": "p"}', "DSTU2 or STU3"),
    (b'{"resourceType": "Bundle", "entry": [{"content": {}}]}', "entry 0: a DSTU1 feed"),
    (b'{"resourceType": "Bundle", "entry": {"resource": {}}}', "Bundle.entry is not a list"),
    (b'{"resourceType": "Bundle", "entry": [5]}', "entry 0: a Bundle entry is not an object"),
    (b'{"resourceType": "Bundle", "entry": [{"resource": {"id": "x"}}]}', "entry 0: not a FHIR"),
    (
        b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Conformance"}}]}',
        "entry 0: Conformance is a FHIR DSTU2 or STU3 resource",
    ),
    (b'{"resourceType": "Observation", "valueDecimal": NaN}', "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8|not valid JSON"),
    (_nested(10_000), "nested too deep"),
]


@pytest.mark.parametrize(("data", "match"), BAD)
def test_bad_input_is_a_record_error(data: bytes, match: str) -> None:
    with pytest.raises(RecordError, match=match) as info:
        record.read(data)
    assert isinstance(info.value, ValueError) and isinstance(info.value, DenialkitError)


def test_ndjson_names_the_file_and_line(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    good = json.dumps(CONSENT)
    (export / "Consent.ndjson").write_text(f"{good}\n\n{good}\n" + good[:30] + "\n", "utf-8")
    with pytest.raises(RecordError, match=r"^Consent\.ndjson, line 4: not valid JSON$") as info:
        record.read(export)
    assert info.value.file == "Consent.ndjson" and info.value.line == 4


def test_a_truncated_last_line_is_an_error_not_a_loss(tmp_path: Path) -> None:
    path = tmp_path / "Patient.ndjson"
    path.write_bytes(json.dumps(CONSENT).encode() + b"\n" + b'{"resourceType": "Pat')
    with pytest.raises(RecordError, match=r"line 2: not valid JSON, and the file ends inside"):
        record.read(path)


def test_an_entry_of_a_bundle_file_is_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    data = {"resourceType": "Bundle", "entry": [{"resource": CONSENT}, {"resource": []}]}
    path.write_text(json.dumps(data, indent=1), "utf-8")
    rec = record.read(path)
    assert rec.keys == ("Consent/c1",)
    assert [n.message for n in rec.notes] == [
        "b.json, entry 1: not a FHIR resource (a JSON object is expected); skipped"
    ]


def test_a_bundle_file_of_no_resource_at_all_is_an_error_naming_the_first(
    tmp_path: Path,
) -> None:
    path = tmp_path / "b.json"
    data = {"resourceType": "Bundle", "entry": [{"resource": []}, {"resource": {"id": "x"}}]}
    path.write_text(json.dumps(data, indent=1), "utf-8")
    with pytest.raises(RecordError, match=r"^b\.json, entry 0: ") as info:
        record.read(path)
    assert info.value.entry == 0


def test_a_huge_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(
        json.dumps({"resourceType": "Bundle", "entry": [{"resource": CONSENT}] * 50}, indent=2),
        "utf-8",
    )
    with pytest.raises(RecordError, match="larger than 1000 bytes; export the record as NDJSON"):
        record.read(path, max_bytes=1000)


def test_deep_nesting_fails_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(RecordError):
        record.read(_nested(10_000))
    assert time.perf_counter() - start < 5  # a hang would be minutes; this is a sanity bound


def test_nested_bundles_are_walked(tmp_path: Path) -> None:
    inner = {"resourceType": "Bundle", "type": "document", "entry": [{"resource": CONSENT}]}
    outer = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": inner}]}
    assert record.read(json.dumps(outer).encode()).keys == ("Consent/c1",)


@pytest.mark.parametrize(
    ("source", "exc", "match"),
    [
        (None, TypeError, "not NoneType"),
        (5, TypeError, "not int"),
        ([], TypeError, "not list"),
        ([5], TypeError, "not list"),
        (io.StringIO("{}"), TypeError, "binary file object"),
        ("/no/such/file.json", RecordError, r"file\.json: cannot read the file"),
        ("", RecordError, "the path is empty"),
        ("💥", RecordError, "💥: cannot read the file"),
        ("\u202e", RecordError, "cannot read the file"),
        ("x" * 100_000, RecordError, r"^x{77}\.\.\.: cannot read the file"),
        (b"", RecordError, "the file is empty"),
        ("a\0b", RecordError, "cannot read the file"),
    ],
)
def test_wrong_sources(source: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        record.read(source)  # type: ignore[arg-type]


def test_a_folder_without_ndjson(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match=r"no \.ndjson or \.json files"):
        record.read(tmp_path)


def test_records_and_facts_pickle(data_dir: Path) -> None:
    import pickle

    rec = record.read(data_dir / "cocm-bundle.json")
    copy = pickle.loads(pickle.dumps(rec))
    assert copy.keys == rec.keys and list(copy) == list(rec)
    found = record.facts(rec, month="2026-09")
    assert pickle.loads(pickle.dumps(found)) == found
    assert record.facts(copy, month="2026-09") == found
    with pytest.raises(AttributeError):
        rec.files = ()  # type: ignore[misc]


def test_a_history_bundle_reads_the_newest_version_only() -> None:
    scope = {
        "coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}
        ]
    }

    def consent(rid: str, version: str, day: str, status: str = "active") -> dict[str, Any]:
        return {
            "resource": {
                "resourceType": "Consent",
                "id": rid,
                "meta": {"versionId": version},
                "status": status,
                "scope": scope,
                "dateTime": day,
            },
            "request": {"method": "PUT", "url": f"Consent/{rid}"},
        }

    bundle = {
        "resourceType": "Bundle",
        "type": "history",
        "entry": [  # newest first, as FHIR orders a history
            consent("c-kept", "3", "2026-05-20"),
            consent("c-kept", "2", "2026-05-02", status="inactive"),
            consent("c-kept", "1", "2026-04-30"),
            {"request": {"method": "DELETE", "url": "Consent/c-gone/_history/2"}},
            consent("c-gone", "1", "2026-05-25"),
        ],
    }
    rec = record.read(json.dumps(bundle).encode())
    consents = rec.of_type(record.Consent)
    assert [(c.key, c.date_time.text if c.date_time else None) for c in consents] == [
        ("Consent/c-kept", "2026-05-20")
    ]
    assert record.facts(rec, month="2026-05").facts["consent_date"].value.isoformat() == (
        "2026-05-20"
    )
    # any other Bundle type: a later copy still replaces an earlier one
    bundle["type"] = "collection"
    later = record.read(json.dumps(bundle).encode()).of_type(record.Consent)
    assert {c.key for c in later} == {"Consent/c-kept", "Consent/c-gone"}


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read(tmp_path: Path, codec: str) -> None:
    """Windows PowerShell's `>` writes UTF-16; NDJSON in it cannot be split at newline bytes."""
    other = dict(CONSENT, id="c2", dateTime="2026-09-05")
    path = tmp_path / "Consent.ndjson"
    path.write_bytes(f"{json.dumps(CONSENT)}\r\n{json.dumps(other)}\r\n".encode(codec))
    assert record.read(path).keys == ("Consent/c1", "Consent/c2")
    assert record.read(json.dumps(CONSENT).encode(codec)).keys == ("Consent/c1",)
    path.write_bytes(b"\xff\xfe{\x00\x00\xd8")  # a lone surrogate after the mark
    with pytest.raises(RecordError, match=r"Consent\.ndjson: not UTF-16 text"):
        record.read(path)


def test_gzip_compressed_and_json_lines_exports_are_read(tmp_path: Path) -> None:
    import gzip

    other = dict(CONSENT, id="c2")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Consent.000.ndjson.gz").write_bytes(
        gzip.compress(f"{json.dumps(CONSENT)}\n{json.dumps(other)}\n".encode())
    )
    (folder / "Consent.001.ndjson").write_text(json.dumps(dict(CONSENT, id="c3")) + "\n")
    (folder / "Consent.002.jsonl").write_text(json.dumps(dict(CONSENT, id="c4")) + "\n")
    (folder / "manifest.json").write_text("{}")  # not part of the record
    rec = record.read(folder)
    assert rec.keys == ("Consent/c1", "Consent/c2", "Consent/c3", "Consent/c4")
    assert rec.files == ("Consent.000.ndjson.gz", "Consent.001.ndjson", "Consent.002.jsonl")
    bundle = tmp_path / "bundle.json.gz"
    bundle.write_bytes(gzip.compress(_bundle(CONSENT)))
    assert record.read(bundle).keys == ("Consent/c1",)
    cut = tmp_path / "cut.ndjson.gz"
    cut.write_bytes((folder / "Consent.000.ndjson.gz").read_bytes()[:-12])
    with pytest.raises(RecordError, match=r"cut\.ndjson\.gz: not a whole gzip file"):
        record.read(cut)
