"""``--lang en`` is English on every error path: no French sentence leaks into it.

A :class:`~moisinno_data.errors.MoisinnoError` raised without ``en=`` is said in French
whatever ``--lang`` asks (``MoisinnoError.text``): the guard below finds such a raise
anywhere in the library, and the command-line cases show what users met.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT

from moisinno_data.cli import main

EXAMPLE_SCHEMA = ROOT / "examples" / "schema-parkings-fictifs.json"

FRENCH = re.compile(
    r"[«»éèàùçêâô]| (?:le|la|les|des|du|un|une|est|pas|dans|fichier|dossier|schéma) ", re.I
)
"""A French sentence: its accents, its guillemets or its small words (a path or a table
name given by the test has none of them)."""


def _error_classes() -> set[str]:
    """The names of every exception class whose message ``--lang`` chooses (``en=``)."""
    from moisinno_data import errors

    names = {"MoisinnoError", "NoPackageError"}
    for path in (ROOT / "moisinno_data").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases}
                if bases & (names | {c for c in dir(errors) if c.endswith("Error")}):
                    names.add(node.name)
    return names


WITHOUT_ENGLISH: set[tuple[str, str]] = set()
"""(module, error class) raised without ``en=`` on purpose: none. ``DataTypeError`` was
here (« load() has no lang »), but ``moisinno info --lang en`` loads the tables and said it
in French."""


def test_every_error_a_command_can_say_has_its_english():
    names = _error_classes()
    names |= _error_classes()  # a subclass of a subclass found in the first pass
    missing = []
    for path in sorted((ROOT / "moisinno_data").rglob("*.py")):
        relative = path.relative_to(ROOT / "moisinno_data").as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in names or (relative, name) in WITHOUT_ENGLISH:
                continue
            if not any(k.arg == "en" for k in node.keywords):
                missing.append(f"{relative}:{node.lineno} {name}(…) without en=")
    assert missing == []


def _english_error(capsys, *argv: str) -> tuple[int, str]:
    code = main([*argv, "--lang", "en"])
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("[]", "is not a Table Schema"),
        ('{"a": 1}', "is not a Table Schema"),
        ("{", "is not readable JSON"),
    ],
)
def test_a_file_that_is_no_schema_is_said_in_english(tmp_path, capsys, content, said):
    schema = tmp_path / "schema.json"
    schema.write_text(content, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    code, err = _english_error(capsys, "validate", str(data), "--schema", str(schema))
    assert code == 2
    assert said in err and not FRENCH.search(err.split("Error: ", 1)[1]), err


def test_init_into_a_folder_that_is_not_empty_is_said_in_english(tmp_path, capsys):
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, err = _english_error(capsys, "init", str(folder), "--schema", str(EXAMPLE_SCHEMA))
    assert code == 2
    assert "already exists and is not empty" in err and not FRENCH.search(err), err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_init_with_two_schemas_of_one_table_is_said_in_english(tmp_path, capsys):
    schema = str(EXAMPLE_SCHEMA)
    code, err = _english_error(capsys, "init", str(tmp_path / "p"), "--schema", schema,
                               "--schema", schema)  # fmt: skip
    assert code == 2
    assert "two schemas have the same table name" in err and not FRENCH.search(err), err


def test_root_without_a_package_is_said_in_english(tmp_path, capsys):
    code, err = _english_error(capsys, "schemas", "--root", str(tmp_path))
    assert code == 2
    assert "no datapackage.json in this folder" in err and not FRENCH.search(err), err


def test_a_hand_edited_table_is_said_in_english_by_info(tmp_path, capsys, monkeypatch):
    """``info`` loads the tables: a cell that is not its type (a table edited by hand) was
    said in French under --lang en (DataTypeError had no English)."""
    package = tmp_path / "p"
    assert main(["init", str(package), "--schema", str(EXAMPLE_SCHEMA)]) == 0
    table = package / "datasets" / "parkings.csv"
    header = table.read_text(encoding="utf-8").splitlines()[0]
    row = {"id": "PK-001", "nom": "Parking fictif", "places": "12", "latitude": "48.8x"}
    cells = [row.get(name, "") for name in header.split(",")]
    table.write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")
    capsys.readouterr()
    monkeypatch.setenv("MOISINNO_ROOT", str(package))  # --root sets it: undone after the test
    code, err = _english_error(capsys, "info", "--root", str(package))
    assert code == 2
    assert 'parkings.csv, line 2, column "latitude": the value "48.8x" is not a number' in err
    assert not FRENCH.search(err), err


@pytest.mark.parametrize("command", ["consolidate", "release"])
def test_writing_outside_a_package_is_said_in_english(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MOISINNO_ROOT", raising=False)
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    argv = [command, str(data)] if command == "consolidate" else [command]
    code, err = _english_error(capsys, *argv)
    assert code == 2
    assert "No data package here" in err and not FRENCH.search(err), err


def test_every_reading_refusal_has_its_english():
    """Stop 37: the reading layer's refusals go through ``archive.fail(path, fr, en)``;
    30 of them gave no English (« feuille « X » introuvable », the budget's limits, a
    damaged archive…), so ``--lang en`` printed them in French. Each call gives both."""
    missing = []
    for path in sorted((ROOT / "moisinno_data").rglob("*.py")):
        relative = path.relative_to(ROOT / "moisinno_data").as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            starred = any(isinstance(a, ast.Starred) for a in node.args)
            english = len(node.args) >= 3 or any(k.arg == "en" for k in node.keywords)
            if name == "fail" and not starred and not english:
                missing.append(f"{relative}:{node.lineno} fail(…) without English")
    assert missing == []


def test_a_sheet_not_found_is_said_in_english(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Données et notes"
    book.active.append(["annee"])
    path = tmp_path / "classeur-fictif.xlsx"
    book.save(path)
    code, err = _english_error(capsys, "validate", str(path), "--sheet", "Nope")
    assert code == 2
    assert "sheet “Nope” not found; sheets present: Données et notes." in err, err
