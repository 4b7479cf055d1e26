"""Date-times without a UTC offset, read as Paris wall-clock time everywhere (sweep 11).

A workbook re-sent has lost the offsets (Excel stores none): consolidate called
``2024-01-01T00:00:00`` a change of the published ``2024-01-01T00:00:00+01:00``, though
``load`` reads both as one moment. And a wall-clock time the Paris clocks skip
(``2023-03-26T02:30:00``) or repeat (``2023-10-29T02:30:00``) passed validate, fix and
consolidate in silence, then ``load`` moved it to another moment.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from moisinno_data.package import canonical, paris
from moisinno_data.publishing.consolidate import (
    Candidate,
    merge,
    typed_key,
    typed_same,
    typed_spelling,
)
from moisinno_data.publishing.fix import fix_file
from moisinno_data.validation import validate

SCHEMA = {
    "name": "comptages-fictifs",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "maj", "type": "datetime"},
    ],
    "primaryKey": ["id"],
}


def _merged(published: str, received: str):
    table = canonical.CsvTable(["id", "maj"], [["a", published]], ["id"])
    cand = Candidate(0, ("a",), {"id": "a", "maj": received})
    spell = typed_spelling(SCHEMA)
    return merge(table, [cand], typed_key(SCHEMA), typed_same(SCHEMA), None, spell)


def test_a_time_without_offset_at_the_published_moment_is_unchanged():
    """Paris wall-clock time is the moment published with its offset: unchanged, and
    the published text (its offset) stays."""
    rows, fate = _merged("2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00")
    assert fate[0].status == "unchanged" and rows == [["a", "2024-01-01T00:00:00+01:00"]]
    _rows, fate = _merged("2024-07-01T00:00:00+02:00", "2024-06-30T22:00:00Z")
    assert fate[0].status == "unchanged"  # already so: another offset, the same moment
    _rows, fate = _merged("2024-07-01T00:00:00Z", "2024-07-01T00:00:00")  # 22:00 UTC
    assert fate[0].status == "updated"


def test_another_time_without_offset_is_published_with_its_paris_offset():
    """A change: the moment received, written with its Paris offset where the published
    cell had one (exact for any reader); as received where it had none."""
    rows, fate = _merged("2024-01-01T00:00:00+01:00", "2024-07-01T08:00:00")
    assert fate[0].status == "updated"
    assert rows == [["a", "2024-07-01T08:00:00+02:00"]]
    assert fate[0][1] == {"maj": ("2024-01-01T00:00:00+01:00", "2024-07-01T08:00:00+02:00")}
    rows, _fate = _merged("2024-01-01T00:00:00", "2024-02-01T08:00:00")
    assert rows == [["a", "2024-02-01T08:00:00"]]


def test_a_key_is_its_moment_whatever_its_offset():
    form = canonical.identity_form({"fields": [{"name": "t", "type": "datetime"}]}, ["t"])
    one = {form((t,)) for t in ("2024-01-01T00:00:00+01:00", "2023-12-31T23:00:00Z")}
    assert one == {form(("2024-01-01T00:00:00",))}
    assert form(("2023-10-29T02:30:00",)) == ("2023-10-29T02:30:00",)  # as written


def test_the_prefilter_holds_every_time_the_paris_clocks_skip_or_repeat():
    """Validate asks :func:`paris.clock_change` about the cells the pattern marks only:
    every minute of every change since 1850 must match it."""
    zone, step = ZoneInfo(paris.TIMEZONE), dt.timedelta(minutes=30)
    moment = dt.datetime(1850, 1, 1, tzinfo=dt.UTC)
    before, missed, seen = moment.astimezone(zone).utcoffset(), [], 0
    while moment.year < 2100:
        moment += step
        after = moment.astimezone(zone).utcoffset()
        if after != before and before is not None and after is not None:
            wall = (moment - step).astimezone(dt.timezone(before)).replace(tzinfo=None)
            wall = wall.replace(second=0, minute=wall.minute)
            for minute in range(int(abs((after - before).total_seconds())) // 60 + 60):
                text = (wall + dt.timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%S")
                if paris.clock_change(dt.datetime.fromisoformat(text)) is not None:
                    seen += 1
                    if not re.match(paris.NEAR_CLOCK_CHANGE, text):
                        missed.append(text)
        before = after
    assert seen > 10_000 and not missed


CELLS = (
    "id,maj\na,2023-03-26T02:30:00\nb,2023-10-29T02:30:00\nc,2023-03-26T03:30:00\n"
    "d,2023-10-29T02:30:00+01:00\ne,2023-10-29 02:15:00.5\n"
)


def test_validate_warns_of_a_time_the_clocks_skip_or_repeat(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CELLS, encoding="utf-8")
    report = validate(path, schema=SCHEMA)
    assert report.valid and not report.errors
    warned = [(f.code, f.row, f.value) for f in report.warnings]
    assert warned == [
        ("nonexistent-time", 2, "2023-03-26T02:30:00"),
        ("ambiguous-time", 3, "2023-10-29T02:30:00"),
        ("ambiguous-time", 6, "2023-10-29 02:15:00.5"),
    ]
    assert "+01:00" in report.warnings[0].hint


def test_fix_lists_it_to_check(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,maj\na,26/03/2023 02:30\nb,2023-10-29T02:30:00\n", encoding="utf-8")
    result = fix_file(path, SCHEMA, tmp_path / "corrige.csv")
    problems = [(p.row, p.value, p.rule) for p in result.problems]
    assert problems == [
        (2, "2023-03-26T02:30:00", "heure-inexistante"),
        (3, "2023-10-29T02:30:00", "heure-ambigue"),
    ]
    assert "n'existe pas à Paris" in result.problems[0].message


def test_load_never_moves_a_published_time_to_another_moment():
    """The clocks skip 02:30 (load said 03:00+02:00) or repeat it (load took the first
    pass): unknown (NaT), with a warning naming the lines."""
    from moisinno_data.loading.dtypes import ClockChangeWarning, convert

    raw = pd.Series(["2023-03-26T02:30:00", "2023-10-29T02:30:00", "2023-10-29T03:30:00"])
    with pytest.warns(ClockChangeWarning, match=r"ligne\(s\) 2 : « 2023-03-26T02:30:00 »"):
        times = convert(raw, {"name": "t", "type": "datetime"}, "t")
    assert times.isna().tolist() == [True, True, False]
    assert str(times[2]) == "2023-10-29 03:30:00+01:00"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        convert(pd.Series(["2023-10-29T02:30:00+02:00"]), {"name": "t", "type": "datetime"}, "t")


PATTERNED = {
    "name": "comptages-fictifs",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "maj", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
    ],
}
PATTERNED_CELLS = "id,maj\na,29/10/2023 02:30\nb,26/03/2023 02:30\nc,26/03/2023 03:30\nd,fictif\n"


def test_validate_and_fix_say_it_of_a_time_in_the_schemas_own_pattern(tmp_path):
    """Sweep 13: ``29/10/2023 02:30`` in a ``%d/%m/%Y %H:%M`` field passed validate and
    consolidate in silence, then loaded NaT, where ``2023-10-29T02:30:00`` was warned of
    and refused. Same codes now; the hint does not ask for an offset the pattern cannot
    hold (« 29/10/2023 02:30+01:00 » would be a type error)."""
    path = tmp_path / "c.csv"
    path.write_text(PATTERNED_CELLS, encoding="utf-8")
    report = validate(path, schema=PATTERNED)
    assert [(e.code, e.row) for e in report.errors] == [("type-error", 5)]
    warned = [(f.code, f.row, f.value) for f in report.warnings]
    assert warned == [
        ("ambiguous-time", 2, "29/10/2023 02:30"),
        ("nonexistent-time", 3, "26/03/2023 02:30"),
    ]
    assert "existe deux fois" in report.warnings[0].message
    assert "n'existe pas" in report.warnings[1].message
    assert "%d/%m/%Y %H:%M" in report.warnings[1].hint
    assert "+01:00" not in report.warnings[1].hint
    result = fix_file(path, PATTERNED, tmp_path / "corrige.csv")
    problems = [(p.row, p.value, p.rule) for p in result.problems]
    assert problems == [
        (2, "29/10/2023 02:30", "heure-ambigue"),
        (3, "26/03/2023 02:30", "heure-inexistante"),
    ]


def test_load_gives_each_cell_its_own_reason():
    """The warning gave every line the first cell's reason: a skipped hour was said to
    « exister deux fois »."""
    from moisinno_data.loading.dtypes import ClockChangeWarning, convert

    raw = pd.Series(["29/10/2023 02:30", "26/03/2023 02:30", "26/03/2023 03:30"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        times = convert(raw, PATTERNED["fields"][1], "t")
    said = [str(w.message) for w in caught if w.category is ClockChangeWarning]
    assert len(said) == 2
    assert "ligne(s) 3 : « 26/03/2023 02:30 » n'existe pas" in said[0]
    assert "ligne(s) 2 : « 29/10/2023 02:30 » existe deux fois" in said[1]
    assert times.isna().tolist() == [True, True, False]


@pytest.mark.parametrize("fmt", ["default", "any"])
def test_a_bound_without_offset_is_paris_time_for_a_cell_with_one(tmp_path, fmt):
    """A bound written without offset beside cells with one: frictionless stops on the
    first (« can't compare offset-naive and offset-aware datetimes »), and so did
    validate, with an « Erreur interne » and no report. The bound is Paris wall-clock
    time, as every date-time without offset; a cell 2 minutes before it is refused."""
    schema = {
        "name": "bornes-fictives",
        "fields": [
            {
                "name": "maj",
                "type": "datetime",
                "format": fmt,
                "constraints": {"minimum": "2014-01-01T00:00:00"},
            }
        ],
    }
    path = tmp_path / "b.csv"
    cells = ["2020-01-01T10:00:00Z", "2013-12-31T23:00:00Z", "2013-12-31T22:58:00Z"]
    path.write_text("maj\n" + "\n".join(cells) + "\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert [(f.code, f.row) for f in report.errors] == [("constraint-error", 4)]


def test_a_time_bound_and_a_time_with_offset_are_compared_as_written(tmp_path):
    """A time of day has no date to place it in Paris: 07:00:00+05:00 is before a
    minimum of 08:00:00, 10:00:00Z after it (frictionless stopped on them)."""
    schema = {
        "name": "heures-fictives",
        "fields": [{"name": "h", "type": "time", "constraints": {"minimum": "08:00:00"}}],
    }
    path = tmp_path / "h.csv"
    path.write_text("h\n10:00:00Z\n07:00:00+05:00\n07:00:00\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert [(f.code, f.row) for f in report.errors] == [
        ("constraint-error", 3),
        ("constraint-error", 4),
    ]


def test_an_offset_of_a_day_or_more_is_read_as_frictionless_reads_it(tmp_path):
    """dateutil (so frictionless, ``format: any``) reads +25:00, which Python's
    ``astimezone`` refuses: validate stopped with an « Erreur interne » reading its key.
    Two cells naming one moment at different offsets are one key."""
    schema = {
        "name": "decalages-fictifs",
        "fields": [
            {"name": "t", "type": "datetime", "format": "any", "constraints": {"unique": True}}
        ],
    }
    path = tmp_path / "o.csv"
    cells = ["2020-01-01T10:00:00+01:00", "2020-01-01T10:00:00+25:00", "2019-12-31T10:00:00+01:00"]
    path.write_text("t\n" + "\n".join(cells) + "\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert [(f.code, f.row) for f in report.errors] == [("unique-error", 4)]
