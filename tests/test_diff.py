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


def test_diff_speaks_english_with_lang_en_and_keeps_french_and_json(
    project_copy, monkeypatch, capsys
):
    """``--lang en``: every word of the text report in English, schema changes included;
    keys, values and the JSON (its ``text`` of each schema change) as they were."""
    from moisinno_data.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    first = rel.release(validate=False)
    edit(project_copy, "thematiques", "2020,relation-usager,service à l'usager,100,", "2020,relation-usager,service à l'usager,101,")  # fmt: skip
    edit(project_copy, "thematiques", "innovation managériale,65,", "innovation managériale,66,")
    schema_path = project_copy / "schemas" / "laboratoires" / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    (nom,) = [f for f in schema["fields"] if f["name"] == "nom"]
    nom.setdefault("constraints", {})["maxLength"] = 7
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    args = ["diff", str(first.archive), str(project_copy)]
    assert main([*args, "--lang", "en"]) == 0
    en = capsys.readouterr().out
    for words in (
        f"Differences between {first.archive} and {project_copy}",
        "Level of change (semver): major (breaking)",
        "editions: unchanged (",
        "thematiques: changed — 6 → 6 rows; 0 added, 0 removed, 2 changed",
        '      nombre_evenements: "100" → "101"',
        "  schema [major] nom: maxLength added (7)",
    ):
        assert words in en, words
    for french in ("Différences", "Niveau", "identique", "modifié", "lignes", "schéma", "«",
                   "ajouté", "majeur"):  # fmt: skip
        assert french not in en, french
    assert main(args) == 0
    fr = capsys.readouterr().out
    for words in (  # the French report as it was
        f"Différences entre {first.archive} et {project_copy}",
        "Niveau de changement (semver) : majeur (incompatible)",
        "editions : identique (",
        "thematiques : modifiée — 6 → 6 lignes ; 0 ajoutée(s), 0 retirée(s), 2 modifiée(s)",
        "      nombre_evenements : « 100 » → « 101 »",
        "  schéma [major] nom : maxLength ajouté (7)",
    ):
        assert words in fr, words
    assert main([*args, "--max", "1", "--lang", "en"]) == 0
    assert "\n  … and 1 more row(s) (--format json for all)\n" in capsys.readouterr().out
    assert main([*args, "--max", "1"]) == 0
    assert "\n  … et 1 autre(s) ligne(s) (--format json pour tout)\n" in capsys.readouterr().out
    assert main([*args, "--json", "--lang", "en"]) == 0
    as_json = capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    assert capsys.readouterr().out == as_json
    (labs,) = [t for t in json.loads(as_json)["tables"] if t["name"] == "laboratoires"]
    assert labs["schema_changes"] == [
        {"level": "major", "field": "nom", "kind": "maxLength-added",
         "text": "nom : maxLength ajouté (7)"},
    ]  # fmt: skip
    assert main(["diff", str(project_copy), str(project_copy), "--lang", "en"]) == 0
    assert capsys.readouterr().out.endswith("\nNo difference.\n")
    assert main(["diff", "9.9.9", str(project_copy), "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith('Error: "9.9.9" is neither a folder')


def test_every_kind_of_schema_change_is_said_in_both_languages():
    old = {
        "fields": [
            {"name": "a", "type": "string", "constraints": {"required": True, "pattern": "^x"}},
            {"name": "b", "type": "integer", "constraints": {"minimum": 1, "enum": [1, 2]}},
            {
                "name": "c",
                "type": "date",
                "title": "C",
                "constraints": {"enum": [1], "pattern": "^c"},
            },
            {"name": "gone", "type": "string"},
        ],
        "primaryKey": ["a"],
        "custom_checks": [{"name": "siret"}],
        "title": "T",
    }
    new = {
        "fields": [
            {
                "name": "b",
                "type": "number",
                "constraints": {"maximum": 9, "enum": [2, 3], "unique": True},
            },
            {"name": "a", "type": "string", "constraints": {"pattern": "^y", "enum": ["y"]}},
            {"name": "c", "type": "string", "format": "%Y", "title": "Cé"},
            {"name": "new", "type": "string", "constraints": {"enum": ["z"], "pattern": "^z"}},
        ],
        "primaryKey": ["b"],
        "custom_checks": [{"name": "cog"}],
        "missingValues": ["NA"],
        "title": "U",
    }
    changes = compare_schemas(old, new)
    kinds = {c.kind for c in changes}
    assert {"field-removed", "field-added", "type-changed", "format-changed", "required-removed",
            "unique-added", "minimum-removed", "maximum-added", "enum-narrowed", "enum-widened",
            "enum-removed", "enum-added", "pattern-changed", "pattern-removed", "title-changed", "field-order", "primary-key",
            "check-added", "check-removed", "missing-values", "schema-title"} <= kinds  # fmt: skip
    for c in changes:
        assert c.en and c.text_in("en") == c.en and c.text_in("fr") == c.text, c
        for french in ("é", "«", "ajout", "retir", "modifi", "champ", "motif", "valeurs"):
            assert french not in c.en, (french, c.en)
    said = {(c.field, c.kind): (c.text, c.en) for c in changes}
    assert said["b", "type-changed"] == (
        "b : type integer → number (élargi)",
        "b: type integer → number (widened)",
    )
    assert said[None, "field-order"] == ("ordre des champs modifié", "order of the fields changed")
    assert said["a", "required-removed"] == (
        "a : contrainte « required » retirée",
        'a: constraint "required" removed',
    )


def test_a_keyless_table_keeps_its_rows_when_an_empty_optional_column_is_added():
    """Sweep 9: a table without a primary key knew a row by all its cells, so adding an
    optional field (an empty column, ``NA`` where only that is missing) listed every row
    as removed then added — a major change for what README calls minor. A column one
    version lacks reads there as a missing value; a row where it is filled is another."""
    from moisinno_data.package.canonical import CsvTable
    from moisinno_data.publishing.diff import diff_tables

    old = CsvTable(["site", "n"], [["A", "5"], ["B", "NA"]], [])
    new = CsvTable(["site", "n", "note"], [["A", "5", ""], ["B", "NA", "NA"], ["B", "NA", "x"]], [])
    schema = {"missingValues": ["", "NA"], "fields": [{"name": n} for n in ("site", "n", "note")]}
    t = diff_tables("t", old, new, schema)
    assert (t.added, t.removed, t.changed) == (["B|NA|x"], [], {})


def test_a_keyless_row_spelled_otherwise_is_the_same_row():
    """Sweep 16: a keyless row was known by its cells as written, but for integers and
    date-times: ``22.0`` for ``22`` in a number column, ``1,50`` for ``1,5`` with a
    decimal comma, ``5/1/2024`` for ``05/01/2024`` under ``%d/%m/%Y`` or a geopoint's
    spaces made the published row removed and added — a major version for nothing. They
    are one row, modified (its text changed), not another."""
    from moisinno_data.package.canonical import CsvTable
    from moisinno_data.publishing.diff import diff_tables

    schema = {"fields": [
        {"name": "nom"}, {"name": "x", "type": "number", "decimalChar": ","},
        {"name": "d", "type": "date", "format": "%d/%m/%Y"}, {"name": "p", "type": "geopoint"},
    ]}  # fmt: skip
    old = CsvTable(["nom", "x", "d", "p"], [["A", "1,5", "05/01/2024", "1.5, 2.5"]], [])
    new = CsvTable(["nom", "x", "d", "p"], [["A", "1,50", "5/1/2024", "1.50,2.5"]], [])
    t = diff_tables("t", old, new, schema)
    assert (t.added, t.removed, len(t.changed)) == ([], [], 1)


def test_a_keyless_row_is_named_by_its_published_text():
    """Stop 37: a keyless row was named, in the diff's lists, its json and the changelog's
    labels, by its identity's spelling (``x=1.5`` for the published ``1,50``, a
    date-time in UTC), which no reader finds in either version's file. It is named by
    its cells as published: the new version's for a row added or changed, the old
    version's for a row removed."""
    from moisinno_data.package.canonical import CsvTable
    from moisinno_data.publishing.diff import diff_tables

    schema = {"fields": [
        {"name": "nom"}, {"name": "x", "type": "number", "decimalChar": ","},
        {"name": "t", "type": "datetime"},
    ]}  # fmt: skip
    header = ["nom", "x", "t"]
    old = CsvTable(header, [["Fictif A", "1,5", "2024-01-01T00:00:00+01:00"],
                            ["Fictif B", "2,25", "2024-02-01T08:00:00+01:00"]], [])  # fmt: skip
    new = CsvTable(header, [["Fictif A", "1,50", "2024-01-01T00:00:00+01:00"],
                            ["Fictif C", "3,75", "2024-03-01T09:30:00+01:00"]], [])  # fmt: skip
    t = diff_tables("t", old, new, schema)
    assert t.added == ["Fictif C|3,75|2024-03-01T09:30:00+01:00"]
    assert t.removed == ["Fictif B|2,25|2024-02-01T08:00:00+01:00"]
    assert list(t.changed) == ["Fictif A|1,50|2024-01-01T00:00:00+01:00"]
    assert t.changed["Fictif A|1,50|2024-01-01T00:00:00+01:00"] == {"x": ("1,5", "1,50")}
    assert t.label(t.added[0]) == "nom=Fictif C; x=3,75; t=2024-03-01T09:30:00+01:00"
    assert t.label(t.removed[0]) == "nom=Fictif B; x=2,25; t=2024-02-01T08:00:00+01:00"


def package_folder(folder, schema: dict, csv_text: str):
    """A data package of one table ``aides`` (schema inline) written in ``folder``."""
    (folder / "datasets").mkdir(parents=True)
    (folder / "datasets" / "aides.csv").write_text(csv_text, encoding="utf-8")
    resource = {"name": "aides", "path": "datasets/aides.csv", "schema": schema}
    descriptor = {"name": "fictif", "resources": [resource]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def test_a_unique_required_field_names_the_rows_of_a_table_without_primary_key(tmp_path):
    """Sweep 11: a dispositif-aide row (no primaryKey, ``id`` unique and required) whose
    title changed was removed and added again, a major change; it is a modified row."""
    from moisinno_data.publishing.diff import diff

    unique = {"required": True, "unique": True}
    schema = {"fields": [{"name": "id", "constraints": unique}, {"name": "titre"}]}
    old = package_folder(tmp_path / "a", schema, "id,titre\nA1,Aide fictive\nA2,Autre\n")
    new = package_folder(tmp_path / "b", schema, "id,titre\nA1,Aide fictive 2025\nA2,Autre\n")
    d = diff(old, new)
    t = d.tables[0]
    assert (t.added, t.removed) == ([], [])
    assert t.changed == {"A1": {"titre": ("Aide fictive", "Aide fictive 2025")}}
    assert d.level() == "patch"


BORNES = ["nom_amenageur", "contact_amenageur", "adresse_station", "id_pdc", "puissance"]
"""An IRVE-like table without any identifier: the cells that tell rows apart come late."""


def borne(pdc: str, puissance: str) -> str:
    return f"Société fictive X,contact@amenageur-fictif.fr,1 rue Fictive 00000 Nulle-Part,{pdc},{puissance}\n"


def test_a_keyless_row_is_shown_by_the_cells_that_tell_rows_apart(tmp_path):
    """Sweep 11: one ``puissance_nominale`` edited in IRVE (no key) listed « Ajoutées (1) »
    and « Retirées (1) » under one label, the operator's name and contacts cut at 80
    characters, without the point's identifier (16th column). The label starts with the
    column of most distinct values; the diff keeps each row's whole identity (json)."""
    schema = {"fields": [{"name": n} for n in BORNES]}
    rows = [borne("FRX01E1", "22"), borne("FRX01E2", "22")]
    old = package_folder(tmp_path / "a", schema, ",".join(BORNES) + "\n" + "".join(rows))
    rows[1] = borne("FRX01E2", "50")
    new = package_folder(tmp_path / "b", schema, ",".join(BORNES) + "\n" + "".join(rows))
    d = diff(old, new)
    t = d.tables[0]
    whole = "Société fictive X|contact@amenageur-fictif.fr|1 rue Fictive 00000 Nulle-Part"
    assert t.added == [f"{whole}|FRX01E2|50"] and t.removed == [f"{whole}|FRX01E2|22"]
    assert t.label(t.added[0]).startswith("id_pdc=FRX01E2; puissance=50; nom_amenageur=")
    assert len(t.label(t.added[0])) <= 81
    text = render_text(d)
    assert "  + id_pdc=FRX01E2; puissance=50;" in text and whole not in text
    assert d.to_dict()["tables"][0]["labels"] == t.labels


def test_a_schema_change_no_rule_named_is_still_a_change_with_its_level():
    """trueValues, decimalChar, uniqueKeys, a field's missingValues, the schema's version
    or any other property changed used to be no change at all: release said "nothing to
    release", and the store kept serving the old schema under the same number."""
    old = {
        "version": "1.0.0",
        "fields": [
            {"name": "b", "type": "boolean", "trueValues": ["oui", "O"], "falseValues": ["non"]},
            {"name": "x", "type": "number", "decimalChar": ","},
            {"name": "s", "type": "string", "missingValues": ["", "NA"]},
            {"name": "t", "type": "string"},
            {"name": "j", "type": "object", "constraints": {"jsonSchema": {"type": "object"}}},
        ],
    }
    new = {
        "version": "1.1.0",
        "uniqueKeys": [["x", "s"]],
        "fields": [
            {"name": "b", "type": "boolean", "trueValues": ["oui", "vrai"], "falseValues": ["non"]},
            {"name": "x", "type": "number", "decimalChar": ".", "bareNumber": False},
            {"name": "s", "type": "string", "missingValues": ["", "-"]},
            {"name": "t", "type": "string", "rdfType": "https://schema.org/name"},
            {"name": "j", "type": "object", "constraints": {"jsonSchema": {"required": ["a"]}}},
        ],
    }
    found = {(c.field, c.kind): c.level for c in compare_schemas(old, new)}
    assert found == {
        ("b", "trueValues-narrowed"): "major",  # a cell "O" no longer reads as true
        ("b", "trueValues-widened"): "minor",
        ("x", "notation-changed"): "major",  # decimalChar, then bareNumber
        ("s", "missing-values"): "major",
        ("j", "constraint-changed"): "major",
        ("t", "property-changed"): "patch",
        (None, "unique-keys"): "major",
        (None, "schema-property"): "patch",
    }
    assert len([c for c in compare_schemas(old, new) if c.kind == "notation-changed"]) == 2
    assert compare_schemas(new, json.loads(json.dumps(new))) == []
    dropped = {**new, "uniqueKeys": []}
    assert [c.level for c in compare_schemas(new, dropped)] == ["minor"]


def test_a_metadata_only_schema_change_cuts_a_patch_version(project_copy, monkeypatch):
    """A schema property no rule names (here its version) was no change: the release
    refused to cut a version, and the archive kept the old schema.json."""
    monkeypatch.chdir(project_copy)
    first = rel.release()
    path = project_copy / "schemas" / "editions" / "schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["version"] = "9.9.9"
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = rel.release()
    assert result.version is not None and result.level == "patch", result.why()
    assert result.previous == first.version
    assert "propriétés du schéma modifiées : version" in result.changelog_entry


def test_any_type_widens_to_string_or_any():
    """Every value of any type reads as a string (as published) or as ``any``: a field
    made ``string`` from ``yearmonth``, ``geopoint``, ``duration``… was called narrowed,
    a major version for a loosening."""
    for before in ("yearmonth", "geopoint", "duration", "array", "object", "time", "any"):
        for after in ("string", "any"):
            if before == after:
                continue
            old = {"fields": [{"name": "f", "type": before}]}
            new = {"fields": [{"name": "f", "type": after}]}
            (change,) = compare_schemas(old, new)
            assert (change.kind, change.level) == ("type-changed", "minor"), (before, after)
            assert "(élargi)" in change.text
    narrowed = compare_schemas(
        {"fields": [{"name": "f", "type": "any"}]}, {"fields": [{"name": "f", "type": "year"}]}
    )
    assert [c.level for c in narrowed] == ["major"]
