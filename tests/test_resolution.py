"""One reading of a file in every command, and never VALIDE with unchecked data.

Each case is a file a steward actually receives (headers slightly off, a foreign table, an
update with a key written differently), with the verdict the steward needs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write_schema, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from moisinno_data.errors import ConfigError, InputError
from moisinno_data.package import canonical, french
from moisinno_data.package.schemas import load_schema
from moisinno_data.package.text import normalise_label
from moisinno_data.publishing.consolidate import consolidate
from moisinno_data.publishing.consolidate import describe as describe_merge
from moisinno_data.publishing.fix import describe, fix_file, fix_rows
from moisinno_data.reading import read_rows
from moisinno_data.validation import validate
from moisinno_data.validation.resolution import detect_table, resolve_header

EVENTS = load_schema("evenements")
EXAMPLE_01 = ROOT / "examples" / "contributions" / "01-prefecture-fictive-evenements.csv"
CUSTOM = {
    "name": "depenses-fictives",
    "fields": [
        {"name": "date_debut", "type": "date", "constraints": {"required": True}},
        {"name": "Montant (€)", "type": "number"},
        {"name": "payee", "type": "boolean", "trueValues": ["OUI"], "falseValues": ["NON"]},
        {"name": "commentaire", "type": "string"},
        {"name": "code_postal", "type": "string"},
    ],
}


def write(tmp_path: Path, text: str, name: str = "fichier.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(CUSTOM), encoding="utf-8")
    return path


def codes(report) -> set[str]:
    return {f.code for f in report.errors + report.warnings}


# --- headers slightly off are mapped, and their values checked --------------------------


def test_space_for_underscore_is_mapped_and_its_values_checked(tmp_path):
    path = write(tmp_path, "date debut,commentaire\npas une date,x\n")
    result = run_cli("validate", str(path), "--schema", str(schema_file(tmp_path)))
    assert result.returncode == 1, result.stdout
    assert "« date debut » → date_debut" in result.stdout
    assert "« pas une date »" in result.stdout and "type-error" in result.stdout


def test_lost_accent_in_a_header_is_mapped(tmp_path):
    for damaged in ("Montant (?)", "Montant (\ufffd)", "Montant (\ufffd\ufffd)"):
        report = validate(
            write(tmp_path, f"date_debut,{damaged}\n2024-11-19,douze\n"), CUSTOM, lang="fr"
        )
        assert report.detected["header_mapping"] == {damaged: "Montant (€)"}
        assert [(f.code, f.field) for f in report.errors] == [("type-error", "Montant (€)")]


@pytest.mark.parametrize(
    "label",
    [
        "date_debut\u200b",
        "\ufeffdate_debut",
        "date\u00a0debut",
        "date_debut\x85",
        " Date-Début ",
        "DATE.DEBUT",
        "date__debut",
    ],
)
def test_invisible_characters_case_accents_and_separators_are_tolerated(label):
    resolution = resolve_header([label, "commentaire"], CUSTOM["fields"])
    assert resolution.columns == {"date_debut": 0, "commentaire": 1}
    assert [f.code for f in resolution.findings if f.severity == "error"] == []


def test_a_field_title_maps_and_the_mapping_is_shown():
    resolution = resolve_header(["Identifiant", "Édition", "Titre", "Sources"], EVENTS["fields"])
    assert resolution.mapping["Identifiant"] == "id"
    how = {f.value: f.params["how"] for f in resolution.findings if f.code == "incorrect-label"}
    assert how == {
        "Identifiant": "title", "Édition": "spelling", "Titre": "spelling", "Sources": "spelling"
    }  # fmt: skip


def test_an_unknown_column_says_it_was_not_checked_in_the_first_lines(tmp_path):
    path = write(tmp_path, "date_debut,date debut prevue\n2024-11-19,pas une date\n")
    result = run_cli("validate", str(path), "--schema", str(schema_file(tmp_path)))
    head = result.stdout.splitlines()[:7]
    assert result.returncode == 0  # an unknown column is a warning, as in Validata
    assert any("NON contrôlées" in line and "date debut prevue" in line for line in head)
    assert any("ressemble à date_debut" in line for line in head), head
    english = run_cli("validate", str(path), "--schema", str(schema_file(tmp_path)), "--lang", "en")
    assert any("NOT checked" in line for line in english.stdout.splitlines()[:7])


def test_an_exact_label_is_not_taken_by_a_loose_one_before_it():
    resolution = resolve_header(["Commentaire", "commentaire"], CUSTOM["fields"])
    assert resolution.columns["commentaire"] == 1
    assert resolution.copies == {0: "commentaire"} and not resolution.unknown  # a copy


# --- auto-detection ---------------------------------------------------------------------


def test_a_foreign_table_with_one_matching_column_is_not_guessed(tmp_path):
    path = write(tmp_path, "nom_parking;adresse;places;id;tarif\nP1;1 rue fictive;30;x;2\n")
    for command in ("validate", "fix"):
        result = run_cli(command, str(path))
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "aucune table ne correspond clairement" in result.stderr
        assert "--schema" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_detection_needs_most_columns_and_every_required_one():
    header = ["id", "edition", "titre", "sources", "date"]
    assert detect_table(header).name == "evenements"
    with pytest.raises(ConfigError, match="obligatoires absentes : sources"):
        detect_table(["id", "edition", "titre", "date"])
    noise = [f"colonne_{i}" for i in range(10)]
    with pytest.raises(ConfigError):
        detect_table(header + noise)


# --- every command reads the file the same way ------------------------------------------


def test_example_01_gets_the_same_mapping_and_verdict_everywhere(project_copy, tmp_path):
    report = validate(EXAMPLE_01)
    assert report.schema["name"] == "evenements"
    assert report.detected["header_mapping"]["Identifiant"] == "id"
    assert "missing-label" not in {f.code for f in report.errors}
    # what validate still refuses is only what fix converts (French dates, numbers, yes/no…)
    out = tmp_path / "corrige.csv"
    fixed = fix_file(EXAMPLE_01, EVENTS, out)
    assert fixed.header[0] == "id" and fixed.errors_left == 0
    assert validate(out, "evenements").valid
    result = consolidate([EXAMPLE_01], received="2026-11-20")
    assert result.totals == {
        "added": 3, "updated": 0, "unchanged": 0, "rejected": 0, "conflicting": 0
    }  # fmt: skip


LAB_HEADER = [f["name"] for f in load_schema("laboratoires")["fields"]]
LAB_ROW = [
    "lab-fictif-titre",
    "Lab fictif sous un titre",
    "84",
    "69",
    "Lyon",
    "Préfecture fictive",
    "etat",
    "2090-05",
    "",
    "actif",
    "Ligne d'exemple inventée.",
    "https://exemple.gouv.fr",
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_title_above_the_header_is_named_by_every_command_and_fix_removes_it(
    project_copy, tmp_path, kind
):
    """Sweep of real office files (an IRVE export): a title and a blank row above the
    header. validate said « aucune table ne correspond » without --schema, and with it 23
    missing-label errors; fix wrote the title as the header and called it fixed. Now every
    command names the header's row, and fix (and consolidate, as fix) removes the rows
    above it. Without --schema, validate stopped there (exit 2, « l'en-tête doit être en
    ligne 1 ») where it said INVALIDE with it: it now takes the table whose header stands
    under the title, as fix and consolidate do, and says the same as with --schema."""
    title = "Laboratoires fictifs — export du 1er décembre"
    rows = [[title], [], LAB_HEADER, LAB_ROW]
    path = tmp_path / f"titre-au-dessus.{kind}"
    if kind == "xlsx":
        write_xlsx(path, rows)
    else:
        path.write_text(
            "\n".join(";".join(r + [""] * (len(LAB_HEADER) - len(r))) for r in rows) + "\n",
            encoding="utf-8",
        )
    report = validate(path, "laboratoires")
    (nothing,) = [f for f in report.errors if f.code == "no-matching-column"]
    assert nothing.params["header_row"] == 3 and "en ligne 3" in nothing.hint
    assert "missing-label" not in codes(report)
    detected = validate(path)
    assert detected.schema["name"] == "laboratoires" and detected.schema["detected_by"] == "header"
    assert [(f.code, f.row, f.column) for f in detected.errors] == [
        (f.code, f.row, f.column) for f in report.errors
    ]
    said = run_cli("validate", str(path))
    assert said.returncode == 1 and "INVALIDE" in said.stdout and "en ligne 3" in said.stdout
    out = tmp_path / "corrige.csv"
    fixed = fix_file(path, load_schema("laboratoires"), out)
    assert [(c.row, c.rule) for c in fixed.changes] == [(1, "ligne-titre"), (2, "ligne-titre")]
    assert fixed.changes[0].before == title and fixed.header_row == 3
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(LAB_HEADER)
    assert fixed.errors_left == 0 and validate(out, "laboratoires").valid
    cli = run_cli("fix", str(path), "-o", str(tmp_path / "cli.csv"))
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "cli.csv").read_bytes() == out.read_bytes()
    # consolidate puts each file in fix's form: it reads the table under its title too
    # (sweep 8: it rejected the file, and counted the header as a received row).
    for table in (None, "laboratoires"):
        result = consolidate([path], table=table, dry_run=True, received="2026-12-01")
        assert not result.files[0].file_errors and result.totals["added"] == 1
        assert [c.rule for c in result.files[0].fixes][:2] == ["ligne-titre", "ligne-titre"]


def test_a_data_row_is_not_taken_for_a_header_below(tmp_path):
    """Only a row that clearly is the header (most cells the fields, every required one)
    is named: a file of data with a wrong header keeps the plain advice, and fix refuses
    it (no column is a field) rather than take its second row for a header below."""
    path = tmp_path / "sans-en-tete.csv"
    path.write_text(",".join(LAB_ROW) + "\n" + ",".join(LAB_ROW) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="aucune table ne correspond clairement"):
        validate(path)
    (nothing,) = [
        f for f in validate(path, "laboratoires").errors if f.code == "no-matching-column"
    ]
    assert "header_row" not in nothing.params
    with pytest.raises(InputError, match=r"aucune colonne.*mettez l'en-tête en ligne 1") as said:
        fix_file(path, load_schema("laboratoires"), tmp_path / "corrige.csv")
    assert "(en-tête lu : lab-fictif-titre," in str(said.value)  # line 1, the one read
    assert not (tmp_path / "corrige.csv").exists()


LABEL_VARIANTS = st.sampled_from(
    [
        lambda s: s,
        str.upper,
        str.title,
        lambda s: s.replace("_", " "),
        lambda s: s.replace("_", "-"),
        lambda s: s.replace("_", "."),
        lambda s: f"  {s} ",
        lambda s: s + "\u200b",
        lambda s: "\ufeff" + s,
        lambda s: s.replace("_", "\u00a0"),
    ]
)


@settings(max_examples=25, deadline=None)
@given(
    choices=st.lists(
        st.tuples(st.sampled_from([f["name"] for f in EVENTS["fields"]]), LABEL_VARIANTS),
        min_size=4,
        max_size=10,
    ),
    extra=st.sampled_from(["", "remarque libre", "colonne en plus"]),
)
def test_validate_fix_and_consolidate_agree_on_the_mapping(tmp_path_factory, choices, extra):
    names = list(dict.fromkeys(["id", "edition", "titre", "sources", *(n for n, _ in choices)]))
    variant = dict(choices)
    header = [variant[n](n) if n in variant else n for n in names] + ([extra] if extra else [])
    path = tmp_path_factory.mktemp("variantes") / "fichier.csv"
    path.write_text(canonical.to_csv_text(header, [["x"] * len(header)]), encoding="utf-8")
    report = validate(path, messages=False)
    assert report.schema["name"] == "evenements"
    # What both commands read from the same file (a BOM on the first name is the file's).
    header = read_rows(path).header
    by_validate = {
        **{h: h for h in header if h in names},
        **report.detected["header_mapping"],
    }
    fixed = fix_rows(header, [(2, ["x"] * len(header))], EVENTS)
    by_fix = {h: new for h, new in zip(header, fixed.header, strict=True) if new in names}
    assert by_validate == by_fix
    assert list(report.detected["unchecked_columns"]) == fixed.unknown_columns
    assert {normalise_label(h) for h in by_fix} == {normalise_label(n) for n in by_fix.values()}


# --- messages that match the schema -----------------------------------------------------


def test_boolean_hint_uses_the_fields_own_values(tmp_path):
    report = validate(write(tmp_path, "date_debut,payee\n2024-11-19,true\n"), CUSTOM)
    (finding,) = report.errors
    assert "OUI ou NON" in finding.message
    assert "true ou false" not in finding.message + finding.hint
    assert finding.hint.startswith("Écrivez OUI")


def test_a_row_with_a_value_only_in_an_unknown_column_is_not_blank(tmp_path):
    text = "date_debut,remarque libre\n2024-11-19,\n,seulement ici\n,\n"
    report = validate(write(tmp_path, text), CUSTOM)
    assert [f.row for f in report.errors if f.code == "blank-row"] == [4]


def test_missing_optional_columns_are_one_finding(tmp_path):
    report = validate(write(tmp_path, "date_debut\n2024-11-19\n"), CUSTOM)
    missing = [f for f in report.warnings if f.code == "missing-label"]
    assert len(missing) == 1
    assert missing[0].params["fields"] == ["Montant (€)", "payee", "commentaire", "code_postal"]
    assert "4 colonnes facultatives" in missing[0].message


# --- fix and consolidate honest -----------------------------------------------------------


def test_fix_exits_1_with_the_count_when_errors_remain(tmp_path):
    path = write(tmp_path, "date_debut,Montant (€)\n19/11/2024,douze\n")
    out = tmp_path / "sortie.csv"
    result = run_cli("fix", str(path), "--schema", str(schema_file(tmp_path)), "-o", str(out))
    assert result.returncode == 1, result.stdout
    assert "encore 1 erreur(s) (type-error ×1)" in result.stdout
    assert out.read_text(encoding="utf-8").splitlines()[1] == "2024-11-19,douze"


def test_integer_keys_are_written_and_matched_as_their_type_reads_them(project_copy, tmp_path):
    before = (project_copy / "datasets" / "editions.csv").read_text(encoding="utf-8")
    contribution = write(
        tmp_path,
        "annee,sources\n02020,https://exemple.gouv.fr/fictif\n+2019,https://exemple.gouv.fr/b\n",
    )
    result = consolidate([contribution], table="editions", received="2026-11-20")
    assert result.totals["added"] == 0 and result.totals["updated"] == 2
    after = canonical.read_table(
        project_copy / "datasets" / "editions.csv", load_schema("editions")
    )
    keys = [row[0] for row in after.rows]
    assert "02020" not in keys and "+2019" not in keys and keys.count("2020") == 1
    assert len(after.rows) == len(before.splitlines()) - 1
    assert validate(project_copy / "datasets" / "editions.csv", "editions").valid
    assert french.canonical_integer("-0") == "0"


def test_an_update_valid_alone_but_not_once_merged_is_rejected(project_copy, tmp_path):
    """Alone, the update is valid; with the published start date it keeps, it ends before
    it: the row is rejected (its absent columns are validated with their published
    values), the published table stays as it is."""
    published = project_copy / "datasets" / "editions.csv"
    before = published.read_bytes()
    update = write(tmp_path, "annee,date_fin,sources\n2014,2014-11-01,https://exemple.gouv.fr/x\n")
    result = consolidate([update], table="editions", received="2026-11-20")
    (row,) = result.rows
    assert row.status == "rejected" and "précède le début « 2014-11-12 »" in row.reasons[0]
    assert published.read_bytes() == before
    assert not (project_copy / "provenance" / "editions.csv").exists()
    cli = run_cli("consolidate", str(update), "--table", "editions", cwd=project_copy)
    assert cli.returncode == 1 and "2014 rejetée" in cli.stdout
    assert published.read_bytes() == before


SMALL = {
    "name": "stations-fictives",
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "nom", "type": "string"},
        {"name": "titre", "type": "string"},
    ],
}


def test_a_file_where_no_column_is_the_schemas_is_invalid_not_silently_valid(tmp_path):
    """frictionless-py's own test files: a spreadsheet whose first row is blank
    (``issue-1024.xlsx``) and a table with no header row (``issue-1478/table.csv``) were
    reported valid, every field an "optional column missing" and nothing checked. A bad
    id below the blank row shows what was missed."""
    rows = [["id", "nom", "titre"], [1, "a", "b"], ["x", "c", "d"]]
    blank_first = write_xlsx(tmp_path / "ligne-vide-fictive.xlsx", rows, first_row=1)
    no_header = tmp_path / "sans-en-tete-fictif.csv"
    no_header.write_text("1|a|b\n2|c|d\n", encoding="utf-8")
    for path, words in ((blank_first, "est vide"), (no_header, "en-tête lu : 1, a, b")):
        report = validate(path, schema=SMALL)
        assert not report.valid, path.name
        first = report.errors[0]
        assert first.code == "no-matching-column" and words in first.message, first.message
    done = run_cli("validate", str(no_header), "--schema", str(write_schema(tmp_path, SMALL)))
    assert done.returncode == 1 and "Aucune colonne reconnue" in done.stdout


def test_an_empty_first_sheet_names_the_sheets_that_may_hold_the_table(tmp_path):
    """Sweep of real files: a workbook whose first sheet was left empty was refused with
    « la feuille … est vide » alone, where a first sheet of notes names the others."""
    import xlsxwriter

    path = tmp_path / "premiere-feuille-vide-fictive.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("Vide")
        data = book.add_worksheet("Données")
        for r, row in enumerate([["id", "nom", "titre"], [1, "a", "b"]]):
            data.write_row(r, 0, row)
    schema = str(write_schema(tmp_path, SMALL))
    fr = run_cli("validate", str(path), "--schema", schema)
    en = run_cli("validate", str(path), "--schema", schema, "--lang", "en")
    assert fr.returncode == en.returncode == 2
    assert (
        "la feuille « Vide » est vide ; le classeur a d'autres feuilles (« Données »)" in fr.stderr
    )
    assert "--sheet" in fr.stderr and "--sheet" in en.stderr
    assert "sheet “Vide” is empty; the workbook has other sheets (“Données”)" in en.stderr
    done = run_cli("validate", str(path), "--schema", schema, "--sheet", "Données")
    assert done.returncode == 0, done.stdout


def test_a_missing_primary_key_column_is_an_error(tmp_path):
    """``schema-valid-pk-array.json`` of frictionless-py: ``primaryKey: [id, title]`` and no
    ``title`` column. It was one more optional column missing, the key left unchecked."""
    path = tmp_path / "cle-fictive.csv"
    path.write_text("id,nom\n1,a\n1,b\n", encoding="utf-8")
    report = validate(path, schema={**SMALL, "primaryKey": ["id", "titre"]})
    assert not report.valid
    (missing,) = [e for e in report.errors if e.code == "missing-label"]
    assert missing.field == "titre" and missing.params["primary_key"] is True
    assert "clé primaire" in missing.message
    optional = validate(path, schema=SMALL)
    assert optional.valid  # the same column outside the key stays a warning
    assert [w.code for w in optional.warnings] == ["missing-label"]


def test_a_label_in_literal_quotes_is_that_field():
    """frictionless-py's ``issue-1109.csv`` header ``"int", "number", "string"``: after a
    comma and a space, the quotes are part of the label, and two columns of three went
    unchecked as unknown columns."""
    fields = [{"name": n, "type": "string"} for n in ("int", "number", "string")]
    result = resolve_header(["int", ' "number"', ' "string"'], fields)
    assert result.columns == {"int": 0, "number": 1, "string": 2}
    assert not result.unknown
    assert [f.code for f in result.findings] == ["incorrect-label", "incorrect-label"]
    assert normalise_label('"') == '"' and normalise_label('x"') == 'x"'  # a lone quote stays


def test_a_blank_label_is_not_named_after_a_field_found_elsewhere():
    """frictionless names a blank label after the field at its position; matching by name,
    that field may sit in another column (a sweep found « colonne origine (H) » for a
    column that had nothing to do with it). Such a label is named by its column only."""
    fields = [{"name": n} for n in ("id", "nom", "origine", "ville")]
    elsewhere = resolve_header(["id", "", "nom", "ville"], fields)
    blank = next(f for f in elsewhere.findings if f.code == "blank-label")
    assert (blank.column, blank.field) == (2, None)  # "nom" is column 3
    missing = resolve_header(["id", "nom", "", "ville"], fields)
    blank = next(f for f in missing.findings if f.code == "blank-label")
    assert (blank.column, blank.field) == (3, "origine")  # absent: it may well be it


def test_a_label_differing_only_by_case_is_a_copy_in_every_command(project_copy, tmp_path):
    """``nom`` and ``Nom`` in one file: validate said only a warning (« Nom » unknown, like
    precision_nombre_evenements), fix called « Nom » absent from the schema, and
    consolidate read ``nom`` alone and dropped « Semaine… » of line 3 without a word. Now
    it is a second ``nom`` column everywhere, as a second « nom » is: nothing is lost."""
    header = ["annee", "nom", "Nom", "sources"]
    fields = load_schema("editions")["fields"]
    resolution = resolve_header(header, fields)
    assert resolution.copies == {2: "nom"} and 2 not in resolution.unknown
    sent = tmp_path / "casse.csv"
    sent.write_text(
        "annee,nom,Nom,sources\n"
        "2091,Mois de l'innovation publique,Mois de l'innovation publique,https://exemple.fr\n"
        "2092,,Semaine de l'innovation publique,https://exemple.fr\n",
        encoding="utf-8",
    )
    report = validate(sent, "editions")
    (copy,) = [f for f in report.errors if f.code == "duplicate-label"]
    assert (copy.column, copy.value) == (3, "Nom")
    assert "« Nom » est une deuxième colonne nom (« nom » en colonne 2)" in copy.message
    assert not [f for f in report.warnings if f.code == "extra-label"]
    fixed = fix_file(sent, load_schema("editions"), tmp_path / "corrige.csv")
    assert fixed.header == header and fixed.copies == {2: "nom"}  # kept as it is
    listing = describe(fixed, str(sent), str(tmp_path / "corrige.csv"))
    assert "Colonne « Nom » en double : gardée telle quelle" in listing
    assert "absente du schéma" not in listing
    before = (project_copy / "datasets" / "editions.csv").read_bytes()
    result = consolidate([sent], table="editions")
    assert result.totals["rejected"] == 2 and result.totals["added"] == 0
    assert result.files[0].file_errors == [
        "les colonnes « nom » (B) et « Nom » (C) sont toutes deux le champ nom et la "
        "colonne C, qui ne serait pas lue, porte d'autres valeurs (ligne 3 : « Semaine de "
        "l'innovation publique », la colonne B étant vide) — gardez une seule colonne nom "
        "(en y reportant les valeurs de l'autre), ou renommez l'autre si c'est un autre champ"
    ]
    assert "columns “nom” (B) and “Nom” (C) are both field nom" in describe_merge(result, lang="en")
    assert (project_copy / "datasets" / "editions.csv").read_bytes() == before


def test_a_row_of_nul_characters_is_blank_for_every_command(project_copy, tmp_path):
    """A UTF-32 file whose line 502 holds only NULs: fix left it out as a blank row (1,000
    rows), validate read it as data with a control character (1,001), consolidate as a row
    received, then rejected. It is one blank row for every command now."""
    lines = ["nom,ville", *(f"Atelier fictif {i},Ville fictive" for i in range(1000))]
    lines.insert(501, "\x00\x00\x00")
    sent = tmp_path / "nul.csv"
    sent.write_bytes(("\n".join(lines) + "\n").encode("utf-32"))
    schema = {"fields": [{"name": "nom"}, {"name": "ville"}]}
    report = validate(sent, schema)
    fixed = fix_file(sent, schema, tmp_path / "corrige.csv")
    blank = [f.row for f in report.findings if f.code == "blank-row"]
    assert blank == [c.row for c in fixed.changes if c.rule == "ligne-vide"] == [502]
    assert report.rows - len(blank) == fixed.row_count == 1000
    assert [f.code for f in report.findings if f.row == 502] == ["blank-row"]
    edition = tmp_path / "edition.csv"
    edition.write_text(
        "annee,nom,sources\n2091,Mois de l'innovation publique,https://exemple.fr\n\x00,\x00\n",
        encoding="utf-8",
    )
    merged = consolidate([edition], table="editions", dry_run=True)
    assert (merged.files[0].rows_in, merged.files[0].blank_rows) == (1, 1)


def test_an_unknown_label_resembles_a_field_not_already_placed():
    """ma-cantine's import files (sweep of public repositories): swapped words, a word
    left out, and no suggestion of a field that another column already holds."""
    names = ["valeur_egalim_autres", "valeur_viandes_volailles_france", "valeur_autres_france"]
    fields = [{"name": n} for n in names]
    header = ["valeur_autres_egalim", "valeur_viandes_france", "valeur_autres_france"]
    resolution = resolve_header(header, fields)
    assert resolution.unknown == {
        0: "valeur_egalim_autres",  # not valeur_autres_france, close in spelling but placed
        1: "valeur_viandes_volailles_france",
    }


@pytest.mark.parametrize(
    "label", ["Date d’installation", "date d installation", "DATE D'INSTALLATION"]
)
def test_apostrophes_straight_or_typographic_separate_words(label):
    """A sweep of the publishing chain: « Date d’installation » (typographic apostrophe,
    as word processors write it) was an unknown column, so consolidation dropped its
    dates without a word, against the schema's "Date d'installation"."""
    fields = [{"name": "id"}, {"name": "Date d'installation", "type": "date"}]
    resolution = resolve_header(["id", label], fields)
    assert resolution.columns == {"id": 0, "Date d'installation": 1}
    assert resolution.unknown == {}


