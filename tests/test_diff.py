"""Diff: rows added/removed/changed cell by cell, schema changes with their level."""

from __future__ import annotations

import json
import subprocess
import sys

from moisinno_data.publishing import release as rel
from moisinno_data.publishing.diff import diff, render_text
from moisinno_data.publishing.semver import compare_schemas


def edit(root, table, old, new):
    path = root / "datasets" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_folder_against_archive_row_and_cell_level(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    first = rel.release(validate=False)
    edit(project_copy, "thematiques", "2020,relation-usager,service à l'usager,100,", "2020,relation-usager,service à l'usager,101,")  # fmt: skip
    lines = (
        (project_copy / "datasets" / "editions.csv").read_text(encoding="utf-8").splitlines(True)
    )
    removed_key = lines[-1].split(",")[0]
    (project_copy / "datasets" / "editions.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    with open(project_copy / "datasets" / "laboratoires.csv", "a", encoding="utf-8") as fh:
        fh.write("lab-exemple-fictif,Lab fictif,84,,,,etat,,,,,https://exemple.fr\n")
    d = diff(first.archive, project_copy)
    tables = {t.name: t for t in d.tables}
    assert tables["thematiques"].changed == {
        "2020|relation-usager": {"nombre_evenements": ("100", "101")}
    }
    assert tables["editions"].removed == [removed_key]
    assert tables["laboratoires"].added == ["lab-exemple-fictif"]
    assert tables["evenements"].empty
    assert d.level() == "major"  # a row removed: its id vanishes for readers
    text = render_text(d)
    assert (
        "« 100 » → « 101 »" in text
        and f"- {removed_key}" in text
        and "+ lab-exemple-fictif" in text
    )


def test_identical_sides_have_no_difference(project_copy):
    d = diff(project_copy, project_copy)
    assert d.empty and d.level() is None
    assert "Aucune différence" in render_text(d)


def test_schema_changes_are_classified():
    old = {
        "fields": [
            {"name": "a", "type": "string", "constraints": {"enum": ["x", "y"]}},
            {"name": "b", "type": "integer"},
            {"name": "c", "type": "string"},
            {"name": "d", "type": "number", "constraints": {"maximum": 10}},
        ],
        "primaryKey": ["a"],
    }
    new = {
        "fields": [
            {"name": "a", "type": "string", "constraints": {"enum": ["x", "y", "z"]}},
            {"name": "b", "type": "number"},
            {"name": "d", "type": "integer", "constraints": {"maximum": 5, "required": True}},
            {"name": "e", "type": "string"},
        ],
        "primaryKey": ["a"],
    }
    found = {(c.field, c.kind): c.level for c in compare_schemas(old, new)}
    assert found == {
        ("a", "enum-widened"): "minor",
        ("b", "type-changed"): "minor",  # integer → number widens
        ("c", "field-removed"): "major",
        ("d", "type-changed"): "major",  # number → integer narrows
        ("d", "maximum-changed"): "major",
        ("d", "required-added"): "major",
        ("e", "field-added"): "minor",
    }


def test_cli_json_between_store_versions(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    rel.release(validate=False)
    edit(project_copy, "thematiques", ",100,", ",101,")
    rel.release(validate=False)
    result = subprocess.run(
        [sys.executable, "-m", "moisinno_data", "diff", "0.1.0", "0.1.1", "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["level"] == "patch"
    (them,) = [t for t in data["tables"] if t["name"] == "thematiques"]
    assert them["changed"]["2020|relation-usager"]["nombre_evenements"] == {
        "before": "100", "after": "101",
    }  # fmt: skip


def test_bad_side_is_a_clear_error(project_copy, tmp_path):
    junk = tmp_path / "pas-une-archive.zip"
    junk.write_bytes(b"rien")
    for side in (str(junk), "9.9.9"):
        result = subprocess.run(
            [sys.executable, "-m", "moisinno_data", "diff", side, str(project_copy)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.startswith("Erreur :")


def test_editorial_metadata_changes_are_a_patch(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    first = rel.release(validate=False)
    descriptor = json.loads((project_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["description"] = "Description corrigée (exemple fictif)."
    (project_copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    d = diff(first.archive, project_copy)
    assert list(d.metadata) == ["resources.editions"] and d.level() == "patch"
    assert rel.release(validate=False).version == "0.1.1"


def test_composite_keys_holding_the_separator_never_merge_two_rows():
    """("x|y", "z") and ("x", "y|z") are two rows: shown alike, one change hid the other
    in the diff, its JSON and the changelog (sweep 11, a stranger's composite key)."""
    from moisinno_data.package.canonical import CsvTable
    from moisinno_data.publishing.diff import diff_tables

    header = ["a", "b", "n"]
    old = CsvTable(header, [["x|y", "z", "1"], ["x", "y|z", "1"]], ["a", "b"])
    new = CsvTable(header, [["x|y", "z", "2"], ["x", "y|z", "3"]], ["a", "b"])
    changed = diff_tables("t", old, new).changed
    assert changed == {"x\\|y|z": {"n": ("1", "2")}, "x|y\\|z": {"n": ("1", "3")}}
