"""Outside text never reaches a terminal raw from ``record``, ``validate`` and ``remit``.

A remittance, a letter file or a FHIR record comes from an outside party. Whatever these
commands print, in text or in ``--format json``, shows a control or bidi character as a
visible escape; the JSON still decodes to the value itself (issue #16, point 3).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from denialkit import remit
from denialkit.cli import main
from denialkit.cli._common import json_text
from payloads import CONTROLS, FORMAT_CHARS, payload_id

#: What a terminal acts on; a newline ends a line of output and is allowed.
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE = (*CONTROLS, *FORMAT_CHARS, "x\u2066isolate\u2069", "LS\u2028PS\u2029")
DATA = Path(__file__).parent / "record" / "data"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def assert_inert(out: str, err: str) -> None:
    assert RAW.search(out) is None, out
    assert RAW.search(err) is None, err


@pytest.mark.parametrize("payload", HOSTILE, ids=payload_id)
def test_json_text_escapes_what_a_terminal_acts_on_and_round_trips(payload: str) -> None:
    text = json_text({"v": f"Zoë {payload}"})
    assert RAW.search(text.replace("\n", "")) is None
    assert json.loads(text) == {"v": f"Zoë {payload}"}
    assert "Zoë" in text  # other non-ASCII stays readable


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("payload", HOSTILE, ids=payload_id)
def test_remit_prints_a_hostile_claim_number_inertly(
    tmp_path: Path, payload: str, fmt: str
) -> None:
    raw = remit.sample().replace(b"CLP*PCN1001", b"CLP*" + payload.encode())
    raw = raw.replace(b"NM1*QC*1*", b"NM1*QC*1*" + payload.encode(), 1)
    path = tmp_path / "hostile.835"
    path.write_bytes(raw)
    code, out, err = run("remit", str(path), "--format", fmt)
    assert_inert(out, err)
    if code == 0 and fmt == "json":
        assert len(json.loads(out)) == 18  # the reader may normalise the value; it stays data


@pytest.mark.parametrize("payload", HOSTILE, ids=payload_id)
def test_remit_summary_json_is_inert(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "hostile.835"
    path.write_bytes(remit.sample().replace(b"CLP*PCN1001", b"CLP*" + payload.encode()))
    code, out, err = run("remit", str(path), "--summary", "--format", "json")
    assert code == 0
    assert_inert(out, err)
    json.loads(out)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("payload", HOSTILE, ids=payload_id)
def test_validate_prints_findings_about_a_hostile_letter_inertly(
    tmp_path: Path, payload: str, fmt: str
) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(f"Re: claim {payload}\n\nPlease reconsider CO-16 {payload}.\n", "utf-8")
    code, out, err = run("validate", str(letter), "--format", fmt)
    assert code in (0, 1, 2)  # 2: a NUL makes the file binary, refused with a usage error
    assert_inert(out, err)
    if code != 2 and fmt == "json":
        json.loads(out)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("payload", HOSTILE, ids=payload_id)
def test_record_facts_prints_hostile_names_inertly(tmp_path: Path, payload: str, fmt: str) -> None:
    bundle = (DATA / "cocm-bundle.json").read_text("utf-8")
    escaped = json.dumps(payload)[1:-1]
    assert "Whitfield" in bundle and "Medicare Part B" in bundle
    bundle = bundle.replace("Whitfield", f"Whit{escaped}field")
    bundle = bundle.replace("Medicare Part B", f"Medicare {escaped}")
    path = tmp_path / "bundle.json"
    path.write_text(bundle, "utf-8")
    argv = ["record", "facts", str(path), "--code", "CCM21", "--month", "2026-09"]
    code, out, err = run(*argv, "--format", fmt)
    assert code == 0
    assert_inert(out, err)
    if fmt == "json":
        assert json.loads(out)["facts"]["payer_name"]["value"] == f"Medicare {payload}"