def test_without_a_schema_a_first_sheet_of_notes_names_the_other_sheets(tmp_path):
    """Sweep 8: with ``--schema`` the report named the other sheets of a workbook whose
    first sheet holds no table; without it the refusal said « meilleures candidates :
    aucune » and nothing of them."""
    import xlsxwriter

    path = tmp_path / "notes-puis-table-fictive.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("Notes").write_row(0, 0, ["Contributions fictives", "mars"])
        data = book.add_worksheet("Événements")
        for r, row in enumerate([["id", "edition", "titre", "sources"], ["x", 2024, "t", "u"]]):
            data.write_row(r, 0, row)
    fr = run_cli("validate", str(path))
    en = run_cli("validate", str(path), "--lang", "en")
    assert fr.returncode == en.returncode == 2
    assert "autres feuilles du classeur : « Événements » (choisissez-la avec --sheet)" in fr.stderr
    assert "other sheets of the workbook: “Événements” (choose it with --sheet)" in en.stderr
    assert run_cli("validate", str(path), "--sheet", "Événements").returncode in (0, 1)


def _instructions_then_table(folder: Path) -> Path:
    """A workbook whose first visible sheet is instructions, the table on « Feuil1 »."""
    import xlsxwriter

    path = folder / "consignes-puis-table-fictive.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("Consignes").write_row(0, 0, ["Remplir la feuille suivante"])
        data = book.add_worksheet("Feuil1")
        rows = [["id", "edition", "titre", "sources"], ["fictif", 2024, "Exemple", "u"]]
        for r, row in enumerate(rows):
            data.write_row(r, 0, row)
    return path


