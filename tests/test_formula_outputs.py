"""No live formula in what we write for people, and none ever published.

The rule (``moisinno_data.package.spreadsheet``): after any leading whitespace, a cell
starting with ``= + - @`` or a full-width form is a formula, unless it is a plain number
(``-1.5``, ``+33 1 23 45 67 89``). Files meant for a spreadsheet — the fixed file, the
rejects, the private journal — prefix such cells with ``'``; the Excel template stores
every cell as a string; ``datasets/`` never receives one.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moisinno_data.package import canonical, schemas, spreadsheet, template
from moisinno_data.publishing.consolidate import consolidate
from moisinno_data.publishing.fix import fix_file

FORMULAS = [
    '=HYPERLINK("https://exemple.invalid","clic")',
    "@SUM(A1:A2)",
    "+1+cmd|' /C calc'!A0",
    "-1+1",
    "\uff1d1+1",  # full-width equals
    " =1+1",  # behind a space: fix trims it
    "\u00a0=1+1",  # behind a no-break space
    "\t=1+1",
]
SAFE = ["-1.5", "+33 1 23 45 67 89", "-", "Atelier fictif", "-0,5792"]
SAFE += ["-12 %", "+5%", "-5 €", "-.5"]  # numbers a spreadsheet reads as such (sweep 10)
SAFE += ["-INF", "-Infinity", "+nan"]  # Table Schema numbers: fix wrote « '-INF », a type error
LABS_HEADER = "id,nom,region,departement,ville,structure_porteuse,type,note,sources"


def _lab_rows(values: list[str]) -> str:
    lines = [LABS_HEADER]
    for i, value in enumerate(values):
        quoted = '"' + value.replace('"', '""') + '"'
        lines.append(
            f"lab-fictif-formule-{i},{quoted},84,69,Lyon,Structure fictive,etat,{quoted},"
            "https://exemple.fr"
        )
    return "\n".join(lines) + "\n"


def test_a_signed_infinity_in_a_number_field_reads_alike_in_every_command(tmp_path):
    """Sweep of real files: ``-INF`` in a number field was a number to validate, a formula
    to fix (written « '-INF », then a type error) and to consolidate (the row rejected)."""
    schema = {"fields": [{"name": "id"}, {"name": "n", "type": "number"}]}
    source = tmp_path / "infinis-fictifs.csv"
    source.write_text("id,n\na,-INF\nb,-Infinity\nc,-nan\nd,-1e3\n", encoding="utf-8")
    from moisinno_data.validation import validate

    assert validate(source, schema).valid
    out = tmp_path / "infinis-corriges.csv"
    fix_file(source, schema, out)
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        "a,-INF",
        "b,-Infinity",
        "c,-nan",
        "d,-1e3",
    ]
    assert validate(out, schema).valid
    assert spreadsheet.is_formula("-INFINI") and spreadsheet.is_formula("-INF+1")


@pytest.mark.parametrize("value", FORMULAS)
def test_rule_and_neutraliser_agree(value):
    assert spreadsheet.is_formula(value)
    assert spreadsheet.neutralise(value) == "'" + value
    assert spreadsheet.neutralise("'" + value) == "'" + value  # idempotent on re-write


@pytest.mark.parametrize("value", SAFE)
def test_numbers_and_text_are_left_alone(value):
    assert not spreadsheet.is_formula(value)
    assert spreadsheet.neutralise(value) == value


