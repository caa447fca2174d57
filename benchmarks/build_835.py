"""Build a large synthetic 835 from the claims of our own fixture (for benchmarks only).

The file has valid envelopes: ISA/GS/ST with matching IEA/GE/SE control numbers and counts,
and every transaction set balances (BPR02 equals the claim payments minus the PLB amounts),
so the reader's checks run on every claim without warning. Nothing here is committed: the
benchmark writes the file into a temporary directory at run time.

    python benchmarks/build_835.py OUT.835 [MEGABYTES] [--vary]
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "remit" / "data" / "basic.835"


def _segments(data: bytes) -> list[str]:
    text = data.decode("ascii")
    return [s.strip() for s in text.split("~") if s.strip()]


def fixture_parts(path: Path = FIXTURE) -> tuple[list[str], list[list[str]], list[str]]:
    """The fixture's header segments (BPR to LX), its claims and its PLB segments."""
    segs = _segments(path.read_bytes())
    st = next(i for i, s in enumerate(segs) if s.startswith("ST*"))
    se = next(i for i, s in enumerate(segs) if s.startswith("SE*"))
    body = segs[st + 1 : se]
    first_clp = next(i for i, s in enumerate(body) if s.startswith("CLP*"))
    header = body[:first_clp]
    claims: list[list[str]] = []
    plb: list[str] = []
    for s in body[first_clp:]:
        if s.startswith("CLP*"):
            claims.append([s])
        elif s.startswith("PLB*"):
            plb.append(s)
        else:
            claims[-1].append(s)
    return header, claims, plb


# the money elements of the segments of a claim (1-based element positions)
_AMOUNTS: dict[str, tuple[int, ...]] = {
    "CLP": (3, 4, 5),
    "SVC": (2, 3),
    "CAS": (3, 6, 9, 12, 15, 18),
    "AMT": (2,),
}


def _scaled(seg: str, factor: Decimal) -> str:
    """``seg`` with every amount multiplied by ``factor`` (a claim scaled this way still
    balances, line by line)."""
    e = seg.split("*")
    for k in _AMOUNTS.get(e[0], ()):
        if k < len(e) and e[k]:
            e[k] = str(Decimal(e[k]) * factor)
    return "*".join(e)


def build(
    out: Path, megabytes: float, *, claims_per_transaction: int = 5000, vary: bool = False
) -> int:
    """Write a synthetic 835 of about ``megabytes`` MB to ``out``; returns its size in bytes.

    With ``vary``, every claim's amounts are scaled by a factor of its own (0.01 to 999.91),
    as in a real remittance, where the same segment text rarely comes twice: a reader that
    remembers what it has seen gains nothing from the repetition of the fixture's claims.
    """
    header, claims, _ = fixture_parts()
    target = int(megabytes * 1_000_000)
    # header template without the BPR (rewritten per transaction with the right amount)
    head = [s for s in header if not s.startswith("BPR*")]
    bpr = next(s for s in header if s.startswith("BPR*")).split("*")
    size = 0
    n_claim = 0
    n_tx = 0
    with out.open("w", encoding="ascii", newline="") as f:

        def put(seg: str) -> None:
            nonlocal size
            f.write(seg)
            f.write("~\n")
            size += len(seg) + 2

        put(
            "ISA*00*          *00*          *ZZ*ACMEHEALTH     *ZZ*VALLEYFAMILY   *260415*0930"
            "*^*00501*000000901*0*P*:"
        )
        put("GS*HP*ACMEHEALTH*VALLEYFAMILY*20260415*0930*901*X*005010X221A1")
        while size < target:
            n_tx += 1
            block: list[str] = []
            paid = Decimal(0)
            for _ in range(claims_per_transaction):
                c = claims[n_claim % len(claims)]
                n_claim += 1
                if vary:
                    factor = Decimal(n_claim % 99991 + 1) / 100
                    c = [_scaled(s, factor) for s in c]
                clp = c[0].split("*")
                clp[1] = f"P{n_claim:09d}"
                paid += Decimal(clp[4])
                block.append("*".join(clp))
                block.extend(c[1:])
            bpr[2] = str(paid)
            st = [f"ST*835*{n_tx:04d}", "*".join(bpr), *head]
            for s in st:
                put(s)
            for s in block:
                put(s)
            put(f"SE*{len(st) + len(block) + 1}*{n_tx:04d}")
            if size >= target:
                break
        put(f"GE*{n_tx}*901")
        put("IEA*1*000000901")
    return size


def main(argv: list[str]) -> int:
    vary = "--vary" in argv
    args = [a for a in argv[1:] if a != "--vary"]
    out = Path(args[0])
    mb = float(args[1]) if len(args) > 1 else 100.0
    size = build(out, mb, vary=vary)
    print(f"wrote {out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