def test_fix_with_a_schema_refuses_a_sheet_that_is_not_the_table(tmp_path):
    """Sweep 12: ``fix --schema`` on a workbook whose first sheet is instructions wrote a
    "corrected" file whose whole content was the line « Remplir la feuille suivante » and
    said « fichier écrit » (exit 1). Now it refuses as consolidate does, with the same
    sentence naming the sheet to choose, exit 2, and writes nothing."""
    path = _instructions_then_table(tmp_path)
    out = tmp_path / "corrige.csv"
    fixed = run_cli("fix", str(path), "--schema", "evenements", "-o", str(out))
    assert fixed.returncode == 2, fixed.stdout
    said = (
        "aucune colonne du fichier n'est un champ de la table evenements (en-tête lu : "
        "Remplir la feuille suivante) — mettez l'en-tête en ligne 1, avec les noms des "
        "champs ; autres feuilles du classeur : « Feuil1 » (choisissez-la avec --sheet)"
    )
    assert said in fixed.stderr
    assert not out.exists()
    merged = describe_merge(consolidate([path], table="evenements", dry_run=True))
    assert said in merged
    chosen = run_cli(
        "fix", str(path), "--schema", "evenements", "--sheet", "Feuil1", "-o", str(out)
    )
    assert chosen.returncode in (0, 1) and "fictif" in out.read_text(encoding="utf-8")