def test_fixed_file_holds_no_live_formula(tmp_path):
    source = tmp_path / "labs-fictifs.csv"
    source.write_text(_lab_rows(FORMULAS + SAFE), encoding="utf-8")
    out = tmp_path / "labs-corriges.csv"
    fix_file(source, schemas.load_schema("laboratoires"), out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    names = [r["nom"] for r in rows]
    assert len(names) == len(FORMULAS + SAFE)
    for cell in names[: len(FORMULAS)]:
        assert cell.startswith("'"), cell
    # " =1+1" was trimmed by fix, but into a neutralised cell, not a live one
    assert "'=1+1" in names
    assert names[len(FORMULAS) :] == SAFE


def test_consolidate_rejects_formulas_and_neutralises_rejects_and_journal(project_copy):
    source = project_copy / "=HYPERLINK(1)-labs.csv"
    source.write_text(_lab_rows([*FORMULAS, "Lab fictif sans formule"]), encoding="utf-8")
    result = consolidate([source], contributor="@SUM(1+1)", received="2026-11-20")
    counts = result.files[0].counts
    assert counts["rejected"] == len(FORMULAS) and counts["added"] == 1
    published = (project_copy / "datasets" / "laboratoires.csv").read_text(encoding="utf-8")
    for value in FORMULAS:
        assert value.strip() not in published
    for row in canonical.read_table(project_copy / "datasets" / "laboratoires.csv").rows:
        assert not any(spreadsheet.is_formula(c) for c in row), row
    for written in (Path(result.files[0].rejects_path), project_copy / "prive" / "journal.csv"):
        for row in csv.reader(io.StringIO(written.read_text(encoding="utf-8"))):
            assert not any(spreadsheet.is_formula(c) or c[:1] in "\t\r" for c in row), row
    journal = (project_copy / "prive" / "journal.csv").read_text(encoding="utf-8")
    assert "'@SUM(1+1)" in journal and "'=HYPERLINK(1)-labs.csv" in journal


def test_datasets_never_hold_a_formula_even_when_the_schema_does_not_ask(project_copy, monkeypatch):
    """A package whose schema lacks the ``formula-injection`` check is protected too."""
    real = schemas.load_schema

    def without_check(name, *args, **kwargs):
        schema = dict(real(name, *args, **kwargs))
        schema["custom_checks"] = [
            c for c in schema.get("custom_checks", []) if c.get("name") != "formula-injection"
        ]
        return schema

    monkeypatch.setattr(schemas, "load_schema", without_check)
    source = project_copy / "labs-fictifs.csv"
    source.write_text(_lab_rows(["-1+1", "\uff1d1+1", "Lab fictif sans formule"]), "utf-8")
    result = consolidate([source], received="2026-11-20")
    assert result.files[0].counts["rejected"] == 2
    reasons = " ".join(r for o in result.rows for r in o.reasons)
    assert "jamais publiée" in reasons  # the consolidate-side guard did it
    published = (project_copy / "datasets" / "laboratoires.csv").read_text(encoding="utf-8")
    assert "-1+1" not in published and "\uff1d1+1" not in published


def test_template_cells_are_strings_never_formulas(tmp_path):
    schema = {
        "name": "fictive",
        "title": '=HYPERLINK("https://exemple.invalid")',
        "fields": [
            {
                "name": "choix",
                "type": "string",
                "title": "@SUM(A1)",
                "description": "-1+1",
                "constraints": {"enum": ["=1+1", "-1+1", "ok"]},
            }
        ],
    }
    path = template.write_template(schema, tmp_path / "modele.xlsx")
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert "=1+1" in texts and "-1+1" in texts  # kept as text, exactly


def test_web_downloads_hold_no_live_formula(tmp_path):
    """The page's corrige.csv and corrections.csv go through the same neutralising writer."""
    from moisinno_data.web import engine
    from moisinno_data.web.settings import Settings
    from moisinno_data.web.uploads import ScratchArea

    source = tmp_path / "labs-fictifs.csv"
    source.write_text(_lab_rows(FORMULAS), encoding="utf-8")
    fixed = engine.fix_upload(
        source.read_bytes(),
        source.name,
        schema="laboratoires",
        sheet=None,
        scratch=ScratchArea(tmp_path),
        budget=Settings().budget,
    )
    for payload in (fixed.content, fixed.changes_csv, fixed.changes_csv_en):
        for row in csv.reader(io.StringIO(payload.decode("utf-8"))):
            live = [cell for cell in row if spreadsheet.is_formula(cell)]
            assert not live, live
    names = [r["nom"] for r in csv.DictReader(io.StringIO(fixed.content.decode()))]
    assert names and all(name.startswith("'") for name in names)


def test_a_fixed_file_sent_back_publishes_neither_the_formula_nor_its_apostrophe(project_copy):
    """Sweep of real files (acceslibre's « +2Foot »): fix writes ``'+2Foot`` so that a
    spreadsheet shows it, and consolidating that fixed file published ``'+2Foot``, a
    value nobody sent. The ``'`` in front of a formula is told apart and the row refused."""
    source = project_copy / "labs-fictifs.csv"
    source.write_text(_lab_rows(["+2Foot fictif", "Lab fictif sans formule"]), encoding="utf-8")
    fixed = project_copy / "labs-corriges.csv"
    done = fix_file(source, schemas.load_schema("laboratoires"), fixed)
    assert [c.after for c in done.changes if c.rule == "formule"] == ["'+2Foot fictif"] * 2
    result = consolidate([fixed], received="2026-11-20")
    assert result.files[0].counts["rejected"] == 1 and result.files[0].counts["added"] == 1
    reasons = " ".join(r for o in result.rows for r in o.reasons)
    assert "précédée du « ' »" in reasons
    published = (project_copy / "datasets" / "laboratoires.csv").read_text(encoding="utf-8")
    assert "2Foot" not in published
    for value in ("'Atelier", "", "'-1.5", "+2Foot"):
        assert not spreadsheet.is_neutralised_formula(value), value


def test_validate_warns_of_formulas_the_schema_does_not_forbid(tmp_path):
    """Sweeps of real files: « +2Foot » (acceslibre), « - fermé le lundi »: validate said
    VALIDE, consolidate refused the row, fix added a « ' ». validate now says it, as a
    warning (the schema does not forbid it; consolidation never publishes it), in CSV and
    in workbooks; plain numbers and non-text fields are left alone."""
    from conftest import write_xlsx

    from moisinno_data.validation import validate

    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "nom"},
            {"name": "note", "type": "string"},
        ]
    }
    rows = [["id", "nom", "note"], ["-3", "+2Foot fictif", "ok"], ["2", "Atelier", "- fermé"]]
    rows += [["3", "x", "-1.5"], ["4", "\u00a0=1+1", "+33 1 23 45 67 89"]]
    path = tmp_path / "formules.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    xlsx = write_xlsx(tmp_path / "formules.xlsx", rows)
    for source in (path, xlsx):
        report = validate(source, schema=schema)
        assert report.valid, [f.message for f in report.errors]
        said = [(w.row, w.field) for w in report.warnings if w.code == "formula-injection"]
        assert said == [(2, "nom"), (3, "note"), (5, "nom")], source
        assert "ne publie pas" in report.warnings[0].message
    declared = {**schema, "custom_checks": [{"name": "formula-injection"}]}
    report = validate(path, schema=declared)
    assert [f.row for f in report.errors if f.code == "formula-injection"] == [2, 3, 5]
    assert not [w for w in report.warnings if w.code == "formula-injection"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("=+-@ 1aé\t\u00a0\u200b\ufeff\uff1d\u3000x"), max_size=6),
        min_size=1,
        max_size=20,
    )
)
def test_the_readers_first_look_never_misses_a_formula(cells):
    """The reader looks at each cell's first byte before the pattern runs on a column
    (:func:`moisinno_data.reading.marks.formula_columns`): a superset, never a miss."""
    import pyarrow as pa

    from moisinno_data.reading import marks

    batch = pa.RecordBatch.from_pydict({"c0": cells})
    flagged = 0 in marks.formula_columns([batch], ["c0"], [], [0])
    assert flagged or not any(spreadsheet.is_formula(c) for c in cells)
    ragged = [[cell] for cell in cells]  # the ragged rows' cells: one row per cell here
    assert (0 in marks.formula_columns([], ["c0"], ragged, [0])) or not any(
        spreadsheet.is_formula(c) for c in cells
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from("=+-@ 1aé\t\u00a0\u200b\ufeff\uff1d\u3000x\x1f"), max_size=6
        ),
        min_size=1,
        max_size=20,
    )
)
def test_a_python_read_batch_never_misses_a_formula_column(cells):
    """Batches built from Python's cells (workbooks, Python's csv module) say which
    columns may hold a formula (``marks.MAY_START_FORMULA``): a superset, never a miss."""
    from moisinno_data.reading import Budget, batches

    chunk = [(n + 2, n + 2, ["ok", cell]) for n, cell in enumerate(cells)]
    batch = batches.columnar(chunk, 2, Budget())
    assert 0 not in (batch.formula_columns or set())
    assert 1 in (batch.formula_columns or set()) or not any(map(spreadsheet.is_formula, cells))


