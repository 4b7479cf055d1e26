"""The columnar, batched validation engine.

Data flows one way: :mod:`reading` hands over batches of string cells (with exact record
numbers), :mod:`resolution` has matched the header to the fields once, :mod:`cells` checks
each column of the batch, :mod:`keys` carries uniqueness and keys from batch to batch,
business rules (``custom_checks``) see the same batch. One *emitter* per kind of finding
turns the batch's masks into arrays (no Python object per cell), merged in file order
into a block of the :class:`~.report.Report`. Peak memory depends on the batch size, plus
about 12 bytes per distinct key and 50 per finding, not on the file.

The standard findings are frictionless's (code, row, field), with its error limit lifted;
the differential tests hold us to it.
"""

from __future__ import annotations

import functools
import gc
import operator
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import numpy as np
import polars as pl
import pyarrow as pa

from moisinno_data import reading
from moisinno_data.errors import InputError
from moisinno_data.package import french, notation, paris, text
from moisinno_data.package.datapackage import key_fields, unique_combinations
from moisinno_data.package.french import (
    OTHER_DIGITS_PATTERN,
    SCIENTIFIC_PATTERN,
    SPACES,
    UNUSUAL_DIGITS_PATTERN,
    digits_read,
)
from moisinno_data.reading import budget as reading_budget
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.marks import cut
from moisinno_data.validation.cells import CellResult, FieldChecker
from moisinno_data.validation.keys import (
    DuplicateTracker,
    KeySet,
    blank_keys,
    combine,
    joined_keys,
    return_freed_arrays,
)
from moisinno_data.validation.report import HIDDEN_ENUM, Finding, Report
from moisinno_data.validation.resolution import (
    HEADER_SEARCH_ROWS,
    Resolution,
    fields_match,
    header_below,
    resolve_header,
)

BATCH_ROWS = 40_960
PROGRESS_BYTES = 4 << 20
BIG_FILE = 1 << 30
"""Bytes past which key sets give freed memory back at once (see keys.return_freed_arrays)."""


def _day_written(checker: FieldChecker, column: pl.Expr) -> pl.Expr | None:
    """A spreadsheet's date-time at midnight, written as its day, is that day at 00:00 in
    a ``datetime`` field (frictionless reads the cell's date-time there), and that day in
    the schema's own pattern (``%d/%m/%Y``…): frictionless takes a date cell as a date,
    whatever the pattern says of text."""
    if checker.type not in ("date", "datetime"):
        return None
    if "%" in checker.format:
        return column.str.to_datetime("%Y-%m-%d").dt.strftime(checker.format)
    return column + "T00:00:00" if checker.type == "datetime" else None


def _moment_written(checker: FieldChecker, column: pl.Expr) -> pl.Expr | None:
    """A spreadsheet's date-time (not at midnight) or time of day, in a field with its own
    pattern (``%d/%m/%Y %H:%M``), written that way: Excel makes such a cell of a typed
    « 05/11/2024 14:30 », and frictionless takes the cell as it is. A cell of the other
    kind (a time in a datetime field) stays as read, and is refused."""
    if "%" not in checker.format:
        return None
    if checker.type == "datetime":
        moment = column.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False)
    elif checker.type == "time":
        moment = column.str.to_time("%H:%M:%S%.f", strict=False)
    else:
        return None
    return moment.dt.strftime(checker.format).fill_null(column)


def _number_written(checker: FieldChecker, column: pl.Expr) -> pl.Expr | None:
    """A spreadsheet's number, in a number field with its own decimal separator, written
    that way (``12.5`` → ``12,5``): the cell is a number, whatever the field says of text
    (frictionless takes it too), and the text now reads as that number."""
    char = notation.decimal_char(checker.descriptor)
    if checker.type != "number" or char == ".":
        return None
    return column.str.replace_all(".", char, literal=True)


def _boolean_written(checker: FieldChecker, column: pl.Expr) -> pl.Expr | None:
    """A spreadsheet's TRUE/FALSE, in a boolean field with words of its own (``oui``/
    ``non``), written with its first true or false word (frictionless takes it too)."""
    if checker.type != "boolean":
        return None
    yes, no = notation.booleans(checker.descriptor)
    if (yes[0], no[0]) == ("true", "false"):
        return None
    return pl.when(column == "true").then(pl.lit(yes[0])).otherwise(pl.lit(no[0]))


class _LimitReached(Exception):
    pass


