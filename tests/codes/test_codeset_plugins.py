"""Third-party code sets through the ``denialkit.codesets`` entry point, installed for real."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import denialkit
from denialkit import CodeTable, PluginLoadError, UnknownCodeError
from denialkit._tables import load_builtin, plugin_codes
from denialkit.exceptions import CodeSetClashWarning

HERE = Path(__file__).parent


@pytest.fixture
def installed(
    tmp_path: Path,
    pip_install: Callable[[Path, Path], None],
    plugin_path: Callable[[Path, str], Iterator[Path]],
) -> Iterator[Path]:
    target = tmp_path / "site"
    pip_install(HERE / "example-codeset", target)
    yield from plugin_path(target, "acme_denial_codes")


def _table() -> CodeTable:
    codes, release = load_builtin()
    return CodeTable(codes, release=release, extend=plugin_codes)


@pytest.mark.slow
def test_installed_code_set_is_found_lazily(installed: Path) -> None:
    table = _table()
    # built-in hits never load plugins
    assert table.lookup("CO-16").code == "16"
    assert "acme_denial_codes" not in sys.modules
    with pytest.warns(CodeSetClashWarning, match=r"acme-denial-codes\[acme\].*CCM21"):
        code = table.lookup("ACM101")
    assert code.code_set == "acme"
    assert code.system.value == "EXTENSION"
    assert code.action.value == "supply-information"
    # the clash kept the built-in meaning
    assert table.lookup("CCM21").code_set == "care-management"
    assert "ACM202" in table
    assert len(table) == 1660


@pytest.mark.slow
def test_broken_code_set_names_distribution_and_entry_point(
    tmp_path: Path,
    pip_install: Callable[[Path, Path], None],
    plugin_path: Callable[[Path, str], Iterator[Path]],
) -> None:
    pip_install(HERE / "broken-codeset", tmp_path)
    for _ in plugin_path(tmp_path, "broken_codes"):
        table = _table()
        assert table.lookup("16").code == "16"  # still fine: no plugin needed
        with pytest.raises(PluginLoadError, match=r"broken-codes\[broken\]") as info:
            table.lookup("ZZZ9")
        assert isinstance(info.value.__cause__, RuntimeError)
        assert info.value.distribution == "broken-codes"
        assert info.value.entry_point == "broken"


def test_without_plugins_unknown_codes_stay_unknown() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UnknownCodeError):
            denialkit.lookup("ACM101")


def test_with_codes_reports_clashes() -> None:
    extra = denialkit.CodeSet.from_records(
        "mine", [{"code": "ZZ7", "summary": "Mine."}, {"code": "CCM21", "summary": "Clash."}]
    )
    with pytest.warns(CodeSetClashWarning, match="CCM21"):
        table = denialkit.default_table().with_codes(extra.codes)
    assert table.lookup("ZZ7").summary == "Mine."
    assert table.lookup("CCM21").code_set == "care-management"