GEO_TYPED = {
    "name": "lieux-formules",
    "primaryKey": ["id"],
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "point", "type": "geopoint"},
        {"name": "duree", "type": "duration"},
        {"name": "mois", "type": "yearmonth"},
    ],
}
GEO_TYPED_ROWS = (
    "id,point,duree,mois\n"
    'tahiti,"-149.57, -17.53",P1D,2020-11\n'  # west and south: both signed
    'papeete,"-149.57,-17.53",-P1D,2020-11\n'
    'nantes,"-1.55, 47.21",PT2H,+2020-11\n'
    'formule,"2.35, 48.85",=1+1,2020-11\n'  # a type error: said as such, not twice
)


def test_a_geopoint_west_and_south_is_no_formula():
    """Sweep B: a geopoint in French Polynesia, « -149.57, -17.53 », was a formula to the
    rule (a second sign after the comma): validate said VALIDE, consolidate refused the
    row whatever its fix, so no place west and south of Greenwich could be published."""
    for value in ("-149.57, -17.53", "-149.57,-17.53", "+2.35, +48.85", "-0, -0", "-sNaN"):
        assert not spreadsheet.is_formula(value), value
        assert spreadsheet.neutralise(value) == value
    for value in ("-1,-1+1", "-1.5, x", "-1, -2, -3", "-P1D", "-1+1"):
        assert spreadsheet.is_formula(value), value


