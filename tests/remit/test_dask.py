"""A directory of remittances over a Dask bag on a local scheduler (issue 6, part 7)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from denialkit import remit

db = pytest.importorskip("dask.bag")


@pytest.fixture
def folder(tmp_path: Path, data: Path) -> Path:
    for name in ("basic.835", "twoisa.835", "unpadded4010.835"):
        (tmp_path / name).write_bytes((data / name).read_bytes())
    return tmp_path


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_a_bag_of_files(folder: Path, scheduler: str) -> None:
    import warnings

    paths = sorted(str(p) for p in folder.glob("*.835"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # twoisa.835 has a 277 that is skipped
        claims = (
            db.from_sequence(paths, npartitions=3).map(lambda p: list(remit.claims(p))).flatten()
        )
        assert claims.count().compute(scheduler=scheduler) == 9 + 2 + 2
        at_stake = (
            db.from_sequence(paths, npartitions=3)
            .map(lambda p: list(remit.denials(p)))
            .flatten()
            .map(lambda item: item.amount)
            .sum()
            .compute(scheduler=scheduler)
        )
        assert at_stake == Decimal(680) + Decimal(80)
        rows = db.from_sequence(paths).map(remit.to_records).flatten()
        by_code = dict(rows.pluck("code").frequencies().compute(scheduler=scheduler))
        assert by_code["CO-45"] == 8 + 1 + 1