def _foreign_keys(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's own foreign keys, plus those the data package declares for its table
    (tables' schemas are standalone: keys between tables live in ``datapackage.json``)."""
    from moisinno_data.package.datapackage import foreign_keys

    own = list(schema.get("foreignKeys") or [])
    return own + [fk for fk in foreign_keys(schema.get("name")) if fk not in own]


@dataclass
class _Query:
    """One polars query of the batch plan: the checks of some fields."""

    inputs: list[str] | None = None
    """The frame's columns it reads (None: all of them)."""
    stage: dict[str, pl.Expr] = field(default_factory=dict)
    masks: dict[str, pl.Expr] = field(default_factory=dict)
    exprs: list[pl.Expr] = field(default_factory=list)


@dataclass
class _Plan:
    """The batch query, built once (see :meth:`Engine._plan`)."""

    queries: list[_Query] = field(default_factory=list)
    wanted: dict[str, list[str]] = field(default_factory=dict)


FIELDS_PER_QUERY = 512
"""Fields checked in one polars query. A schema of 16,000 fields made one query that
held 1.45 GB while polars planned it (and 12 s for three rows); in queries of this many
fields, 0.4 GB. The schemas of schema.data.gouv.fr have a few dozen fields: one query."""


@dataclass
class _View:
    """One batch as the emitters see it: cells, record numbers, the query's results."""

    frame: pl.DataFrame
    rows: np.ndarray
    lines: np.ndarray
    extra: list[tuple[int, int, list[tuple[int, str]]]]
    pre: pl.DataFrame
    results: dict[str, CellResult]
    blank: np.ndarray
    """True on blank rows (every mapped cell blank): they get one finding, nothing else."""
    marks: list = field(default_factory=list)
    """What the reader noted about the cells' bytes (``Batch.marks``)."""
    numbers: dict[int, np.ndarray] = field(default_factory=dict)
    """Cells a spreadsheet stored as numbers, by column (``Batch.numbers``)."""
    formula_errors: dict[int, np.ndarray] = field(default_factory=dict)
    """Cells holding a formula's error value, by column (``Batch.formula_errors``)."""
    days: dict[int, np.ndarray] = field(default_factory=dict)
    """A spreadsheet's date cells, by column (``Batch.days``)."""
    moments: dict[int, np.ndarray] = field(default_factory=dict)
    """A spreadsheet's other date-time and time cells, by column (``Batch.moments``)."""
    formula_columns: set[int] | None = None
    """Columns where a cell may start like a formula (``Batch.formula_columns``)."""
    booleans: dict[int, np.ndarray] = field(default_factory=dict)
    """A spreadsheet's boolean cells, by column (``Batch.booleans``)."""
    durations: dict[int, np.ndarray] = field(default_factory=dict)
    """A spreadsheet's durations not shown as read, by column (``Batch.durations``)."""
    percents: dict[int, np.ndarray] = field(default_factory=dict)
    """A spreadsheet's numbers shown as percentages, by column (``Batch.percents``)."""

    @cached_property
    def any_blank(self) -> bool:
        return bool(self.blank.any())

    @cached_property
    def spaces_only(self) -> np.ndarray:
        """True on the rows of nothing but spaces (some cell not empty): data here, as
        frictionless reads them, but blank for fix and consolidate (:func:`.text.blank_row`).
        Only rows whose first cell is empty or spaces are looked at whole."""
        found = np.zeros(self.frame.height, dtype=bool)
        if not self.frame.width or not self.frame.height:
            return found
        first = self.frame.to_series(0).fill_null("").str.contains(_SPACES_OR_EMPTY)
        idx = np.flatnonzero(first.to_numpy() & ~self.blank)
        if not idx.size:
            return found
        cells = self.frame[idx].select(pl.all().fill_null(""))
        spaces = cells.select(pl.all_horizontal(pl.all().str.contains(_SPACES_OR_EMPTY)))
        filled = cells.select(pl.any_horizontal(pl.all() != ""))
        found[idx[(spaces.to_series() & filled.to_series()).to_numpy()]] = True
        if found.any() and self.extra:  # a value past the header: not blank for fix either
            found &= ~np.isin(self.rows, [row for row, _, _ in self.extra])
        return found

    @cached_property
    def sorter(self) -> np.ndarray:
        return np.argsort(self.rows, kind="stable")  # rows of a batch are not all in order

    @cached_property
    def short_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The rows lacking a cell of a field (short rows), and which of their cells are
        null, one column per frame column. Short rows are usually few: their missing cells
        are found among them, in one call, not with a call per column over the batch."""
        rows = np.flatnonzero(_bools(self.pre.get_column("\x00short")))
        if rows.size * 8 > self.frame.height:  # many: copying them would cost more
            return rows, self.frame.select(pl.all().is_null()).to_numpy()[rows]
        return rows, self.frame[rows].select(pl.all().is_null()).to_numpy()

    def missing(self, position: int) -> np.ndarray:
        """Row indexes of the cells of column ``position`` missing from their (short) row,
        blank rows excluded."""
        rows, nulls = self.short_rows
        idx = rows[nulls[:, position]]
        return idx[~self.blank[idx]] if self.any_blank else idx

    def cleaned(self, mask: pl.Series) -> np.ndarray:
        """Row indexes where ``mask`` holds, blank rows excluded."""
        hits = _bools(mask)  # numpy: an eager polars call per mask costs more
        if self.any_blank:
            hits &= ~self.blank
        return np.flatnonzero(hits)

    def index_of(self, rows: np.ndarray) -> np.ndarray:
        """Positions in the batch of record numbers ``rows``."""
        return self.sorter[np.searchsorted(self.rows, rows, sorter=self.sorter)]

    def column(self, position: int) -> pl.Series:
        return self.frame.get_column(f"c{position}")


_ONLY_SPACES = f"^[{SPACES}]+$"
"""A cell ``fix`` trims to nothing (:data:`.french.SPACES`, as Rust's regex reads them)."""
_SPACES_OR_EMPTY = f"^[{SPACES}]*$"
_PADDED_NUMBER = f"^(?:[{SPACES}]+[+-]?[0-9]+[{SPACES}]*|[+-]?[0-9]+[{SPACES}]+)$"
"""A number with spaces around it: a year frictionless takes only because the spaces make
it four characters long (`` 12 ``), which ``fix`` and ``consolidate`` trim and refuse."""

NULL = np.iinfo(np.int64).min
"""A missing row, line, column or first row in the arrays of a :class:`_Part`."""


@dataclass
class _Part:
    """Findings of one kind from one emitter, as arrays (no Python object per finding)."""

    kind: int
    rows: np.ndarray
    lines: np.ndarray
    column: int | np.ndarray | None
    values: pl.Series | None = None
    first_rows: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.rows)


def _int_series(values: np.ndarray, dtype: Any) -> pl.Series:
    """A polars Series from int64 ``values``, null where they hold :data:`NULL`.

    Built from Arrow buffers: an eager polars cast costs a query per call, and
    ``pyarrow.array(numpy, mask=…)`` imports pandas. Handed over as a record batch:
    ``pl.Series(pa.Array)`` imports ``pyarrow.compute`` (~30 ms per process)."""
    missing = values == NULL
    np_type, pa_type = (np.int32, pa.int32()) if dtype == pl.Int32 else (np.int64, pa.int64())
    data = np.where(missing, 0, values).astype(np_type)
    if not missing.any():
        return pl.Series(data)
    validity = np.packbits(~missing, bitorder="little")
    array = pa.Array.from_buffers(
        pa_type, len(data), [pa.py_buffer(validity), pa.py_buffer(data)], int(missing.sum())
    )
    return pl.DataFrame(pa.record_batch([array], names=["values"])).to_series()


def _merged(parts: list[_Part]) -> pl.DataFrame:
    """One block (:data:`~.report.BLOCK_SCHEMA`) in file order: by row, then column, the
    emitters' order kept among equals (as frictionless lists them)."""

    def spread(part: _Part, value: Any) -> np.ndarray:
        if isinstance(value, np.ndarray):
            return value.astype(np.int64, copy=False)
        return np.full(len(part), NULL if value is None else value, dtype=np.int64)

    kinds = np.concatenate([np.full(len(p), p.kind, dtype=np.uint32) for p in parts])
    rows = np.concatenate([p.rows.astype(np.int64, copy=False) for p in parts])
    lines = np.concatenate([p.lines.astype(np.int64, copy=False) for p in parts])
    columns = np.concatenate([spread(p, p.column) for p in parts])
    firsts = np.concatenate([spread(p, p.first_rows) for p in parts])
    values = pl.concat(
        [
            p.values.cast(pl.String)
            if p.values is not None
            else pl.Series([None] * len(p), dtype=pl.String)
            for p in parts
        ]
    )
    order = np.lexsort((np.where(columns == NULL, 0, columns), np.where(rows == NULL, 0, rows)))
    return pl.DataFrame(
        {
            "kind": pl.Series(kinds[order], dtype=pl.UInt32),
            "row": _int_series(rows[order], pl.Int64),
            "line": _int_series(lines[order], pl.Int64),
            "column": _int_series(columns[order], pl.Int32),
            "value": values[order],
            "first_row": _int_series(firsts[order], pl.Int64),
        }
    )


class Engine:
    """Validates one file against one schema (a dict); create one per file.

    A batch goes through one *emitter* per kind of finding (blank rows, extra and missing
    cells, type and constraint errors, unique fields, primary and foreign keys, business
    rules); each returns its findings as columnar blocks, merged in file order.
    """

    def __init__(
        self,
        path: Path,
        schema: dict[str, Any],
        report: Report,
        detected: dict[str, Any],
        *,
        limit: int | None = None,
        batch_rows: int = BATCH_ROWS,
        progress: bool | None = None,
        reuse: Engine | None = None,
    ) -> None:
        """``reuse``: the engine of an attempt that failed to read the file (see
        :func:`_validate_file`); what it made of the same header and schema is taken
        again (the header's mapping, the referenced keys, the batch query), not remade."""
        self.path = path
        self.schema = schema
        self.report = report
        self.detected = detected
        self.fields: list[dict[str, Any]] = [f for f in schema.get("fields", []) if "name" in f]
        self.limit = limit
        self.batch_rows = batch_rows
        self.progress = progress
        missing = schema.get("missingValues", [""])
        self.budget = reading_budget.current()  # its deadline: batches are checked in a thread
        self.header, self.header_lines = reading.read_header(path, detected)
        same = reuse if reuse is not None and reuse.header == self.header else None
        self.checkers: dict[str, FieldChecker] = (
            same.checkers if same else {f["name"]: FieldChecker(f, missing) for f in self.fields}
        )
        self.match: Resolution = (
            same.match
            if same
            else resolve_header(
                self.header,
                self.fields,
                key_fields(schema.get("primaryKey")),
                fields_match(schema),
            )
        )
        self.columns: dict[str, int] = self.match.columns
        self.unavailable: list[Finding] = same.unavailable if same else []
        """Warnings for references that could not be resolved (added after the header's)."""
        self._track_keys(same)
        self.rules, self.rule_context = self._rules()
        self.plan: _Plan = same.plan if same else self._plan()
        # Functions, not bound methods: a list of this engine's bound methods would be a
        # reference cycle, and the engine, its checkers and what they remember would wait
        # for a full collection after each file (the page grew 60 to 130 MB per refused
        # upload of an error-dense workbook).
        self.emitters: list[Callable[[Engine, _View, Report], list[_Part]]] = [
            Engine._emit_blank_rows,
            Engine._emit_extra_cells,
            Engine._emit_cells,
            Engine._emit_unique,
            Engine._emit_primary_key,
            Engine._emit_unique_keys,
            Engine._emit_foreign_keys,
            Engine._emit_rules,
            Engine._emit_marks,
            Engine._emit_numbers,
            Engine._emit_spaces,
            Engine._emit_spaces_rows,
            Engine._emit_padded_years,
            Engine._emit_scientific,
            Engine._emit_unusual_digits,
            Engine._emit_partial_days,
            Engine._emit_clock_changes,
            Engine._emit_end_of_day,
            Engine._emit_formula_errors,
            Engine._emit_formulas,
        ]

    def _track_keys(self, same: Engine | None) -> None:
        """The keys' trackers, carried from batch to batch (unique fields, primary key,
        ``uniqueKeys``), and each foreign key's reference, resolved once."""
        present = set(self.columns)
        self.unique = {
            name: DuplicateTracker()
            for name, checker in self.checkers.items()
            if checker.unique and name in present
        }
        pk = key_fields(self.schema.get("primaryKey"))
        self.pk: list[str] = pk if pk and set(pk) <= present else []
        self.pk_tracker = DuplicateTracker() if self.pk else None
        self.unique_keys = [  # one already checked as the primary key or unique: not twice
            (fields, tracker)
            for fields, tracker in _unique_keys(self.schema, present)
            if fields != self.pk and not (len(fields) == 1 and fields[0] in self.unique)
        ]
        if (self.unique or self.pk or self.unique_keys) and self.path.stat().st_size > BIG_FILE:
            return_freed_arrays()  # millions of keys: bounded memory over speed
        self.fks: list[tuple[list[str], dict[str, Any], KeySet]] = (
            same.fks if same else self._resolved_foreign_keys(present)
        )
        self.key_fields = set(self.unique) | set(self.pk)
        for fields, _tracker in self.unique_keys:
            self.key_fields |= set(fields)
        for fields, _ref, _ks in self.fks:
            self.key_fields |= set(fields)

    # -- findings ------------------------------------------------------------------------

    def _add(self, finding: Finding) -> None:
        report = self.report
        limit = self.limit if finding.severity == "error" else None
        if limit is not None and report.error_count >= limit:
            report.limit_reached = True
            raise _LimitReached
        report.add(finding)

    def _add_block(self, report: Report, block: pl.DataFrame) -> None:
        """Add a batch's findings, stopping at the error limit like :meth:`_add` would."""
        if self.limit is not None:
            severities = np.array([k.severity == "error" for k in report.kinds])
            count = np.cumsum(severities[block.get_column("kind").to_numpy()])
            room = self.limit - report.error_count
            over = np.flatnonzero(count > room)
            if over.size:
                report.extend(block.head(int(over[0])))
                report.limit_reached = True
                raise _LimitReached
        report.extend(block)

    # -- main ------------------------------------------------------------------------------

    def run(self) -> Report:
        report = self.report
        report.detected["header_mapping"] = self.match.mapping
        report.detected["unchecked_columns"] = {
            cut(self.header[i]): c for i, c in self.match.unknown.items()
        }
        report.detected["columns"] = len(self.header)
        rows_seen = 0
        spans: list = []  # an ODS's or XLS's merged cells, noted as its rows are read
        hidden = HiddenCells()  # a sheet's hidden rows and columns, likewise
        try:
            reading_findings = _reading_findings(self.detected, self.header, self.columns)
            _name_other_sheets(self.path, self.detected, self.match.findings)
            _locate_header(self.path, self.detected, self.schema, self.match.findings)
            for finding in [*self.match.findings, *reading_findings, *self.unavailable]:
                self._add(finding)
            last_row, last = 1, None
            for batch in self._batches(len(self.header), self.header_lines, (spans, hidden)):
                if len(batch.rows):
                    rows_seen = int(batch.rows.max()) - 1
                    last_row = max(last_row, rows_seen + 1)
                    last = _last_record(batch)
                self.budget.check_time(self.path)
                self._check_batch(batch)
                del batch  # not kept alive while the next one is awaited (memory)
            report.rows = last_row - 1
            for finding in _unclosed_quote(self.path, self.detected, self.header, last):
                self._add(finding)
        except _LimitReached:
            report.rows = rows_seen
        for finding in _merged_findings(self.path, self.detected, spans):
            self._add(finding)  # warnings: the error limit does not stop them
        shown = hidden.within(1, self.header)  # validate reads row 1 as the header
        if shown:
            self._add(Finding(code="hidden-cells", severity="warning", params=shown.params))
        return report

    def _batches(self, ncols: int, header_lines: int, notes: tuple[list, HiddenCells]):
        total = self.path.stat().st_size
        show = self.progress
        if show is None:
            show = total > PROGRESS_BYTES and sys.stderr.isatty()
        # Two stages on two cores: parse (pyarrow) then query (polars) in a thread,
        # findings here. A third thread for the query saved no time and held a batch more.
        parsed = reading.iter_batches(
            self.path,
            self.detected,
            ncols,
            batch_rows=self.batch_rows,
            header_lines=header_lines,
            text_columns=[self.columns[name] for name in self._formula_fields],
            merges=notes[0],
            hidden=notes[1],
        )
        batches = _prefetch(_handed_over(parsed, self._query))
        if not show:
            yield from batches
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            "[progress.percentage]{task.percentage:>3.0f}%",
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            transient=True,
            console=Console(stderr=True),
        ) as bar:
            task = bar.add_task(f"Validation de {self.path.name}", total=total)
            for batch in batches:
                nbytes = batch.nbytes
                yield batch
                del batch
                bar.update(task, completed=nbytes or total)

    # -- keys ------------------------------------------------------------------------------

    def _resolved_foreign_keys(
        self, present: set[str]
    ) -> list[tuple[list[str], dict[str, Any], KeySet]]:
        # Where foreign keys are resolved: each reference's keys, once, before any batch.
        fks = []
        for fk in _foreign_keys(self.schema):
            fields = key_fields(fk.get("fields"))
            if not fields or not set(fields) <= present:
                continue
            keyset = self._referenced_keys(fk, self.detected)
            if keyset is not None:
                fks.append((fields, fk.get("reference") or {}, keyset))
        return fks

    def _referenced_keys(self, fk: dict[str, Any], detected: dict[str, Any]) -> KeySet | None:
        """Keys of the referenced table: a published dataset, or this file itself."""
        reference = fk.get("reference") or {}
        resource = reference.get("resource", "")
        ref_fields = key_fields(reference.get("fields"))
        own_name = self.schema.get("name")
        schema: Any
        if not resource or resource == own_name:
            path, schema, ref_detected = self.path, self.schema, detected
        else:
            from moisinno_data.package import paths
            from moisinno_data.package.schemas import SchemaError, load_schema

            path = paths.dataset_path(resource)
            try:
                schema = load_schema(resource)
            except SchemaError:
                schema = None
            if schema is None or not path.is_file():
                # what is missing: the table's data, the user's package, or its table
                if schema is not None:
                    missing = "data"
                else:
                    missing = "package" if paths.located_root() is None else "table"
                self.unavailable.append(
                    Finding(
                        code="foreign-key-unavailable",
                        severity="warning",
                        field=", ".join(key_fields(fk.get("fields"))),
                        params={"resource": resource, "reference": ref_fields, "missing": missing},
                    )
                )
                return None
            ref_detected = reading.detect(path)
        return collect_keys(path, schema, ref_fields, ref_detected)

    # -- business rules ---------------------------------------------------------------

    def _rules(self) -> tuple[Any, Any]:
        """The business rules module and their context, when the schema declares some."""
        if not self.schema.get("custom_checks"):
            return None, None
        from moisinno_data.validation import rules

        return rules, rules.RuleContext(schema=cast(Any, self.schema), file=self.path)

    # -- one batch -------------------------------------------------------------------

    def _plan(self) -> _Plan:
        """The batch query, built once: every field's vectorised checks in one select,
        which polars spreads over the cores (in several for a very wide schema,
        :data:`FIELDS_PER_QUERY`), with the columns the schema does not know."""
        plan = _Plan()
        names = list(self.columns)
        for start in range(0, max(len(names), 1), FIELDS_PER_QUERY):
            chunk = names[start : start + FIELDS_PER_QUERY]
            plan.queries.append(self._fields_query(plan, chunk))
        if len(plan.queries) > 1:
            for query in plan.queries:
                query.inputs = sorted({*_inputs(query)}, key=lambda c: int(c[1:]))
        return plan

    def _fields_query(self, plan: _Plan, names: list[str]) -> _Query:
        """The query of the fields ``names``; its ``\x00blank`` and ``\x00short`` columns
        are those of these fields only (:meth:`_query` joins those of several queries), the
        first one's with the columns the schema does not know."""
        query = _Query()
        blanks = []
        for name in names:
            position = self.columns[name]
            checker = self.checkers[name]
            tag = f"{name}\x01"
            query.stage.update(checker.stage(f"c{position}", tag))
            parts = checker.expressions(f"c{position}", tag, want_key=name in self.key_fields)
            plan.wanted[name] = list(parts)
            blanks.append(parts["blank"])
            for k, e in parts.items():
                out = f"{name}\x00{k}"
                if k.startswith("any:"):
                    # Read from the mask computed in the step before: an ``any()`` over
                    # the mask's expression would evaluate it (regexes…) a second time.
                    query.exprs.append(pl.col(f"{name}\x00{k[4:]}").any().alias(out))
                else:
                    query.masks[out] = e
                    query.exprs.append(pl.col(out))
            query.exprs.append(pl.col(f"c{position}").is_null().any().alias(f"{name}\x00short"))
            for key, pattern in self._text_masks[name].items():
                mask = pl.col(f"c{position}").str.contains(pattern).fill_null(False)
                query.masks[f"{name}\x00{key}"] = mask
                query.exprs.append(pl.col(f"{name}\x00{key}"))
                query.exprs.append(pl.col(f"{name}\x00{key}").any().alias(f"{name}\x00any:{key}"))
        if not plan.queries:
            # A row is blank only if the columns the schema does not know are blank too: a
            # value in an unknown column is not an empty row.
            mapped = set(self.columns.values())
            others = [f"c{p}" for p in range(len(self.header)) if p not in mapped]
            if others:  # one expression for them all: a header may have 16,384 labels
                # and "" is the least text: a row's greatest is "" (or none) when all are
                # blank, one node a column (is_null | == "" cost 1.1 s a batch of 16,384)
                most = pl.max_horizontal(pl.col(others))
                blanks.append(most.is_null() | (most == ""))
            if not blanks:
                blanks = [pl.all().is_null() | (pl.all() == "")]
        query.exprs.append(pl.all_horizontal(blanks).alias("\x00blank"))
        if names:
            lacking = [pl.col(f"c{self.columns[n]}").is_null() for n in names]
            query.exprs.append(pl.any_horizontal(lacking).alias("\x00short"))
        return query

    @cached_property
    def _empty_lines_unseen(self) -> bool:
        """Whether pyarrow's reading may hide an empty line: it gives it as empty cells,
        like ``,,``. frictionless reads it as no cell at all, so a blank row whatever the
        missing values; ``,,`` is blank only where ``""`` is a missing value. Where a field
        says otherwise (``missingValues: ["-"]``), a batch with a row of empty cells sends
        the file to Python's csv module, which tells them apart: the empty line passed as
        a row of values, and the file VALIDE where frictionless finds a blank row."""
        if self.detected.get("parser") == "python" or self.detected["format"] != "csv":
            return False
        return any("" not in self.checkers[name].missing_values for name in self.columns)

    @cached_property
    def _text_masks(self) -> dict[str, dict[str, str]]:
        """The warnings looked for in each field's cells, each a mask of the batch query
        (key → pattern): cells of spaces in a required text (:meth:`_emit_spaces`), a long
        number in scientific notation in a text without ``pattern`` or ``enum``
        (:meth:`_emit_scientific`), a year padded to four characters by spaces
        (:meth:`_emit_padded_years`), a date-time without offset near a Paris clock change
        (:meth:`_emit_clock_changes`), the end of a day at 24:00 (:meth:`_emit_end_of_day`)."""
        masks: dict[str, dict[str, str]] = {name: {} for name in self.columns}
        for name in self._required_texts:
            masks[name]["spaces"] = _ONLY_SPACES
        for name in self._plain_texts:
            masks[name]["scientific"] = SCIENTIFIC_PATTERN
        for name in self.columns:
            checker = self.checkers[name]
            if checker.type == "year":
                masks[name]["padded"] = _PADDED_NUMBER
            if checker.type == "datetime" and checker.format == "default":
                masks[name]["clock"] = paris.NEAR_CLOCK_CHANGE
                masks[name]["midnight"] = paris.END_OF_DAY
            if checker.type == "time" and checker.format == "default":
                masks[name]["midnight"] = paris.END_OF_DAY_TIME
        return masks

    def _query(self, batch: reading.Batch) -> reading.Batch:
        """Run the batch query (in the pipeline's middle thread; see :func:`_prefetch`)."""
        if self._empty_lines_unseen and batch.frame.height:
            empty = batch.frame.select(pl.all_horizontal(pl.all() == "")).to_series()
            if empty.any():
                raise reading.UsePythonParser()
        for masks, written in (
            (batch.days, _day_written),
            (batch.numbers, _number_written),
            (batch.booleans, _boolean_written),
            (batch.moments, _moment_written),
        ):
            if masks:
                batch.frame = self._rewritten(batch.frame, masks, written)
        if batch.elapsed:
            batch.frame = self._durations_written(batch.frame, batch.elapsed)
        if batch.frame.height:
            results = [
                (batch.frame.select(q.inputs) if q.inputs is not None else batch.frame)
                .lazy()
                .with_columns(**q.stage)
                .with_columns(**q.masks)
                .select(q.exprs)
                .collect()
                for q in self.plan.queries
            ]
            batch.pre = results[0] if len(results) == 1 else _joined(results)
        return batch

    def _rewritten(
        self,
        frame: pl.DataFrame,
        masks: dict[int, Any],
        written: Callable[[FieldChecker, pl.Expr], pl.Expr | None],
    ) -> pl.DataFrame:
        """``frame`` with a spreadsheet's typed cells (the rows of ``masks``) as the field
        reads them (``written``: None where it reads them as they are)."""
        changes = {}
        for name, position in self.columns.items():
            mask = masks.get(position)
            column = pl.col(f"c{position}")
            value = written(self.checkers[name], column) if mask is not None else None
            if value is not None:
                changes[f"c{position}"] = pl.when(pl.Series(mask)).then(value).otherwise(column)
        return frame.with_columns(**changes) if changes else frame

    def _durations_written(
        self, frame: pl.DataFrame, elapsed: dict[int, dict[int, int]]
    ) -> pl.DataFrame:
        """``frame`` with a spreadsheet's duration cells (``Batch.elapsed``) as a time or
        duration field reads them (:func:`french.duration_in_field`: ``PT26H``, 2.5 hours
        shown ``2:30`` a time ``02:30:00``); elsewhere, and where the field cannot read
        them, as shown."""
        changes = {}
        for name, position in self.columns.items():
            checker, cells = self.checkers[name], elapsed.get(position)
            if cells is None or checker.type not in ("time", "duration"):
                continue
            values: list[str | None] = [None] * frame.height
            for k, seconds in cells.items():
                values[k] = french.duration_in_field(seconds, checker.type, checker.format)
            read = pl.Series(values, dtype=pl.String)
            column = pl.col(f"c{position}")
            changes[f"c{position}"] = pl.when(read.is_not_null()).then(read).otherwise(column)
        return frame.with_columns(**changes) if changes else frame

    def _check_batch(self, batch: reading.Batch) -> None:
        frame = batch.frame
        n = frame.height
        if n == 0:
            return
        report = self.report
        pre = batch.pre if batch.pre is not None else self._query(batch).pre
        results = {}
        for name, position in self.columns.items():
            results[name] = self.checkers[name].finish(
                frame.get_column(f"c{position}"),
                {k: pre.get_column(f"{name}\x00{k}") for k in self.plan.wanted[name]},
                want_key=name in self.key_fields,
                where=self.path,
            )
        view = _View(
            frame,
            batch.rows,
            batch.lines,
            batch.extra,
            pre,
            results,
            _blank_once_cleaned(
                frame, batch.rows, _bools(pre.get_column("\x00blank")), batch.marks
            ),
            batch.marks,
            batch.numbers,
            batch.formula_errors,
            batch.days,
            batch.moments,
            batch.formula_columns,
            batch.booleans,
            batch.durations,
            batch.percents,
        )
        parts = [part for emit in self.emitters for part in emit(self, view, report) if len(part)]
        if not parts:
            return
        merged = _merged(parts)
        self._add_block(report, merged)

    # -- emitters: one per kind of finding -------------------------------------------

    def _emit_blank_rows(self, view: _View, report: Report) -> list[_Part]:
        if not view.any_blank:
            return []
        idx = np.flatnonzero(view.blank)
        return [_Part(report.kind("blank-row"), view.rows[idx], view.lines[idx], None)]

    def _emit_extra_cells(self, view: _View, report: Report) -> list[_Part]:
        """Cells beyond the header, unless the row is blank."""
        if not view.extra:
            return []
        blank_rows = set(view.rows[view.blank].tolist()) if view.any_blank else set()
        params: dict[str, Any] = {"columns": len(self.header)}
        if self.detected.get("sheet"):
            params["sheet"] = True  # no separator to blame in a workbook
        kind = report.kind("extra-cell", params=params)
        rows, lines, columns, values = [], [], [], []
        for row, line, cells in view.extra:
            if row in blank_rows:
                continue
            for column, value in cells:
                rows.append(row)
                lines.append(line)
                columns.append(column)
                values.append(value)
        if not rows:
            return []
        return [
            _Part(
                kind,
                np.array(rows, dtype=np.int64),
                np.array(lines, dtype=np.int64),
                np.array(columns, dtype=np.int64),
                pl.Series(values, dtype=pl.String),
            )
        ]

    def _emit_cells(self, view: _View, report: Report) -> list[_Part]:
        """Missing cells, type errors and constraint errors, field by field."""
        out = []
        for name, result in view.results.items():
            short = bool(view.pre.get_column(f"{name}\x00short")[0])
            if short or result.type_error is not None or result.constraints:
                out.extend(self._field_blocks(view, report, name, result, short))
        return out

    def _field_blocks(
        self, view: _View, report: Report, name: str, result: CellResult, short: bool
    ) -> list[_Part]:
        position = self.columns[name]
        checker = self.checkers[name]
        col = view.column(position)
        out = []

        def emit(kind: int, idx: np.ndarray, values: pl.Series | None) -> None:
            if idx.size:
                out.append(_Part(kind, view.rows[idx], view.lines[idx], position + 1, values))

        if short:
            idx = view.missing(position)
            kind = report.kind("missing-cell", field=name, params={"columns": len(self.header)})
            emit(kind, idx, pl.Series([""] * idx.size, dtype=pl.String))
        if result.type_error is not None:
            idx = view.cleaned(result.type_error)
            params: dict[str, Any] = {"type": checker.type, "format": checker.format}
            if checker.item:
                item = checker.item
                params["arrayItem"] = {
                    "type": item.get("type", "any"),
                    "format": item.get("format", "default"),
                }
            # the field's notation: the message and hint say what to write its way
            params.update(notation.notation(checker.descriptor))
            params.update(_number_params(checker))
            emit(report.kind("type-error", field=name, params=params), idx, col[idx])
        for constraint, mask in result.constraints:
            idx = view.cleaned(mask)
            params = {
                "constraint": constraint,
                "expected": checker.constraints.get(constraint),
                "type": checker.type,
            }
            if constraint == "pattern" and checker.example is not None:
                params["example"] = checker.example  # a pattern tells people little
            if constraint == "pattern" and isinstance(checker.constraints.get("enum"), list):
                # the pattern's hint proposes no code the list refuses (not written out)
                params[HIDDEN_ENUM] = checker.constraints["enum"]
            kind = report.kind("constraint-error", field=name, params=params)
            emit(kind, idx, col[idx].fill_null("") if col.null_count() else col[idx])
        return out

    def _repeats(self, view: _View, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, first rows) of the repeated keys of unique field ``name`` (memoised per
        batch: the primary key reuses a single-field unique check)."""
        cache = view.__dict__.setdefault("_repeats", {})
        if name not in cache:
            key = view.results[name].key
            assert key is not None
            cache[name] = self.unique[name].check_arrays(key, view.rows)
        return cache[name]

    def _emit_unique(self, view: _View, report: Report) -> list[_Part]:
        """Unique fields (null keys — blank or wrongly typed cells — are skipped)."""
        out = []
        for name in self.unique:
            rows, first = self._repeats(view, name)
            if not rows.size:
                continue
            position = self.columns[name]
            idx = view.index_of(rows)
            kind = report.kind("unique-error", field=name)
            values = view.column(position)[idx]
            out.append(_Part(kind, rows, view.lines[idx], position + 1, values, first))
        return out

    def _emit_primary_key(self, view: _View, report: Report) -> list[_Part]:
        """Primary key: every row, blank ones included, as frictionless does."""
        if self.pk_tracker is None:
            return []
        keys = _keys(view.results, self.pk)
        all_null = blank_keys(keys)
        pk_field = ", ".join(self.pk)
        column = self.columns[self.pk[0]] + 1 if len(self.pk) == 1 else None
        out = []
        if all_null.any():
            idx = np.flatnonzero(_bools(all_null))
            kind = report.kind(
                "primary-key", field=pk_field, params={"fields": self.pk, "blank": True}
            )
            values = pl.Series([""] * idx.size, dtype=pl.String)
            out.append(_Part(kind, view.rows[idx], view.lines[idx], column, values))
        if len(self.pk) == 1 and self.pk[0] in self.unique:
            rows, first = self._repeats(view, self.pk[0])  # the unique check found them
        else:
            rows, first = self.pk_tracker.check_arrays(joined_keys(keys, all_null), view.rows)
        if rows.size:
            idx = view.index_of(rows)
            kind = report.kind("primary-key", field=pk_field, params={"fields": self.pk})
            values = self._values_at(view, self.pk, idx)
            out.append(_Part(kind, rows, view.lines[idx], column, values, first))
        return out

    def _emit_unique_keys(self, view: _View, report: Report) -> list[_Part]:
        """``uniqueKeys``: each combination unique. One with a missing (or unreadable)
        component is not checked, as SQL's UNIQUE does: Table Schema v2 leaves it open,
        and a blank is no value to repeat."""
        out = []
        for fields, tracker in self.unique_keys:
            keys = _keys(view.results, fields)
            # a combination with a missing component is not checked: null, as SQL's UNIQUE
            present = joined_keys(keys, blank_keys(keys, any_one=True))
            rows, first = tracker.check_arrays(present, view.rows)
            if not rows.size:
                continue
            idx = view.index_of(rows)
            kind = report.kind("unique-key", field=", ".join(fields), params={"fields": fields})
            values = self._values_at(view, fields, idx)
            column = self.columns[fields[0]] + 1
            out.append(_Part(kind, rows, view.lines[idx], column, values, first))
        return out

    def _emit_foreign_keys(self, view: _View, report: Report) -> list[_Part]:
        """Foreign keys: a row whose key cells are all blank is not checked."""
        out = []
        for fields, reference, keyset in self.fks:
            keys = _keys(view.results, fields)
            bad = keyset.missing(joined_keys(keys, blank_keys(keys)))
            idx = np.flatnonzero(_bools(bad))
            if not idx.size:
                continue
            params = {
                "resource": reference.get("resource", ""),
                "reference": key_fields(reference.get("fields")),
                "fields": fields,
            }
            kind = report.kind("foreign-key", field=", ".join(fields), params=params)
            values = self._values_at(view, fields, idx)
            column = self.columns[fields[0]] + 1
            out.append(_Part(kind, view.rows[idx], view.lines[idx], column, values))
        return out

    def _emit_rules(self, view: _View, report: Report) -> list[_Part]:
        """Business rules, on the rows that are not blank."""
        if self.rules is None or not self.columns:
            return []
        findings = self.rules.run(
            self.schema, self._rule_frame(view, self.columns), self.rule_context
        )
        return _rule_parts(report, self._placed(view, findings))

    def _emit_formulas(self, view: _View, report: Report) -> list[_Part]:
        """Text cells a spreadsheet would run as a formula, when the schema does not ask
        for the check (then it is an error, among its rules): a warning, since
        ``consolidate`` never publishes such a value, whatever the schema. Only columns
        where the reader saw a cell start like a formula are searched."""
        from moisinno_data.validation.rules import formula_injection

        maybe = view.formula_columns
        names = [
            name for name in self._formula_fields if maybe is None or self.columns[name] in maybe
        ]
        if not names:
            return []
        frame = self._rule_frame(view, names, typed=True)
        findings = formula_injection.check({"columns": names}, frame, None)
        for finding in findings:
            finding.severity = "warning"
            finding.params = {**(finding.params or {}), "unpublished": True}
        return _rule_parts(report, self._placed(view, findings))

    @cached_property
    def _formula_fields(self) -> list[str]:
        """The fields :meth:`_emit_formulas` looks at: those whose values may start like a
        formula (a duration ``-P1D`` as well as a text), except the columns the schema's
        own check covers (its rules then report formulas as errors): ``consolidate``
        refuses a formula in any other column, whatever its type."""
        from moisinno_data.validation.rules import formula_injection

        covered = formula_injection.declared_columns(self.schema)
        return [
            n
            for n in self.columns
            if n not in covered and formula_injection.may_hold_formula(self.checkers[n].descriptor)
        ]

    def _rule_frame(
        self, view: _View, names: Iterable[str], *, typed: bool = False
    ) -> pl.DataFrame:
        """The cells of ``names`` as the rules read them (blank cells null), with each
        row's number in ``__row__``; blank rows left out. ``typed``: a cell of a typed
        field with a type error is null too (already an error: ``=1+1`` in a duration
        field; a text field's formula is said whatever its format)."""

        def kept(name: str) -> pl.Series:
            result = view.results[name]
            text = self.checkers[name].type in ("string", "any")
            return result.accepted() if typed and not text else ~result.blank

        frame = view.frame.select(  # one query, whatever the number of columns
            *(
                pl.when(pl.lit(kept(name))).then(pl.col(f"c{self.columns[name]}")).alias(name)
                for name in names
            ),
            pl.lit(pl.Series(view.rows, dtype=pl.Int64)).alias("__row__"),
        )
        return frame.filter(pl.Series(~view.blank)) if view.any_blank else frame

    def _placed(self, view: _View, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` with their physical line and column, from their row and field."""
        items = []
        for finding in findings:
            if finding.row is not None and finding.line is None:
                k = int(np.searchsorted(view.rows, finding.row, sorter=view.sorter))
                if k < len(view.rows) and view.rows[view.sorter[k]] == finding.row:
                    finding.line = int(view.lines[view.sorter[k]])
            if finding.field and finding.column is None and finding.field in self.columns:
                finding.column = self.columns[finding.field] + 1
            items.append(finding)
        return items

    def _emit_marks(self, view: _View, report: Report) -> list[_Part]:
        """What the reader noted about the cells' bytes (``Batch.marks``), blank rows
        excluded (a row of control characters alone is one)."""
        marks = view.marks
        if view.any_blank and marks:
            blank = set(view.rows[view.blank].tolist())
            marks = [mark for mark in marks if mark[1] not in blank]
        return _rule_parts(report, _mark_findings(marks, self.columns))

    def _emit_numbers(self, view: _View, report: Report) -> list[_Part]:
        """Numbers, dates and booleans in a spreadsheet's text fields: a code or a phone
        number the spreadsheet took for a number has lost its leading zeros; a date is read
        as AAAA-MM-JJ, not as it is shown (15/03/2024); VRAI as true. Only where no
        ``pattern`` or ``enum`` checks the text's shape (a lost zero or another spelling is
        already an error). And a percentage in a number field that may write it as 12.2."""
        texts = self._plain_texts
        return [
            *self._cell_warnings(view, report, "number-in-text", view.numbers, texts),
            *self._cell_warnings(view, report, "date-in-text", view.days, texts),
            *self._cell_warnings(view, report, "date-in-text", view.moments, texts),
            *self._cell_warnings(view, report, "boolean-in-text", view.booleans, texts),
            *self._cell_warnings(
                view, report, "date-in-text", view.durations, texts, {"duration": True}
            ),
            *self._cell_warnings(view, report, "percent-cell", view.percents, self._in_percent),
        ]

    @cached_property
    def _in_percent(self) -> list[str]:
        """Number fields that may write 45 % as 45 (:func:`french.percent_scale`): there a
        cell the spreadsheet shows as 12,2 % holds 0.122, a hundred times less than seen."""
        return [
            str(f["name"])
            for f in self.fields
            if f["name"] in self.columns
            and f.get("type") in ("number", "integer")
            and french.percent_scale(f) != "fraction"
        ]

    @cached_property
    def _plain_texts(self) -> list[str]:
        """Text fields whose shape nothing checks (no ``pattern`` nor ``enum``: there a
        lost zero or a number's other spelling is already an error)."""
        return [
            name
            for name in self.columns
            if self.checkers[name].type == "string"
            and not {"pattern", "enum"} & set(self.checkers[name].constraints)
        ]

    def _emit_spaces(self, view: _View, report: Report) -> list[_Part]:
        """Required text cells of spaces only: filled to frictionless, so no error here,
        but empty once ``fix`` and ``consolidate`` trim them, and the row refused there —
        said, so that validate does not pass in silence what consolidate refuses. A row of
        nothing but spaces is said once, as such (:meth:`_emit_spaces_rows`)."""
        parts = self._masked_warnings(view, report, "required-spaces", "spaces")
        if not parts or not view.spaces_only.any():
            return parts
        rows, out = view.rows[view.spaces_only], []
        for part in parts:
            keep = ~np.isin(part.rows, rows)
            if keep.any() and part.values is not None:
                values = part.values.filter(pl.Series(keep))
                out.append(_Part(part.kind, part.rows[keep], part.lines[keep], part.column, values))
        return out

    def _emit_spaces_rows(self, view: _View, report: Report) -> list[_Part]:
        """Rows of nothing but spaces: data for frictionless (and so here, their cells
        checked), but blank rows that ``fix`` removes and ``consolidate`` ignores. Said
        once per row, so that the row count validate gives is not silently another."""
        if not view.spaces_only.any():
            return []
        idx = np.flatnonzero(view.spaces_only)
        return [_Part(report.kind("spaces-row", "warning"), view.rows[idx], view.lines[idx], None)]

    def _emit_padded_years(self, view: _View, report: Report) -> list[_Part]:
        """Years frictionless accepts only because spaces make them four characters long
        (`` 12 ``, ``202 ``: it checks the length, then Python's ``int`` drops the spaces):
        ``fix`` and ``consolidate`` trim them and refuse the year left (``12``). A warning,
        the findings staying frictionless's, so that validate does not pass in silence a
        row consolidate refuses."""
        out = []
        for name, position, idx in self._masked(view, "padded"):
            idx = idx[view.results[name].accepted().to_numpy()[idx]]
            if idx.size:
                kind = report.kind("padded-year", "warning", field=name)
                values = view.column(position)[idx]
                out.append(_Part(kind, view.rows[idx], view.lines[idx], position + 1, values))
        return out

    def _emit_scientific(self, view: _View, report: Report) -> list[_Part]:
        """Long numbers a spreadsheet wrote in scientific notation (``5,00175E+13``) in
        text fields without ``pattern`` or ``enum``: a text field takes them without a word,
        yet their last digits are lost for good (a meter's 14-digit id)."""
        return self._masked_warnings(view, report, "scientific-notation", "scientific")

    def _emit_unusual_digits(self, view: _View, report: Report) -> list[_Part]:
        """Numbers frictionless reads though nobody writes them so (``1_000``, ``١٢``,
        ``１２``: :data:`french.UNUSUAL_DIGITS_PATTERN`), in the fields whose type reads
        them (:func:`french.digits_read`: integer, number, year, year-month, geopoint; a
        date in a format of its own, ``17/11/２０２０``, for its digits alone): a warning,
        their findings staying frictionless's. Only the cells the batch query left to the
        reference reader (``slow``: the bulk, ASCII digits, is fast) and that it accepted
        are searched, so a clean column costs nothing."""
        out = []
        for name, pattern in self._number_fields.items():
            if not view.pre.get_column(f"{name}\x00any:slow")[0]:
                continue
            accepted = view.pre.get_column(f"{name}\x00slow")
            refused = view.results[name].type_error
            idx = view.cleaned(accepted if refused is None else accepted & ~refused)
            position = self.columns[name]
            values = view.column(position)[idx]
            hit = values.str.contains(pattern).fill_null(False)
            if hit.any():
                params = {"type": self.checkers[name].type}
                kind = report.kind("unusual-digits", "warning", field=name, params=params)
                where = idx[hit.to_numpy()]
                cells = values.filter(hit)
                out.append(_Part(kind, view.rows[where], view.lines[where], position + 1, cells))
        return out

    def _emit_partial_days(self, view: _View, report: Report) -> list[_Part]:
        """``format: "any"`` dates and date-times that do not write their whole day
        (``2020-11``, ``nov``, ``10:00``): frictionless reads them, filling the missing
        parts from the day it runs, so the value depends on that day; ``load`` gives them
        as unknown. A warning, the findings staying frictionless's; each distinct value
        is read once (:func:`notation.partial_day`), and only in such fields (rare)."""
        out = []
        for name in self._any_day_fields:
            idx = view.cleaned(view.results[name].accepted())
            position = self.columns[name]
            values = view.column(position)[idx]
            asked = values.filter(~values.str.contains(notation.WHOLE_DAY_PATTERN))
            said = {v: notation.partial_day(v) for v in asked.unique().drop_nulls().to_list()}
            hit = values.replace_strict(said, default=False, return_dtype=pl.Boolean)
            if hit.any():
                kind = report.kind("partial-date", "warning", field=name)
                where = idx[hit.to_numpy()]
                out.append(
                    _Part(
                        kind, view.rows[where], view.lines[where], position + 1, values.filter(hit)
                    )
                )
        return out

    @cached_property
    def _any_day_fields(self) -> list[str]:
        """The fields :meth:`_emit_partial_days` looks at."""
        return [
            n
            for n in self.columns
            if self.checkers[n].type in ("date", "datetime") and self.checkers[n].format == "any"
        ]

    @cached_property
    def _number_fields(self) -> dict[str, str]:
        """The fields :meth:`_emit_unusual_digits` looks at, and the pattern of each."""
        patterns = {"number": UNUSUAL_DIGITS_PATTERN, "date": OTHER_DIGITS_PATTERN}
        read = {n: digits_read(self.checkers[n].descriptor) for n in self.columns}
        return {n: patterns[how] for n, how in read.items() if how is not None}

    def _emit_clock_changes(self, view: _View, report: Report) -> list[_Part]:
        """Date-times without offset that name no single moment in Paris: the clocks skip
        them (``2023-03-26T02:30:00``) or repeat them (``2023-10-29T02:30:00``).
        frictionless takes them, so a warning; ``load`` would read them as unknown, fix
        and consolidate list them to check. The batch query masks the few cells near a
        clock change (:data:`paris.NEAR_CLOCK_CHANGE`); :func:`paris.doubtful` decides."""
        out = []
        for name, position, idx in self._near_clock_changes(view):
            values = view.column(position)[idx]
            fmt = self.checkers[name].format
            said = {v: paris.doubtful(v, fmt) or "" for v in values.unique().to_list()}
            changes = np.array([said[v] for v in values.to_list()], dtype=object)
            for change, code in (("skipped", "nonexistent-time"), ("repeated", "ambiguous-time")):
                hit = changes == change
                if hit.any():
                    params = {"format": fmt} if "%" in fmt else None
                    kind = report.kind(code, "warning", field=name, params=params)
                    cells = values.filter(pl.Series(hit))
                    where = idx[hit]
                    out.append(
                        _Part(kind, view.rows[where], view.lines[where], position + 1, cells)
                    )
        return out

    def _near_clock_changes(self, view: _View) -> Iterator[tuple[str, int, np.ndarray]]:
        """The cells :meth:`_emit_clock_changes` asks about: those the batch query masks
        in ISO fields, and every cell read in a field with its own pattern
        (``%d/%m/%Y %H:%M``), whose cells go to the reference reader one by one already:
        there, 29/10/2023 02:30 passed validate in silence, then loaded NaT."""
        yield from self._masked(view, "clock")
        for name in self._patterned_datetimes:
            result = view.results[name]
            read = (
                ~result.blank if result.type_error is None else ~result.blank & ~result.type_error
            )
            idx = view.cleaned(read)
            if idx.size:
                yield name, self.columns[name], idx

    @cached_property
    def _patterned_datetimes(self) -> list[str]:
        """Date-time fields written in a pattern of their own (``%d/%m/%Y %H:%M``)."""
        return [
            n
            for n in self.columns
            if self.checkers[n].type == "datetime" and "%" in self.checkers[n].format
        ]

    def _emit_end_of_day(self, view: _View, report: Report) -> list[_Part]:
        """Date-times and times at 24:00 (:data:`paris.END_OF_DAY`), the next day's 00:00
        for frictionless, so a warning: Python, pandas and a spreadsheet refuse hour 24,
        and a release holding one was loaded as a corrupt one. The pattern matches only
        what frictionless reads (``24:00:01`` is its type error, not this warning), and a
        day of no calendar (``2022-02-30T24:00:00``) is left to that error too."""
        out = []
        for name, position, idx in self._masked(view, "midnight"):
            values = view.column(position)[idx]
            hit = np.array([paris.next_midnight(v) is not None for v in values.to_list()])
            if hit.any():
                kind = report.kind("end-of-day", "warning", field=name)
                cells = values.filter(pl.Series(hit))
                out.append(
                    _Part(kind, view.rows[idx[hit]], view.lines[idx[hit]], position + 1, cells)
                )
        return out

    def _masked_warnings(self, view: _View, report: Report, code: str, key: str) -> list[_Part]:
        """A ``code`` warning for each cell that the batch query's mask ``key`` marks
        (:meth:`_text_masks`), blank rows excluded."""
        out = []
        for name, position, idx in self._masked(view, key):
            kind = report.kind(code, "warning", field=name)
            values = view.column(position)[idx]
            out.append(_Part(kind, view.rows[idx], view.lines[idx], position + 1, values))
        return out

    def _masked(self, view: _View, key: str) -> Iterator[tuple[str, int, np.ndarray]]:
        """Each field whose cells the batch query's mask ``key`` marks: its name, its
        column and the rows marked (blank rows excluded)."""
        for name in [name for name, masks in self._text_masks.items() if key in masks]:
            if not view.pre.get_column(f"{name}\x00any:{key}")[0]:
                continue
            idx = view.cleaned(view.pre.get_column(f"{name}\x00{key}"))
            if idx.size:
                yield name, self.columns[name], idx

    @cached_property
    def _required_texts(self) -> list[str]:
        """Text fields a value is required in (a key's too): another type's cell of spaces
        is already a type error."""
        return [
            name
            for name in self.columns
            if self.checkers[name].type in ("string", "any")
            and (self.checkers[name].required or name in self.pk)
        ]

    def _emit_formula_errors(self, view: _View, report: Report) -> list[_Part]:
        """Cells where the spreadsheet shows a formula's error (``#N/A``…) instead of a
        value: a text field takes that text without a word, so it is said in every field."""
        fields = list(self.columns)
        return self._cell_warnings(view, report, "formula-error", view.formula_errors, fields)

    def _cell_warnings(
        self,
        view: _View,
        report: Report,
        code: str,
        masks: dict[int, np.ndarray],
        fields: list[str],
        params: dict[str, Any] | None = None,
    ) -> list[_Part]:
        """A ``code`` warning for each cell of ``fields`` that ``masks`` (column → rows of a
        spreadsheet's typed cells) marks, blank rows excluded; ``params`` say more of the
        cells (a duration, not a time of day)."""
        out = []
        for name in fields:
            position = self.columns[name]
            mask = masks.get(position)
            idx = np.flatnonzero(mask & ~view.blank) if mask is not None else None
            if idx is not None and idx.size:
                kind = report.kind(code, "warning", field=name, params=params)
                values = view.column(position)[idx]
                out.append(_Part(kind, view.rows[idx], view.lines[idx], position + 1, values))
        return out

    def _values_at(self, view: _View, names: list[str], idx: np.ndarray) -> pl.Series:
        """The cells of ``names`` at ``idx``, joined by ", " (a composite key's value)."""
        cells = [view.column(self.columns[n])[idx].fill_null("") for n in names]
        if len(cells) == 1:
            return cells[0]
        return (
            pl.DataFrame({f"k{i}": c for i, c in enumerate(cells)})
            .select(pl.concat_str(pl.all(), separator=", "))
            .to_series()
        )


def _inputs(query: _Query) -> Iterator[str]:
    """The frame columns (``c0``…) a query's expressions read."""
    for expr in [*query.stage.values(), *query.masks.values(), *query.exprs]:
        yield from (c for c in expr.meta.root_names() if c[:1] == "c" and c[1:].isdigit())


def _joined(results: list[pl.DataFrame]) -> pl.DataFrame:
    """The results of several queries as one: a row is blank when it is in all of them,
    short when it is in one."""
    blank = functools.reduce(operator.and_, (r.get_column("\x00blank") for r in results))
    short = [r.get_column("\x00short") for r in results if "\x00short" in r.columns]
    parts = [r.drop("\x00blank", "\x00short", strict=False) for r in results]
    joined = pl.concat(parts, how="horizontal").with_columns(blank.alias("\x00blank"))
    if short:
        joined = joined.with_columns(functools.reduce(operator.or_, short).alias("\x00short"))
    return joined


def _rule_parts(report: Report, findings: list[Finding]) -> list[_Part]:
    """Finding objects (from the business rules) as parts, one per finding's kind."""
    groups: dict[int, list[Finding]] = {}
    for f in findings:
        params = dict(f.params or {})
        if isinstance(params.get("first_row"), int):
            params.pop("first_row")
        kind = report.kind(f.code, f.severity, f.field, params, f.message, f.hint)
        groups.setdefault(kind, []).append(f)

    def ints(values: list[Any]) -> np.ndarray:
        return np.array([NULL if v is None else v for v in values], dtype=np.int64)

    return [
        _Part(
            kind,
            ints([f.row for f in group]),
            ints([f.line for f in group]),
            ints([f.column for f in group]),
            pl.Series([None if f.value is None else str(f.value) for f in group], dtype=pl.String),
            ints(
                [
                    p if isinstance(p := (f.params or {}).get("first_row"), int) else None
                    for f in group
                ]
            ),
        )
        for kind, group in groups.items()
    ]


def _blank_once_cleaned(
    frame: pl.DataFrame, rows: np.ndarray, blank: np.ndarray, marks: list
) -> np.ndarray:
    """Blank rows, and the rows holding nothing but control characters (a line of NULs):
    fix and consolidate take those for blank (:func:`text.blank_row`), so validate says
    ``blank-row`` for them too, not a control character per cell. Only rows the reader
    marked are looked at: the fast path is untouched, and a row of spaces alone stays
    data, as frictionless reads it."""
    marked = {row for kind, row, *_ in marks if kind == "control-character"}
    if not marked:
        return blank
    blank = blank.copy()
    for i in np.flatnonzero(np.isin(rows, list(marked))):
        if not blank[i] and text.blank_row(frame.row(int(i))):
            blank[i] = True
    return blank


def _mark_findings(marks: list, columns: dict[str, int]) -> list[Finding]:
    """Findings from what the reader noted about the cells' bytes (reading.marks)."""
    if not marks:
        return []
    names = {position + 1: name for name, position in columns.items()}
    return [
        Finding(
            code=kind,
            severity="warning" if kind == "replacement-character" else "error",
            row=row,
            line=line,
            field=names.get(column),
            column=column,
            value=facts.pop("value", None),
            params=facts,
        )
        for kind, row, line, column, facts in marks
    ]


def _name_other_sheets(path: Path, detected: dict[str, Any], findings: list[Finding]) -> None:
    """A workbook whose sheet read holds no column of the schema: the other sheets are
    named in the finding, so that the sender picks the one holding the table."""
    nothing = [f for f in findings if f.code == "no-matching-column"]
    others = reading.other_sheets(path, detected, or_hidden=True) if nothing else []
    if others:
        nothing[0].params = {**(nothing[0].params or {}), "sheets": others}


def _locate_header(
    path: Path, detected: dict[str, Any], schema: dict[str, Any], findings: list[Finding]
) -> None:
    """A file whose row 1 holds no column of the schema: the row further down that is its
    header (under a title, notes or blank rows) is named in the finding, so that the
    sender knows what to delete rather than reading every column missing."""
    nothing = [f for f in findings if f.code == "no-matching-column"]
    if not nothing:
        return
    rows = reading.first_rows(path, detected, HEADER_SEARCH_ROWS)
    found = header_below(rows, {str(schema.get("name") or "table"): cast(Any, schema)})
    if found is not None:
        nothing[0].params = {**(nothing[0].params or {}), "header_row": found[0]}


def _reading_findings(
    detected: dict[str, Any], header: list[str], columns: dict[str, int]
) -> list[Finding]:
    """Findings about the file's bytes: lines not in its encoding, marks of the header."""
    above = reading.separator_lines(detected)  # physical lines above the header
    line = 1 + above
    found = _mark_findings(
        [(kind, 1, line, column, facts) for kind, column, facts in reading.header_marks(header)],
        columns,
    )
    if detected.get("separator_line"):
        found.insert(
            0,
            Finding(
                code="excel-separator-line",
                severity="warning",
                params={"separator": detected["delimiter"]},
            ),
        )
    errors = detected.get("encoding_errors")
    if errors:
        found.insert(
            0,
            Finding(
                code="encoding-error",
                line=errors["lines"][0] + above if errors["lines"] else None,
                params={"lines": errors["lines"][:100], "count": errors["count"]},
            ),
        )
    return found


def _last_record(batch: reading.Batch) -> tuple[int, int, tuple] | None:
    """(record number, physical line, cells) of the batch's last record; None for a
    header of no cell, whose frame has no column (and so no row)."""
    i = int(np.argmax(batch.rows))
    if i >= batch.frame.height:
        return None
    return int(batch.rows[i]), int(batch.lines[i]), batch.frame.row(i)


def _unclosed_quote(
    path: Path, detected: dict[str, Any], header: list[str], last: tuple[int, int, tuple] | None
) -> list[Finding]:
    """An error where a CSV's last record opens a quote never closed
    (:func:`reading.batches.open_quote_at_end`): looked for only when one of its cells
    holds a line break, which the rest of the file read as its text does."""
    if detected.get("format") != "csv" or last is None:
        return []
    row, line, cells = last
    position = next((i for i, c in enumerate(cells) if c and "\n" in c), None)
    if position is None:
        return []
    swallowed = reading.open_quote_at_end(path, detected, line)
    if not swallowed:
        return []
    first = cells[position].split("\n", 1)[0]
    return [
        Finding(
            code="unclosed-quote",
            row=row,
            field=header[position] if position < len(header) else None,
            column=position + 1,
            value=first[:80],
            params={"lines": swallowed},
            line=line,
        )
    ]


def _merged_findings(path: Path, detected: dict[str, Any], spans: list) -> list[Finding]:
    """A warning for each merged range of the sheet (:func:`reading.merged_cells`; an
    ODS's or XLS's ``spans``, noted as its rows were read), at its first cell: the one
    holding the value, the others read empty (a required column then says « vide » of a
    cell where the person sees the value)."""
    from moisinno_data.reading.xlsx import column_number

    found = []
    for ref in reading.merged_cells(path, detected, spans):
        first = ref.split(":")[0]
        letters = first.rstrip("0123456789")
        found.append(
            Finding(
                code="merged-cells",
                severity="warning",
                row=int(first[len(letters) :]),
                column=column_number(letters),
                value=ref,
                params={"ref": ref},
            )
        )
    return sorted(found, key=lambda f: (f.row or 0, f.column or 0))  # calamine: last first


def _number_params(checker: FieldChecker) -> dict[str, Any]:
    """A number field's bounds and how it writes a percentage (:func:`.french.percent_scale`):
    the hint of a type error proposes only a value the field accepts (``45 %`` is 0.45
    where the maximum is 1, 45 where it is 100)."""
    if checker.type not in ("number", "integer"):
        return {}
    params: dict[str, Any] = dict(french.number_range(checker.descriptor))
    scale = french.percent_scale(checker.descriptor)
    if scale is not None:
        params["percent"] = scale
    return params


def _keys(results: dict[str, CellResult], names: list[str]) -> list[pl.Series]:
    """The typed keys of ``names`` (computed for every key field, see ``key_fields``)."""
    keys = [results[name].key for name in names]
    return [key for key in keys if key is not None]


def _bools(mask: pl.Series) -> np.ndarray:
    """A writable numpy copy of a boolean mask, null counting as false."""
    if mask.null_count():
        mask = mask.fill_null(False)
    return mask.to_numpy().astype(bool, copy=True)


def _unique_keys(
    schema: dict[str, Any], present: set[str]
) -> list[tuple[list[str], DuplicateTracker]]:
    """Each ``uniqueKeys`` combination whose columns are all in the file, with its
    tracker; a combination missing a column is not checked (the missing column is said)."""
    keys = unique_combinations(schema)
    return [(key, DuplicateTracker()) for key in keys if set(key) <= present]


def _handed_over(items, step):
    """``step(item)`` for each item, keeping no reference to the last one while the next
    is awaited (a generator expression keeps its loop variable alive while suspended:
    in a pipeline, one more batch in memory)."""
    for item in items:
        box = [step(item)]
        del item
        yield box.pop()


def _prefetch(batches, depth: int = 1):
    """Parse the next batch in a thread while this one is checked (both cores busy).

    pyarrow's parser and polars both release the GIL, so reading and checking overlap;
    ``depth`` bounds how many parsed batches wait in memory. The thread starts a batch
    only once the one before has been taken: a finished batch never waits in its hands
    as well as in the queue (one batch less in memory per stage).

    The thread always ends before this generator does (joined, no timeout): a thread
    still inside pyarrow or polars when the interpreter exits can abort the process.
    It checks ``stop`` between batches and never blocks without a timeout.
    """
    import queue
    import threading

    box: queue.Queue = queue.Queue(maxsize=depth)
    taken = threading.Semaphore(0)
    done = object()
    stop = threading.Event()

    def offer(item) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not offer(batch):
                    return
                del batch  # handed over: not kept alive while the next one is made
                while not stop.is_set() and not taken.acquire(timeout=0.1):
                    continue
                if stop.is_set():
                    return
            offer(done)
        except BaseException as exc:  # handed over to the consumer, raised there
            offer(exc)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # an upstream stage stops (and joins its thread) here, not later

    worker = threading.Thread(target=produce, name="moisinno-lecture", daemon=True)
    worker.start()
    try:
        while True:
            item = box.get()
            taken.release()
            if item is done:
                return
            if isinstance(item, BaseException):
                try:
                    raise item
                finally:
                    # The traceback holds this frame: a name here for the exception is a
                    # cycle that kept every frame of the reading (its rows, its parser)
                    # until the next full collection, 130 MB per refused upload.
                    del item
            yield item
            del item  # not kept alive while the next one is awaited
    finally:
        stop.set()
        worker.join()


def collect_keys(
    path: Path, schema: dict[str, Any], fields: list[str], detected: dict[str, Any]
) -> KeySet | None:
    """Typed keys of ``fields`` in a table (rows whose key cells are all blank skipped)."""
    all_fields = [f for f in schema.get("fields", []) if "name" in f]
    header, header_lines = reading.read_header(path, detected)
    match = resolve_header(header, all_fields)
    if not set(fields) <= set(match.columns):
        return KeySet()
    missing = schema.get("missingValues", [""])
    checkers = {f["name"]: FieldChecker(f, missing) for f in all_fields if f["name"] in fields}

    def collected(detected: dict[str, Any]) -> KeySet:
        keyset = KeySet()
        for batch in reading.iter_batches(path, detected, len(header), header_lines=header_lines):
            if batch.frame.height == 0:
                continue
            results = {
                name: checkers[name].check(
                    batch.frame.get_column(f"c{match.columns[name]}"), want_key=True
                )
                for name in fields
            }
            keys = _keys(results, fields)
            all_null = (
                pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
                .select(pl.all_horizontal(pl.all().is_null()))
                .to_series()
            )
            keyset.add(combine(keys).filter(~all_null))
        return keyset

    try:
        return collected(detected)
    except reading.UsePythonParser:  # quotes pyarrow refuses, rows mostly ragged…
        if detected.get("parser") == "python":
            raise
        return collected({**detected, "parser": "python"})


def validate_file(
    path: Path,
    schema: dict[str, Any],
    schema_meta: dict[str, Any],
    *,
    lang: str = "fr",
    limit: int | None = None,
    sheet: str | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: bool | None = None,
    detected: dict[str, Any] | None = None,
    keep_per_kind: int | None = None,
    keep_total: int | None = None,
) -> Report:
    """Validate ``path``; classify the bytes again if a late byte turns out not UTF-8."""
    detected = dict(detected or reading.detect(path, sheet, full=False))
    # The engine makes few Python objects per batch: the cyclic collector's passes,
    # triggered by the allocations of the libraries, would only cost time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        keep = (keep_per_kind, keep_total)
        return _validate_file(
            path, schema, schema_meta, lang, limit, batch_rows, progress, detected, keep
        )
    finally:
        if collecting:
            gc.enable()


def _validate_file(
    path: Path,
    schema: dict[str, Any],
    schema_meta: dict[str, Any],
    lang: str,
    limit: int | None,
    batch_rows: int,
    progress: bool | None,
    detected: dict[str, Any],
    keep: tuple[int | None, int | None],
) -> Report:
    engine: Engine | None = None
    for _attempt in range(3):
        report = Report(
            file=str(path),
            schema=schema_meta,
            detected=dict(detected),
            lang=lang,
            keep_per_kind=keep[0],
            keep_total=keep[1],
        )
        report.limit = limit
        try:
            engine = Engine(
                path,
                schema,
                report,
                dict(detected),
                limit=limit,
                batch_rows=batch_rows,
                progress=progress,
                reuse=engine,
            )
            return engine.run()
        except reading.Reencode:
            if detected["encoding"] not in ("utf-8", "utf-8-sig") or "encoding_errors" in detected:
                break
            reading.reclassify(path, detected)
        except reading.UsePythonParser:
            if detected.get("parser") == "python":
                break
            detected["parser"] = "python"
    raise InputError(
        f"{path} : fichier illisible comme CSV (encodage ou guillemets).",
        en=f"{path}: the file cannot be read as CSV (encoding or quotes).",
    )
