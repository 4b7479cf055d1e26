"""The columnar, batched validation engine.

Data flows one way: :mod:`reading` hands over batches of string cells (with exact record
numbers), :mod:`resolution` has matched the header to the fields once, :mod:`cells` checks
each column of the batch, :mod:`keys` carries uniqueness and keys from batch to batch,
business rules (``custom_checks``) see the same batch, and findings land in a
:class:`~.report.Report`. Peak memory depends on the batch size, not on the file.

The standard findings are frictionless's (code, row, field), with its error limit lifted;
the differential tests hold us to it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from moisinno_data import reading
from moisinno_data.errors import InputError
from moisinno_data.validation.cells import FieldChecker
from moisinno_data.validation.keys import DuplicateTracker, KeySet, combine
from moisinno_data.validation.report import Finding, Report
from moisinno_data.validation.resolution import resolve_header

BATCH_ROWS = 40_960
PROGRESS_BYTES = 4 << 20


def _vocabulary(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """A boolean field's own true/false words, for messages that name them."""
    spec = next((f for f in fields if f["name"] == name), {})
    return {k: spec[k] for k in ("trueValues", "falseValues") if k in spec}


class _LimitReached(Exception):
    pass


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _foreign_keys(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's own foreign keys, plus those the data package declares for its table
    (tables' schemas are standalone: keys between tables live in ``datapackage.json``)."""
    from moisinno_data.package.datapackage import foreign_keys

    own = list(schema.get("foreignKeys") or [])
    return own + [fk for fk in foreign_keys(schema.get("name")) if fk not in own]


class Engine:
    """Validates one file against one schema (a dict); create one per file."""

    def __init__(
        self,
        path: Path,
        schema: dict[str, Any],
        *,
        limit: int | None = None,
        batch_rows: int = BATCH_ROWS,
        progress: bool | None = None,
    ) -> None:
        self.path = path
        self.schema = schema
        self.fields: list[dict[str, Any]] = [f for f in schema.get("fields", []) if "name" in f]
        self.limit = limit
        self.batch_rows = batch_rows
        self.progress = progress
        missing = schema.get("missingValues", [""])
        self.checkers = {f["name"]: FieldChecker(f, missing) for f in self.fields}
        self.report: Report | None = None

    # -- findings ------------------------------------------------------------------------

    def _add(self, finding: Finding) -> None:
        report = self.report
        assert report is not None
        limited = finding.severity == "error" and self.limit is not None
        if limited and len(report.errors) >= self.limit:
            report.limit_reached = True
            raise _LimitReached
        report.add(finding)

    # -- main ------------------------------------------------------------------------------

    def run(self, report: Report, detected: dict[str, Any]) -> Report:
        self.report = report
        header, header_lines = reading.read_header(self.path, detected)
        match = resolve_header(header, self.fields)
        self.columns = match.columns
        self.header = header
        report.detected["header_mapping"] = match.mapping
        report.detected["unchecked_columns"] = {header[i]: c for i, c in match.unknown.items()}
        report.detected["columns"] = len(header)
        try:
            for finding in match.findings:
                self._add(finding)
            for finding in _reading_findings(detected, header, self.columns):
                self._add(finding)
            self._prepare_keys(detected)
            self._rules_setup()
            self._plan()
            last_row = 1
            for batch in self._batches(detected, len(header), header_lines):
                self._check_batch(batch)
                if len(batch.rows):
                    last_row = max(last_row, int(batch.rows.max()))
                del batch  # not kept alive while the next one is awaited (memory)
            report.rows = last_row - 1
        except _LimitReached:
            report.rows = getattr(self, "_rows_seen", 0)
        return report

    def _batches(self, detected: dict[str, Any], ncols: int, header_lines: int):
        total = self.path.stat().st_size
        show = self.progress
        if show is None:
            show = total > PROGRESS_BYTES and sys.stderr.isatty()
        # Three stages on two cores: parse (pyarrow), query (polars), findings (here).
        parsed = _prefetch(
            reading.iter_batches(
                self.path, detected, ncols, batch_rows=self.batch_rows, header_lines=header_lines
            )
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

    def _prepare_keys(self, detected: dict[str, Any]) -> None:
        present = set(self.columns)
        self.unique = {
            name: DuplicateTracker()
            for name, checker in self.checkers.items()
            if checker.unique and name in present
        }
        pk = _as_list(self.schema.get("primaryKey"))
        self.pk = pk if pk and set(pk) <= present else []
        self.pk_tracker = DuplicateTracker() if self.pk else None
        self.fks: list[tuple[list[str], dict[str, Any], KeySet]] = []
        for fk in _foreign_keys(self.schema):
            fields = _as_list(fk.get("fields"))
            if not fields or not set(fields) <= present:
                continue
            keyset = self._referenced_keys(fk, detected)
            if keyset is not None:
                self.fks.append((fields, fk.get("reference") or {}, keyset))
        self.key_fields = set(self.unique) | set(self.pk)
        for fields, _ref, _ks in self.fks:
            self.key_fields |= set(fields)

    def _referenced_keys(self, fk: dict[str, Any], detected: dict[str, Any]) -> KeySet | None:
        """Keys of the referenced table: a published dataset, or this file itself."""
        reference = fk.get("reference") or {}
        resource = reference.get("resource", "")
        ref_fields = _as_list(reference.get("fields"))
        own_name = self.schema.get("name")
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
                self._add(
                    Finding(
                        code="foreign-key-unavailable",
                        severity="warning",
                        field=", ".join(_as_list(fk.get("fields"))),
                        params={"resource": resource, "reference": ref_fields},
                    )
                )
                return None
            ref_detected = reading.detect(path)
        return collect_keys(path, schema, ref_fields, ref_detected)

    # -- business rules ---------------------------------------------------------------

    def _rules_setup(self) -> None:
        self.rules = None
        if not self.schema.get("custom_checks"):
            return
        try:
            from moisinno_data.validation import rules
        except ImportError:  # the business rules are optional for the engine
            return
        self.rules = rules
        self.rule_context = rules.RuleContext(schema=self.schema, file=self.path)

    # -- one batch -------------------------------------------------------------------

    def _plan(self) -> None:
        """The batch query, built once: every field's vectorised checks in one select,
        which polars spreads over the cores."""
        stage: dict[str, pl.Expr] = {}
        masks: dict[str, pl.Expr] = {}
        exprs = []
        wanted: dict[str, list[str]] = {}
        blanks = []
        for name, position in self.columns.items():
            checker = self.checkers[name]
            tag = f"{name}\x01"
            stage.update(checker.stage(f"c{position}", tag))
            parts = checker.expressions(f"c{position}", tag, want_key=name in self.key_fields)
            wanted[name] = list(parts)
            blanks.append(parts["blank"])
            for k, e in parts.items():
                out = f"{name}\x00{k}"
                if k.startswith("any:"):
                    # Read from the mask computed in the step before: an ``any()`` over
                    # the mask's expression would evaluate it (regexes…) a second time.
                    exprs.append(pl.col(f"{name}\x00{k[4:]}").any().alias(out))
                else:
                    masks[out] = e
                    exprs.append(pl.col(out))
            exprs.append(pl.col(f"c{position}").is_null().any().alias(f"{name}\x00short"))
        # A row is blank only if the columns the schema does not know are blank too: a
        # value in an unknown column is not an empty row.
        mapped = set(self.columns.values())
        for position in range(len(self.header)):
            if position not in mapped:
                unknown = pl.col(f"c{position}")
                blanks.append(unknown.is_null() | (unknown == ""))
        if not blanks:
            blanks = [pl.all().is_null() | (pl.all() == "")]
        exprs.append(pl.all_horizontal(blanks).alias("\x00blank"))
        self._stage, self._masks, self._exprs, self._wanted = stage, masks, exprs, wanted

    def _query(self, batch: reading.Batch) -> reading.Batch:
        """Run the batch query (in the pipeline's middle thread; see :func:`_prefetch`)."""
        if batch.frame.height:
            batch.pre = (
                batch.frame.lazy()
                .with_columns(**self._stage)
                .with_columns(**self._masks)
                .select(self._exprs)
                .collect()
            )
        return batch

    def _check_batch(self, batch: reading.Batch) -> None:
        frame = batch.frame
        rows = batch.rows
        lines = batch.lines
        n = frame.height
        self._rows_seen = int(rows.max()) - 1 if n else getattr(self, "_rows_seen", 0)
        if n == 0:
            return
        wanted = self._wanted
        pre = batch.pre if batch.pre is not None else self._query(batch).pre
        results = {}
        for name, position in self.columns.items():
            col = frame.get_column(f"c{position}")
            results[name] = self.checkers[name].finish(
                col,
                {k: pre.get_column(f"{name}\x00{k}") for k in wanted[name]},
                want_key=name in self.key_fields,
            )

        # Blank rows: every mapped cell blank (missing values or absent cells).
        blank_all = pre.get_column("\x00blank")
        blank_idx = blank_all.arg_true().to_numpy()
        blank_rows = set(rows[blank_idx].tolist())
        findings: list[Finding] = []
        for i in blank_idx.tolist():
            findings.append(Finding(code="blank-row", row=int(rows[i]), line=int(lines[i])))
        not_blank = ~blank_all if blank_rows else None
        not_blank_np = _bools(not_blank) if not_blank is not None else None

        def cleaned(mask: pl.Series) -> list[int]:
            """Row indexes where ``mask`` holds, blank rows excluded (they have one finding)."""
            hits = _bools(mask)  # numpy: an eager polars call per mask costs more
            if not_blank_np is not None:
                hits &= not_blank_np
            return np.flatnonzero(hits).tolist()

        # Extra cells (rows longer than the header), unless the row is blank.
        for row, line, cells in batch.extra:
            if row in blank_rows:
                continue
            for column, value in cells:
                findings.append(
                    Finding(
                        code="extra-cell",
                        row=row,
                        line=line,
                        column=column,
                        value=value,
                        params={"columns": len(self.header)},
                    )
                )

        # Cells.
        for name, result in results.items():
            position = self.columns[name]
            checker = self.checkers[name]
            if not (
                pre.get_column(f"{name}\x00short")[0]
                or result.type_error is not None
                or result.constraints
            ):
                continue
            col = frame.get_column(f"c{position}")
            if pre.get_column(f"{name}\x00short")[0]:
                for i in cleaned(col.is_null()):
                    findings.append(
                        Finding(
                            code="missing-cell",
                            row=int(rows[i]),
                            line=int(lines[i]),
                            field=name,
                            column=position + 1,
                            value="",
                            params={"columns": len(self.header)},
                        )
                    )
            if result.type_error is not None:
                idx = cleaned(result.type_error)
                values = col.gather(idx).to_list()
                vocab = _vocabulary(self.fields, name) if checker.type == "boolean" else {}
                for i, value in zip(idx, values, strict=True):
                    findings.append(
                        Finding(
                            code="type-error",
                            row=int(rows[i]),
                            line=int(lines[i]),
                            field=name,
                            column=position + 1,
                            value=value,
                            params={
                                "type": checker.type,
                                "format": checker.format,
                                **vocab,
                            },
                        )
                    )
            for constraint, mask in result.constraints:
                idx = cleaned(mask)
                if not idx:
                    continue
                values = col.gather(idx).to_list()
                expected = checker.constraints.get(constraint)
                for i, value in zip(idx, values, strict=True):
                    findings.append(
                        Finding(
                            code="constraint-error",
                            row=int(rows[i]),
                            line=int(lines[i]),
                            field=name,
                            column=position + 1,
                            value="" if value is None else value,
                            params={
                                "constraint": constraint,
                                "expected": expected,
                                "type": checker.type,
                            },
                        )
                    )

        # Unique fields (null keys — blank or wrongly typed cells — are skipped).
        sorter = np.argsort(rows, kind="stable")  # rows of a batch are not all in order

        def index_of(row: int) -> int:
            return int(sorter[np.searchsorted(rows, row, sorter=sorter)])

        repeats: dict[str, list[tuple[int, int]]] = {}
        for name, tracker in self.unique.items():
            key = results[name].key
            assert key is not None
            position = self.columns[name]
            col = frame.get_column(f"c{position}")
            repeats[name] = tracker.check(key, rows)
            for row, first in repeats[name]:
                i = index_of(row)
                findings.append(
                    Finding(
                        code="unique-error",
                        row=row,
                        line=int(lines[i]),
                        field=name,
                        column=position + 1,
                        value=col[i],
                        params={"first_row": first},
                    )
                )

        # Primary key: every row, blank ones included, as frictionless does.
        if self.pk_tracker is not None:
            keys = [results[name].key for name in self.pk]
            all_null = _all_null(keys)
            pk_field = ", ".join(self.pk)
            pk_column = self.columns[self.pk[0]] + 1 if len(self.pk) == 1 else None
            for i in np.flatnonzero(_bools(all_null)).tolist() if all_null.any() else []:
                findings.append(
                    Finding(
                        code="primary-key",
                        row=int(rows[i]),
                        line=int(lines[i]),
                        field=pk_field,
                        column=pk_column,
                        value="",
                        params={"fields": self.pk, "blank": True},
                    )
                )
            if len(self.pk) == 1 and self.pk[0] in repeats:
                pk_repeats = repeats[self.pk[0]]  # same keys: the unique check found them
            else:
                pk_repeats = self.pk_tracker.check(_combined(keys, all_null), rows)
            for row, first in pk_repeats:
                i = index_of(row)
                findings.append(
                    Finding(
                        code="primary-key",
                        row=row,
                        line=int(lines[i]),
                        field=pk_field,
                        column=pk_column,
                        value=self._values_at(frame, self.pk, i),
                        params={"fields": self.pk, "first_row": first},
                    )
                )

        # Foreign keys: a row whose key cells are all blank is not checked.
        for fields, reference, keyset in self.fks:
            keys = [results[name].key for name in fields]
            bad = keyset.missing(_combined(keys, _all_null(keys)))
            for i in np.flatnonzero(_bools(bad)).tolist():
                row = int(rows[i])
                findings.append(
                    Finding(
                        code="foreign-key",
                        row=row,
                        line=int(lines[i]),
                        field=", ".join(fields),
                        column=self.columns[fields[0]] + 1,
                        value=self._values_at(frame, fields, i),
                        params={
                            "resource": reference.get("resource", ""),
                            "reference": _as_list(reference.get("fields")),
                            "fields": fields,
                        },
                    )
                )

        # Business rules, on the rows that are not blank.
        if self.rules is not None and self.columns:
            rule_frame = pl.DataFrame(
                {
                    name: frame.get_column(f"c{self.columns[name]}").zip_with(
                        ~results[name].blank, _nulls(n)
                    )
                    for name in self.columns
                }
            ).with_columns(pl.Series("__row__", rows, dtype=pl.Int64))
            if not_blank is not None:
                rule_frame = rule_frame.filter(not_blank)
            for finding in self.rules.run(self.schema, rule_frame, self.rule_context):
                if finding.row is not None and finding.line is None:
                    k = int(np.searchsorted(rows, finding.row, sorter=sorter))
                    if k < len(rows) and rows[sorter[k]] == finding.row:
                        finding.line = int(lines[sorter[k]])
                if finding.field and finding.column is None and finding.field in self.columns:
                    finding.column = self.columns[finding.field] + 1
                findings.append(finding)

        findings.extend(_mark_findings(batch.marks, self.columns))
        findings.sort(key=lambda f: (f.row or 0, f.column or 0))
        for finding in findings:
            self._add(finding)

    def _values_at(self, frame: pl.DataFrame, names: list[str], i: int) -> str:
        cells = [frame.get_column(f"c{self.columns[n]}")[i] for n in names]
        return ", ".join("" if c is None else str(c) for c in cells)


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


def _reading_findings(
    detected: dict[str, Any], header: list[str], columns: dict[str, int]
) -> list[Finding]:
    """Findings about the file's bytes: lines not in its encoding, marks of the header."""
    found = _mark_findings(
        [(kind, 1, 1, column, facts) for kind, column, facts in reading.header_marks(header)],
        columns,
    )
    errors = detected.get("encoding_errors")
    if errors:
        found.insert(
            0,
            Finding(
                code="encoding-error",
                line=errors["lines"][0] if errors["lines"] else None,
                params={"lines": errors["lines"][:100], "count": errors["count"]},
            ),
        )
    return found


def _nulls(n: int) -> pl.Series:
    return pl.repeat(None, n, dtype=pl.String, eager=True)


def _bools(mask: pl.Series) -> np.ndarray:
    """A writable numpy copy of a boolean mask, null counting as false."""
    if mask.null_count():
        mask = mask.fill_null(False)
    return mask.to_numpy().astype(bool, copy=True)


def _all_null(keys: list[pl.Series]) -> pl.Series:
    """True where every component of a (composite) key is null."""
    if len(keys) == 1:
        return keys[0].is_null()
    return (
        pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
        .select(pl.all_horizontal(pl.all().is_null()))
        .to_series()
    )


def _combined(keys: list[pl.Series], all_null: pl.Series) -> pl.Series:
    """One key per row, null where all its components are null."""
    if len(keys) == 1:
        return keys[0]  # already null exactly where its only component is
    return combine(keys).zip_with(~all_null, _nulls(all_null.len()))


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
    """
    import queue
    import threading

    box: queue.Queue = queue.Queue(maxsize=depth)
    taken = threading.Semaphore(0)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        box.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                del batch  # handed over: not kept alive while the next one is made
                while not stop.is_set() and not taken.acquire(timeout=0.1):
                    continue
                if stop.is_set():
                    return
            box.put(done)
        except BaseException as exc:  # handed over to the consumer, raised there
            box.put(exc)

    worker = threading.Thread(target=produce, name="moisinno-lecture", daemon=True)
    worker.start()
    try:
        while True:
            item = box.get()
            taken.release()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
            del item  # not kept alive while the next one is awaited
    finally:
        stop.set()
        worker.join(timeout=5)


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
    keyset = KeySet()
    for batch in reading.iter_batches(path, detected, len(header), header_lines=header_lines):
        if batch.frame.height == 0:
            continue
        keys = [
            checkers[name]
            .check(batch.frame.get_column(f"c{match.columns[name]}"), want_key=True)
            .key
            for name in fields
        ]
        all_null = (
            pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
            .select(pl.all_horizontal(pl.all().is_null()))
            .to_series()
        )
        combined = combine(keys).filter(~all_null)
        keyset.add(combined)
    return keyset


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
) -> Report:
    """Validate ``path``; classify the bytes again if a late byte turns out not UTF-8."""
    detected = dict(detected or reading.detect(path, sheet, full=False))
    for _attempt in range(3):
        report = Report(file=str(path), schema=schema_meta, detected=dict(detected), lang=lang)
        report.limit = limit
        engine = Engine(path, schema, limit=limit, batch_rows=batch_rows, progress=progress)
        try:
            return engine.run(report, dict(detected))
        except reading.Reencode:
            if detected["encoding"] not in ("utf-8", "utf-8-sig") or "encoding_errors" in detected:
                break
            encoding, errors = reading.classify(path, b"")
            detected["encoding"] = encoding
            if errors:
                detected["encoding_errors"] = errors
        except reading.UsePythonParser:
            if detected.get("parser") == "python":
                break
            detected["parser"] = "python"
    raise InputError(f"{path} : fichier illisible comme CSV (encodage ou guillemets).")
