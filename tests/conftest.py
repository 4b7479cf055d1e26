"""Shared fixtures. Servers (udata, the web page) are started by fixtures in their own files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

pytest_plugins = ["udata_fixture"]  # the session-wide local udata server

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
DATASETS = ROOT / "datasets"
TABLES = ("editions", "laboratoires", "evenements", "thematiques")


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``moisinno ARGS`` in a fresh interpreter, as a user runs it (exit code, both streams)."""
    return subprocess.run(
        [sys.executable, "-m", "moisinno_data", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


class FormulaCell(NamedTuple):
    """A formula cell for :func:`write_xlsx`, with the result the spreadsheet stored
    (``"#N/A"``: an error value)."""

    formula: str
    result: object


def write_xlsx(path: Path, rows: list[list], *, first_row: int = 0) -> Path:
    """A one-sheet workbook of ``rows`` from sheet row ``first_row`` (0: the first), each
    value as the spreadsheet types it: a number, a text, a date-time, a day, a formula."""
    import datetime

    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        for r, row in enumerate(rows, start=first_row):
            for c, value in enumerate(row):
                if isinstance(value, FormulaCell):
                    sheet.write_formula(r, c, value.formula, None, value.result)
                elif isinstance(value, datetime.datetime):
                    sheet.write_datetime(r, c, value, stamp)
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(r, c, value, day)
                else:
                    sheet.write(r, c, value)
    return path


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of several sheets, by name, each of its ``rows`` (written by openpyxl)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_schema(folder: Path, schema: dict) -> Path:
    """``schema`` as the JSON file a command takes with ``--schema``."""
    path = folder / "schema-fictif.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway copy of the data package; MOISINNO_ROOT points the library at it."""
    dest = tmp_path / "projet"
    dest.mkdir()
    shutil.copy2(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(SCHEMAS, dest / "schemas")
    shutil.copytree(DATASETS, dest / "datasets")
    # A copy without its release history (no store, no changelog) counts versions from
    # 0.1.0, as a new package does; the tests' version numbers rely on it.
    descriptor = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "0.1.0"
    (dest / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    monkeypatch.setenv("MOISINNO_ROOT", str(dest))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "releases"))
    return dest
