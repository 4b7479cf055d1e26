"""What ``moisinno`` imports before doing its work: start-up time is most of a small run.

A steward validating a 1,000-row file waits for the interpreter and the libraries rather
than for the validation, so libraries a run does not use must not be imported. Checked on
the modules a fresh ``python -X importtime`` process lists (never on timings): python-stdnum
(which pulls ssl), phonenumbers and opening-hours load only when a schema's check needs
them; ``pyarrow.compute`` only when a command computes with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

CHECKING_LIBRARIES = {"stdnum", "ssl", "phonenumbers", "opening_hours"}


def _imported(*args: str, cwd: Path = ROOT) -> set[str]:
    """Every module a fresh ``python -X importtime ARGS`` imports (its exit code ignored:
    a file with errors exits 1)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    lines = [line for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert lines, proc.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in lines}


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize(
    "args", [("--help",), ("--lang", "en", "--help"), ("validate", "--lang", "en", "--help")]
)
def test_help_imports_no_data_library(args):
    """The help in English (its table, :mod:`moisinno_data.cli.english`) stays as light."""
    imported = _imported("-m", "moisinno_data", *args)
    assert "moisinno_data.cli" in imported
    assert ("moisinno_data.cli.english" in imported) == ("en" in args)
    assert not _top(imported) & {"polars", "numpy", "pyarrow", "pandas"}


def test_rule_registry_knows_every_check_without_its_library():
    """Names, parameters and finding kinds of every rule, as the schema check and the
    report need them, come without the libraries that judge the values."""
    code = (
        "from moisinno_data.validation import kinds, rules\n"
        "assert rules.RULES['french-siret-value'].PARAMS\n"
        "assert rules.RULES['phone-number-value'].PARAMS\n"
        "assert kinds.get('siret-checksum') and kinds.get('french-siret-value')\n"
    )
    imported = _imported("-c", code)
    assert "moisinno_data.validation.rules.french_siret" in imported
    assert not _top(imported) & CHECKING_LIBRARIES


def _events_file(folder: Path) -> tuple[Path, Path]:
    """A made-up file with a typed column, a blank required cell and a short row (findings
    with and without a column), and its schema (no ``custom_checks``)."""
    schema = {
        "fields": [
            {"name": "id", "type": "string", "constraints": {"required": True}},
            {"name": "edition", "type": "integer"},
            {"name": "siret", "type": "string", "constraints": {"pattern": "[0-9]{14}"}},
        ],
        "primaryKey": ["id"],
    }
    rows = ["id,edition,siret", "fictif-1,2020,12345678200010", "fictif-2,deux-mille,"]
    rows += [",2021,1234", "fictif-4", "fictif-1,2022,"]
    data = folder / "fictif.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    schema_path = folder / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    return data, schema_path


def test_validate_without_custom_checks_imports_no_checking_library(tmp_path):
    data, schema = _events_file(tmp_path)
    report = tmp_path / "rapport.json"
    imported = _imported(
        *("-m", "moisinno_data", "validate", str(data), "--schema", str(schema)),
        *("--format", "json", "--output", str(report)),
    )
    codes = {e["code"] for e in json.loads(report.read_text(encoding="utf-8"))["errors"]}
    assert {"type-error", "constraint-error", "primary-key"} <= codes
    assert codes & {"missing-cell", "missing-cells"}  # a finding with no single column
    assert not _top(imported) & CHECKING_LIBRARIES
    assert "pyarrow.compute" not in imported
    assert "pandas" not in _top(imported)