@pytest.mark.parametrize("declared", [False, True])
def test_validate_says_the_typed_formulas_consolidate_refuses(tmp_path, monkeypatch, declared):
    """Sweep B: a duration « -P1D » or a year-month « +2020-11 » is of its type for
    frictionless and for validate, which said VALIDE without a word, while consolidate
    refused the row (« commence par une formule de tableur ») — and published it when the
    schema declared formula-injection, whose default columns are the text ones. validate
    now warns of them (never published), whatever the schema declares, and consolidate
    refuses them in every column the schema's own check does not cover."""
    from moisinno_data.publishing.init import init_package
    from moisinno_data.validation import validate

    schema = dict(GEO_TYPED)
    if declared:
        schema["custom_checks"] = [{"name": "formula-injection"}]
    source = tmp_path / "lieux.csv"
    source.write_text(GEO_TYPED_ROWS, encoding="utf-8")

    report = validate(source, schema=schema)
    assert [(f.row, f.field, f.code) for f in report.errors] == [(5, "duree", "type-error")]
    said = [(w.row, w.field) for w in report.warnings if w.code == "formula-injection"]
    assert said == [(3, "duree"), (4, "mois")]
    assert all("ne publie pas" in w.message for w in report.warnings)

    root = tmp_path / "paquet"
    (tmp_path / "lieux.schema.json").write_text(json.dumps(schema), "utf-8")
    init_package(root, [str(tmp_path / "lieux.schema.json")])
    monkeypatch.setenv("MOISINNO_ROOT", str(root))
    result = consolidate([source], received="2026-11-20")
    table = canonical.read_table(root / "datasets" / "lieux-formules.csv")
    assert [r[0] for r in table.rows] == ["tahiti"]
    assert result.files[0].counts["rejected"] == 3