def test_fix_without_a_schema_names_the_other_sheets_as_validate_does(tmp_path):
    """Sweep 12: validate, consolidate and the page named the sheet holding the table of a
    workbook whose first visible sheet is notes; fix said only « précisez le schéma avec
    --schema », leaving out the one hint that solves it. Now the same refusal, from the
    same place (detect_table), and nothing written."""
    path = _instructions_then_table(tmp_path)
    out = tmp_path / "corrige.csv"
    fixed = run_cli("fix", str(path), "-o", str(out))
    validated = run_cli("validate", str(path))
    assert fixed.returncode == validated.returncode == 2
    assert "autres feuilles du classeur : « Feuil1 » (choisissez-la avec --sheet)." in fixed.stderr
    assert fixed.stderr == validated.stderr
    assert not out.exists()


def test_a_space_more_or_less_in_a_label_is_the_readmes_promise_not_a_guess():
    """Sweep 12: the README promises headers read « aux espaces près », yet ``X long``
    (for the field ``Xlong``) and ``nbplaces`` (for ``nb_places``) were unknown columns,
    their values not checked. A space or separator more or less is now read as the field
    (a warning shows it); an abbreviation (``N° SIRET`` for ``num_siret``) or another
    word (``X lat``) is not, and the report proposes the field it resembles. Words that
    run together as two fields' (``nb2rel``: ``nb_2r_el`` or ``nb_2rel``?) are read as
    neither."""
    names = ["id", "Xlong", "nb_places", "num_siret", "nb_2r_el", "nb_2rel"]
    fields = [{"name": n} for n in names]
    header = ["id", "X long", "nbplaces", "N° SIRET", "X lat", "nb2rel"]
    resolution = resolve_header(header, fields)
    assert resolution.columns == {"id": 0, "Xlong": 1, "nb_places": 2}
    assert resolution.mapping == {"X long": "Xlong", "nbplaces": "nb_places"}
    assert resolution.unknown[3] == "num_siret"
    assert set(resolution.unknown) == {3, 4, 5}
    mapped = [f for f in resolution.findings if f.code == "incorrect-label"]
    assert [(f.value, f.field, f.severity) for f in mapped] == [
        ("X long", "Xlong", "warning"),
        ("nbplaces", "nb_places", "warning"),
    ]
    exact = resolve_header(["Xlong", "X long"], [{"name": "Xlong"}, {"name": "X_long"}])
    assert exact.columns == {"Xlong": 0, "X_long": 1}  # each its own field, not a guess
    # Two numbers are not run together: « taux 1 2 » is no « taux_12 » (nor champ_1_1
    # champ_11, which took 2 of 700 unknown labels in the hostile-header test).
    numbers = resolve_header(["taux 1 2", "taux 2013"], [{"name": "taux_12"}, {"name": "taux2013"}])
    assert numbers.columns == {"taux2013": 1} and set(numbers.unknown) == {0}


SHARED_TITLES = {
    "name": "rampes-fictives",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "entree_rampe", "title": "Rampe", "type": "string",
         "constraints": {"enum": ["aucune", "fixe", "amovible"]}},
        {"name": "accueil_rampe", "title": "Rampe", "type": "string",
         "constraints": {"enum": ["aucune", "fixe", "amovible"]}},
        {"name": "chemin_rampe", "title": "Rampe", "type": "string",
         "constraints": {"enum": ["aucune", "fixe", "amovible"]}},
    ],
}  # fmt: skip


def test_columns_headed_by_a_title_several_fields_bear_are_read_in_the_schemas_order(tmp_path):
    """Sweep of real schemas (MTES-MCT acceslibre: « Rampe » is the title of three
    fields): a file headed by the documented titles read the first « Rampe » column
    alone, the two others were duplicate labels whose values nobody checked — a value
    outside the list in the second one passed, the report naming no unchecked column.
    Each column headed by a shared title is now the next field bearing it; the label
    written twice stays a duplicate-label (frictionless's error), saying how it is read."""
    header = ["id", "Rampe", "Rampe", "Rampe"]
    resolution = resolve_header(header, SHARED_TITLES["fields"])
    assert resolution.columns == {"id": 0, "entree_rampe": 1, "accueil_rampe": 2,
                                  "chemin_rampe": 3}  # fmt: skip
    assert resolution.copies == {}
    schema = write_schema(tmp_path, SHARED_TITLES)
    sent = tmp_path / "titres.csv"
    sent.write_text("id,Rampe,Rampe,Rampe\nlieu-fictif-1,fixe,INVALIDE,aucune\n", "utf-8")
    report = validate(sent, schema)
    assert [(f.code, f.row, f.field) for f in report.errors if f.row != 1] == [
        ("constraint-error", 2, "accueil_rampe")
    ]
    doubles = [f for f in report.errors if f.code == "duplicate-label"]
    assert [f.column for f in doubles] == [3, 4]
    assert "lue comme le champ accueil_rampe, dans l'ordre du schéma" in doubles[0].message
    assert "chemin_rampe" in doubles[1].hint
    out = tmp_path / "corrige.csv"
    fix_file(sent, load_schema(schema), out)
    assert out.read_text("utf-8").splitlines() == [
        "id,entree_rampe,accueil_rampe,chemin_rampe",
        "lieu-fictif-1,fixe,INVALIDE,aucune",
    ]
    # more columns than fields bearing the title: the last is a copy, not read, and said so
    resolution = resolve_header([*header, "Rampe"], SHARED_TITLES["fields"])
    assert resolution.copies == {4: "entree_rampe"}
    sent.write_text("id,Rampe,Rampe,Rampe,Rampe\nlieu-fictif-1,fixe,fixe,aucune,fixe\n", "utf-8")
    (last,) = [f for f in validate(sent, schema).errors if f.column == 5]
    assert last.code == "duplicate-label" and "seule la première est lue" in last.message
