"""The validation report model: what every renderer (text, JSON, HTML, web page) reads.

A :class:`Finding` is one problem at one place. Its ``code`` is the frictionless error type
where one exists (``type-error``, ``constraint-error``, ``missing-cell``…) so findings can be
compared with the reference validator, and an own code for business rules
(``siret-checksum``, ``cog-mismatch``…). ``message`` and ``hint`` are already rendered in
the report's language; ``params`` keeps the raw facts (expected type, allowed values…) for
tools that want to render their own text.

The JSON form (:meth:`Report.to_dict`, streamed by :meth:`Report.write_json`) is a stable,
documented interface (``docs/rapport-json.md``): add keys, never rename or remove them.

A report of a million findings must not cost a million Python objects: findings are kept
columnar (:class:`FindingStore`: a row of integers and the cell's text per finding, the
code, field and params shared by every finding of a *kind*), and :class:`Finding` objects
are made only when someone reads them. Messages and hints are rendered when findings are
read or written, once per distinct (kind, value).
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal, overload

import numpy as np
import polars as pl

from moisinno_data.package.descriptors import FindingDict
from moisinno_data.reading.marks import cut

Severity = Literal["error", "warning"]
REPORT_FORMAT_VERSION = "1.2"

FRICTIONLESS_CODES = frozenset(
    {
        "type-error",
        "constraint-error",
        "unique-error",
        "primary-key",
        "foreign-key",
        "missing-cell",
        "extra-cell",
        "blank-row",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
        "incorrect-label",
    }
)
"""Codes that are frictionless error types: findings with these codes are the ones the
differential tests and the benchmark compare with the reference validator; every other
code is our own (business rules, header warnings)."""

POSITIONAL_FIELD = frozenset({"duplicate-label", "blank-label"})
"""Header codes whose ``field`` is frictionless's: the schema field at that *position*,
which is not what the column holds (a second « titre » in the place of ``note``)."""


def shown_field(code: str, field: str | None, params: dict[str, Any] | None) -> str | None:
    """The column name a person reads for a finding: its field, except where that field is
    only positional — there the label written in the column (none for a blank one), so a
    second « titre » is not shown as the column ``note``. The JSON keeps frictionless's."""
    if code not in POSITIONAL_FIELD:
        return field
    label = str((params or {}).get("label") or "")
    return label if label.strip() else None


@dataclass
class Finding:
    code: str
    severity: Severity = "error"
    row: int | None = None
    """Line number as a spreadsheet shows it: the header is 1, the first data row 2.
    For a CSV with quoted newlines it is the *record* number, like frictionless's rowNumber;
    ``line`` then holds the physical line where the record starts."""
    field: str | None = None
    column: int | None = None
    """1-based position of the column in the file (A = 1), None for row- or file-level findings."""
    value: str | None = None
    message: str = ""
    hint: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    line: int | None = None

    def to_dict(self) -> FindingDict:
        # Written out rather than dataclasses.asdict, which deep-copies recursively and
        # dominated the JSON report of a file with many findings. Same keys, same order.
        return {
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "field": self.field,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
            "params": shown_params(self.params),
            "line": self.line,
        }

    @property
    def key(self) -> tuple[str, int | None, str | None]:
        """(code, row, field): what the differential tests compare with frictionless."""
        return (self.code, self.row, self.field)


BLOCK_SCHEMA: dict[str, Any] = {
    "kind": pl.UInt32,
    "row": pl.Int64,
    "line": pl.Int64,
    "column": pl.Int32,
    "value": pl.String,
    "first_row": pl.Int64,
}
"""One finding per row of a block: the index of its :class:`KindRecord` in the report, where it
is, the cell's text and, for a repeated key, the row that holds its first occurrence."""

Texts = Callable[[Finding], tuple[str, str]]
Prepare = Callable[[list[Finding]], None]
"""(message, hint) of a finding, in the report's language."""

VALUE_CHARS = 1000
"""What a finding keeps of its cell: a longer cell's first 1,000 characters and "…", its
length in ``params["value_length"]`` (the file itself is never changed). Every renderer
shows no more (the page and the HTML report cut cells at 1,000 characters, messages quote
120, the text report 80), and no correction is sought for a longer value
(:data:`.hints.HINT_MAX_CHARS`): nothing is lost to the reader. Whole, 480 cells of 1 MB
made a 480 MB report (a workbook repeating one cell makes them from a few KB), and the
web page's store, which counts them, forgot every other user's report for it; kept cut,
a finding weighs at most about 4 KB (1,000 characters of UTF-8). A length constraint
above 1,000 (``maxLength``) is still checked on the whole cell, and its finding says the
cell's real length."""

_TEXT_CACHE = 100_000
"""Distinct (kind, cell) texts remembered while writing; past that the cache starts over."""


@dataclass(frozen=True)
class KindRecord:
    """What the findings of one kind share: everything but place, cell and first row."""

    code: str
    severity: Severity
    field: str | None
    params: dict[str, Any]
    message: str = ""
    hint: str = ""

    @functools.cached_property
    def params_json(self) -> str:
        shown = shown_params(self.params)
        return json.dumps(shown, ensure_ascii=False, separators=(",", ":"), default=str)


EXPECTED_SHOWN = 100
"""Allowed values a finding's ``expected`` lists, at most: a schema's ``enum`` of 100,000
values (or the 35,000 communes) was written out with every finding, 2 MB each: 1,000
wrong cells of a 50 KB file made a 2 GB report and held 12 GB of memory."""


HIDDEN_ENUM = "_enum"
"""The field's ``enum``, in a pattern error's params: what its hint must also respect
(:mod:`.hints`), never written out (35,000 communes with every finding)."""


def shown_params(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as a report writes them: a long ``expected`` list cut to its first
    :data:`EXPECTED_SHOWN` values, ``expected_count`` saying how many there are; the
    hints' own keys (:data:`HIDDEN_ENUM`) left out."""
    if HIDDEN_ENUM in params:
        params = {k: v for k, v in params.items() if k != HIDDEN_ENUM}
    expected = params.get("expected")
    if not isinstance(expected, list) or len(expected) <= EXPECTED_SHOWN:
        return dict(params)
    return {**params, "expected": expected[:EXPECTED_SHOWN], "expected_count": len(expected)}


def empty_block() -> pl.DataFrame:
    return pl.DataFrame(schema=BLOCK_SCHEMA)


class FindingStore:
    """Findings of one severity, columnar: about 50 bytes each, whatever their number.

    Single findings (:meth:`append`) wait in a small list and are turned into a block
    every few thousand; blocks from the engine (:meth:`extend`) are kept as they are.
    """

    PENDING = 4096

    def __init__(self) -> None:
        self.blocks: list[pl.DataFrame] = []
        self.pending: list[tuple[int, int | None, int | None, int | None, Any, int | None]] = []
        self.size = 0

    def append(self, item: tuple[int, int | None, int | None, int | None, Any, int | None]) -> None:
        self.pending.append(item)
        self.size += 1
        if len(self.pending) >= self.PENDING:
            self._flush()

    def extend(self, block: pl.DataFrame) -> None:
        if block.height:
            self._flush()
            self.blocks.append(block)
            self.size += block.height

    def _flush(self) -> None:
        if self.pending:
            columns = list(zip(*self.pending, strict=True))
            self.blocks.append(
                pl.DataFrame(
                    {
                        name: pl.Series(name, values, dtype=dtype)
                        for (name, dtype), values in zip(BLOCK_SCHEMA.items(), columns, strict=True)
                    }
                )
            )
            self.pending = []

    def iter_blocks(self) -> Iterator[pl.DataFrame]:
        self._flush()
        yield from self.blocks

    def value_bytes(self) -> int:
        """Bytes of the cells' texts held (UTF-8): what a finding's 50 bytes leave out
        when its cell is long (82 cells of 512,000 characters: 46 MB)."""
        return sum(
            int(b.get_column("value").str.len_bytes().sum() or 0) for b in self.iter_blocks()
        )


class FindingList(Sequence[Finding]):
    """A read-only view of a store as :class:`Finding` objects, made as they are read."""

    def __init__(self, report: Report, store: FindingStore) -> None:
        self._report = report
        self._store = store

    def __len__(self) -> int:
        return self._store.size

    def __iter__(self) -> Iterator[Finding]:
        for block in self._store.iter_blocks():
            yield from self._report._materialise(block)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("finding index out of range")
        for block in self._store.iter_blocks():
            if index < block.height:
                return self._report._materialise(block.slice(index, 1))[0]
            index -= block.height
        raise IndexError("finding index out of range")  # pragma: no cover

    def __add__(self, other: Iterable[Finding]) -> list[Finding]:
        return [*self, *other]

    def __radd__(self, other: Iterable[Finding]) -> list[Finding]:
        return [*other, *self]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingList | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FindingList({len(self)} findings)"


class Report:
    """The findings of one file, and what was detected while reading it."""

    def __init__(
        self,
        file: str,
        schema: dict[str, Any],
        detected: dict[str, Any] | None = None,
        errors: Iterable[Finding] = (),
        warnings: Iterable[Finding] = (),
        rows: int = 0,
        lang: str = "fr",
        limit: int | None = None,
        limit_reached: bool = False,
        header: list[str] | None = None,
        samples: dict[int, list[str]] | None = None,
        keep_per_kind: int | None = None,
        keep_total: int | None = None,
    ) -> None:
        self.file = file
        self.schema = schema
        """{"name", "title", "version", "path", "detected_by": "option" | "header", "table"}"""
        self.detected = detected if detected is not None else {}
        """{"format", "encoding", "delimiter", "sheet", "header_mapping": {...}}"""
        self.rows = rows
        self.lang = lang
        self.limit = limit
        self.limit_reached = limit_reached
        self.header = header
        """The file's header as written (optional): lets renderers show the offending rows."""
        self.samples: dict[int, list[str]] = samples if samples is not None else {}
        """Cells of (some of) the offending rows, by row number (optional). The HTML
        report shows them as a table with the bad cells lit."""
        self.keep_per_kind = keep_per_kind
        self.keep_total = keep_total
        """Keep at most this many findings in all; the later ones are only counted in
        :attr:`omitted` (memory: about 65 bytes a finding, whatever the file)."""
        self._kept_total = 0
        """Keep at most this many findings of each (severity, code); the others are only
        counted in :attr:`omitted` (a server that keeps many reports sets it)."""
        self.omitted: dict[tuple[str, str], int] = {}
        self.kinds: list[KindRecord] = []
        self._kind_ids: dict[tuple, int] = {}
        self._kept: dict[tuple[str, str], int] = {}
        self._stores: dict[str, FindingStore] = {"error": FindingStore(), "warning": FindingStore()}
        self._texts: Texts | None = None
        self._prepare: Prepare | None = None
        self._text_cache: dict[tuple, tuple[str, str]] = {}
        self._text_maps: list[Callable[[str], str]] = []
        for finding in [*errors, *warnings]:
            self.add(finding)

    # -- reading -------------------------------------------------------------------------

    @property
    def errors(self) -> FindingList:
        return FindingList(self, self._stores["error"])

    @errors.setter
    def errors(self, findings: Iterable[Finding]) -> None:
        self._replace("error", findings)

    @property
    def warnings(self) -> FindingList:
        return FindingList(self, self._stores["warning"])

    @warnings.setter
    def warnings(self, findings: Iterable[Finding]) -> None:
        self._replace("warning", findings)

    def _replace(self, severity: str, findings: Iterable[Finding]) -> None:
        """The findings of ``severity`` are now ``findings``: the caps count them afresh
        (those already kept were charged once; charging them again kept none of a kind
        past half its cap). What was left out before stays counted in :attr:`omitted`."""
        findings = list(findings)
        self._stores[severity] = FindingStore()
        for key in [k for k in self._kept if k[0] == severity]:
            self._kept_total -= self._kept.pop(key)
        for finding in findings:
            self.add(finding)

    @property
    def error_count(self) -> int:
        """Errors found, the ones left out by :attr:`keep_per_kind` or
        :attr:`keep_total` included."""
        return self._stores["error"].size + self._omitted("error")

    @property
    def warning_count(self) -> int:
        return self._stores["warning"].size + self._omitted("warning")

    def _omitted(self, severity: str) -> int:
        return sum(n for (s, _code), n in self.omitted.items() if s == severity)

    def value_bytes(self) -> int:
        """Bytes of the kept findings' cell texts (:meth:`FindingStore.value_bytes`)."""
        return sum(store.value_bytes() for store in self._stores.values())

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    @property
    def findings(self) -> list[Finding]:
        """Every kept finding as an object, in file order (:meth:`in_order`'s): a big
        report is better read through :meth:`in_order` and :meth:`materialise`."""
        return self.materialise(self.in_order())

    def found(self) -> pl.DataFrame:
        """Every kept finding as one frame (:data:`BLOCK_SCHEMA`, plus ``\x00severity``: 0
        for an error, 1 for a warning), errors then warnings, each as found: no copy of
        its kind's texts per finding, no sort (see :meth:`in_order`)."""
        parts = [
            block.with_columns(pl.lit(rank, pl.UInt8).alias("\x00severity"))
            for rank, severity in enumerate(("error", "warning"))
            for block in self._stores[severity].iter_blocks()
        ]
        if not parts:
            return pl.DataFrame(schema={**BLOCK_SCHEMA, "\x00severity": pl.UInt8})
        return pl.concat(parts)

    def in_order(self, where: pl.Expr | None = None) -> pl.DataFrame:
        """Every kept finding (those ``where`` holds, if given) as one frame
        (:data:`BLOCK_SCHEMA`, plus its kind's ``severity``, ``code`` and ``field``) in
        file order: by row, column, errors before warnings, code, then as found. Columns,
        not objects: 1.4 million findings (an 8 MB file where every cell is wrong) are a few
        dozen MB here, gigabytes as objects; ``where`` spares sorting those not wanted."""
        found = self.found()
        if where is not None:
            found = found.filter(where)
        if not found.height:
            return found.with_columns(
                pl.lit(None, pl.String).alias(c) for c in ("severity", "code", "field")
            )
        kinds = pl.DataFrame(
            {
                "kind": pl.Series(range(len(self.kinds)), dtype=pl.UInt32),
                "code": pl.Series([k.code for k in self.kinds], dtype=pl.String),
                "field": pl.Series([k.field for k in self.kinds], dtype=pl.String),
            }
        )
        frame = found.join(kinds, on="kind", how="left", maintain_order="left").with_columns(
            severity=pl.col("\x00severity").replace_strict([0, 1], ["error", "warning"])
        )
        return frame.sort(
            pl.col("row").fill_null(0),
            pl.col("column").fill_null(0),
            "\x00severity",
            "code",
            maintain_order=True,
        )

    def materialise(self, frame: pl.DataFrame) -> list[Finding]:
        """The findings of ``frame`` (rows of :meth:`in_order`) as objects, their texts in
        the report's language."""
        return self._materialise(frame.select(list(BLOCK_SCHEMA)))

    @property
    def nbytes(self) -> int:
        """About the memory the findings hold (blocks, pending ones, kinds): what a server
        that keeps reports counts against its budget."""
        total = 0
        for store in self._stores.values():
            total += sum(int(block.estimated_size()) for block in store.blocks)
            total += 200 * len(store.pending)
        return total + sum(300 + len(k.params_json) for k in self.kinds)

    @property
    def stats(self) -> dict[str, int]:
        return {"rows": self.rows, "errors": self.error_count, "warnings": self.warning_count}

    # -- adding --------------------------------------------------------------------------

    def kind(
        self,
        code: str,
        severity: Severity = "error",
        field: str | None = None,
        params: dict[str, Any] | None = None,
        message: str = "",
        hint: str = "",
    ) -> int:
        """The index of a kind of finding in this report (made on first use)."""
        params = params or {}
        key = (code, severity, field, repr(params), message, hint)
        found = self._kind_ids.get(key)
        if found is None:
            found = self._kind_ids[key] = len(self.kinds)
            self.kinds.append(KindRecord(code, severity, field, dict(params), message, hint))
        return found

    def add(self, finding: Finding) -> None:
        params = dict(finding.params or {})
        first = params.pop("first_row", None) if "first_row" in params else None
        if first is not None and not isinstance(first, int):
            params["first_row"], first = first, None  # not ours: kept as it was
        value = finding.value if finding.value is None else str(finding.value)
        if value is not None and len(value) > VALUE_CHARS and "value_length" not in params:
            params["value_length"] = len(value)  # (a finding read back is already cut)
            value = cut(value, VALUE_CHARS)
        kind = self.kind(
            finding.code, finding.severity, finding.field, params, finding.message, finding.hint
        )
        if not self._admit(finding.severity, finding.code, 1):
            return
        item = (kind, finding.row, finding.line, finding.column, value, first)
        self._stores[finding.severity].append(item)

    def extend(self, block: pl.DataFrame) -> None:
        """Add a block of findings (:data:`BLOCK_SCHEMA`), kept in the order given."""
        if not block.height:
            return
        errors = np.array([k.severity == "error" for k in self.kinds])
        is_error = errors[block.get_column("kind").to_numpy()]
        if is_error.all():
            parts = [("error", block)]
        elif not is_error.any():
            parts = [("warning", block)]
        else:
            mask = pl.Series(is_error)
            parts = [("error", block.filter(mask)), ("warning", block.filter(~mask))]
        for severity, part in parts:
            if part.height and (self.keep_per_kind is not None or self.keep_total is not None):
                part = self._capped(severity, part)
            self._stores[severity].extend(self._bounded(part))

    def _bounded(self, part: pl.DataFrame) -> pl.DataFrame:
        """``part`` with each value longer than :data:`VALUE_CHARS` cut, as :meth:`add`
        cuts it: the finding moves to a kind whose params add ``value_length``."""
        values = part.get_column("value")
        long = (values.str.len_bytes() > VALUE_CHARS).fill_null(False)  # chars ≤ bytes
        if not long.any():
            return part
        at = long.arg_true()
        lengths = values.gather(at).str.len_chars()
        at, lengths = at.filter(lengths > VALUE_CHARS), lengths.filter(lengths > VALUE_CHARS)
        if not at.len():
            return part
        kinds = part.get_column("kind").clone()
        moved = [
            self._cut_kind(kind_id, length)
            for kind_id, length in zip(kinds.gather(at).to_list(), lengths.to_list(), strict=True)
        ]
        kinds.scatter(at, pl.Series(moved, dtype=pl.UInt32))
        cuts = values.gather(at).str.slice(0, VALUE_CHARS) + "…"
        return part.with_columns(kinds, _compact(values.clone().scatter(at, cuts)))

    def _cut_kind(self, kind_id: int, length: int) -> int:
        """The kind of a finding of ``kind_id`` whose value, ``length`` characters, is cut."""
        k = self.kinds[kind_id]
        params = {**k.params, "value_length": length}
        return self.kind(k.code, k.severity, k.field, params, k.message, k.hint)

    def _admit(self, severity: str, code: str, n: int) -> int:
        """How many of ``n`` new findings of a kind are kept (the rest are counted)."""
        if self.keep_per_kind is None and self.keep_total is None:
            return n
        key = (severity, code)
        kept = self._kept.get(key, 0)
        take = n if self.keep_per_kind is None else max(0, min(n, self.keep_per_kind - kept))
        if self.keep_total is not None:
            take = max(0, min(take, self.keep_total - self._kept_total))
        self._kept[key] = kept + take
        self._kept_total += take
        if take < n:
            self.omitted[key] = self.omitted.get(key, 0) + n - take
        return take

    def _capped(self, severity: str, part: pl.DataFrame) -> pl.DataFrame:
        """The findings of ``part`` still within the cap of their kind, order kept."""
        codes = np.array([k.code for k in self.kinds], dtype=object)
        of_row = codes[part.get_column("kind").to_numpy()]
        keep = np.zeros(part.height, dtype=bool)
        for code in dict.fromkeys(of_row.tolist()):
            at = np.flatnonzero(of_row == code)
            keep[at[: self._admit(severity, code, at.size)]] = True
        return part if keep.all() else part.filter(pl.Series(keep))

    # -- texts ---------------------------------------------------------------------------

    def set_texts(self, lang: str, texts: Texts | None, prepare: Prepare | None = None) -> None:
        """Render messages and hints with ``texts`` (in ``lang``) as findings are read.

        ``prepare``, if given, first sees each block of findings about to be rendered: the
        renderer can do there in one go what it would otherwise do once per finding (hints
        check their candidate corrections against a pattern with one polars call per
        pattern, not one per candidate)."""
        self.lang = lang
        self._texts = texts
        self._prepare = prepare
        self._text_cache = {}

    def map_texts(self, change: Callable[[str], str]) -> None:
        """Apply ``change`` to every message and hint as findings are read (to hide a
        temporary path, say): findings are made when read, so changing one is lost."""
        self._text_maps.append(change)
        self._text_cache = {}

    def replace(self, **changes: Any) -> Report:
        """A shallow copy with some attributes changed; the findings are shared."""
        copy = object.__new__(Report)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy

    @property
    def texts_lang(self) -> str | None:
        """The language messages and hints are rendered in, None if they are not."""
        return self.lang if self._texts is not None else None

    def _text(self, kind_id: int, finding: Finding) -> tuple[str, str]:
        kind = self.kinds[kind_id]
        if self._texts is None and not self._text_maps:
            return kind.message, kind.hint
        key = (kind_id, finding.value, finding.column, finding.params.get("first_row"))
        found = self._text_cache.get(key)
        if found is None:
            if len(self._text_cache) > _TEXT_CACHE:
                self._text_cache.clear()
            message, hint = (
                (kind.message, kind.hint) if self._texts is None else self._texts(finding)
            )
            for change in self._text_maps:
                message, hint = change(message), change(hint)
            found = self._text_cache[key] = (message, hint)
        return found

    def _finding(
        self, kind_id: int, row: int | None, line: int | None, column, value, first
    ) -> Finding:
        """One stored finding as an object, its texts still the kind's."""
        kind = self.kinds[kind_id]
        params = dict(kind.params)
        if first is not None:
            params["first_row"] = first
        return Finding(
            kind.code,
            kind.severity,
            row,
            kind.field,
            column,
            value,
            kind.message,
            kind.hint,
            params,
            line,
        )

    def _prepared(self, findings: list[Finding]) -> list[Finding]:
        """``findings``, once the renderer has seen them all (see :meth:`set_texts`)."""
        if self._prepare is not None and findings:
            self._prepare(findings)
        return findings

    def _materialise(self, block: pl.DataFrame) -> list[Finding]:
        rows = block.iter_rows()
        ids_and_findings = [
            (kind_id, self._finding(kind_id, row, line, column, value, first))
            for kind_id, row, line, column, value, first in rows
        ]
        self._prepared([f for _k, f in ids_and_findings])
        for kind_id, finding in ids_and_findings:
            finding.message, finding.hint = self._text(kind_id, finding)
        return [f for _k, f in ids_and_findings]

    # -- JSON ----------------------------------------------------------------------------

    def _head(self) -> dict[str, Any]:
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "valid": self.valid,
            "file": self.file,
            "schema": self.schema,
            "detected": self.detected,
            "stats": self.stats,
            "lang": self.lang,
            "limit": self.limit,
            "limit_reached": self.limit_reached,
        }

    def _tail(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "samples": {str(row): cells for row, cells in sorted(self.samples.items())},
            "omitted": [
                {"severity": s, "code": c, "count": n} for (s, c), n in self.omitted.items()
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self._head(),
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
            **self._tail(),
        }

    def write_json(self, out: IO[str]) -> None:
        """The JSON form of :meth:`to_dict`, one finding a line, written a block at a time:
        memory stays that of one block of findings, however many there are."""
        out.write("{")
        for key, value in self._head().items():
            out.write(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}, ")
        for severity in ("error", "warning"):
            out.write(f'"{severity}s": [')
            self._write_findings(out, severity)
            out.write("], ")
        tail = json.dumps(self._tail(), ensure_ascii=False)
        out.write(tail[1:])

    def _write_findings(self, out: IO[str], severity: str) -> None:
        """The findings of one severity, one a line, ``,`` after each but the last.

        polars writes the lines itself (as CSV without quoting, a space between columns:
        whitespace between JSON tokens), from columns that hold no text per finding: the
        kind's head and each distinct (kind, cell)'s fragment are shared, only the row
        and line numbers are the finding's own."""
        blocks = list(self._stores[severity].iter_blocks())
        left = sum(block.height for block in blocks)
        if not left:
            return
        out.write("\n")
        heads = pl.Series(
            [
                f'{{"code":{_dumps(k.code)},"severity":{_dumps(k.severity)},"row":'
                for k in self.kinds
            ],
            dtype=pl.String,
        )
        sink = _binary_sink(out)
        for part, groups in _parts(blocks):
            lines = pl.DataFrame(
                [
                    heads.gather(part.get_column("kind")),
                    part.get_column("row"),
                    self._fragments(groups).gather(_members(groups, part.height)),
                    part.get_column("line"),
                ]
            )
            left -= lines.height
            if left:
                _write_lines(out, sink, lines, "},\n")
            else:
                _write_lines(out, sink, lines.head(-1), "},\n")
                _write_lines(out, sink, lines.tail(1), "}\n")

    def _fragments(self, groups: pl.DataFrame) -> pl.Series:
        """The fragment of each distinct (kind, cell, column, first row), encoded once."""
        distinct = [
            (kind_id, self._finding(kind_id, None, None, column, value, first))
            for kind_id, value, column, first in groups.select(_DISTINCT).iter_rows()
        ]
        self._prepared([f for _k, f in distinct])
        return pl.Series([self._fragment(k, f) for k, f in distinct], dtype=pl.String)

    def _fragment(self, kind_id: int, finding: Finding) -> str:
        """``,"field":…,"column":…,"value":…,"message":…,"hint":…,"params":…,"line":`` of a
        finding: what lies between its row and line numbers."""
        kind = self.kinds[kind_id]
        column, value, first = finding.column, finding.value, finding.params.get("first_row")
        params_json = kind.params_json
        if first is not None:
            params_json = params_json[:-1] + ("," if kind.params else "") + f'"first_row":{first}}}'
        message, hint = self._text(kind_id, finding)
        return (
            f',"field":{_dumps(kind.field)},"column":{"null" if column is None else column},'
            f'"value":{_dumps(value)},"message":{_dumps(message)},"hint":{_dumps(hint)},'
            f'"params":{params_json},"line":'
        )


_WRITE_ROWS = 100_000
"""Findings written at a time: polars needs about 50 bytes each, their texts aside."""

_DISTINCT_ROWS = 20_000
"""Findings written at a time when they have many distinct texts (a file where each cell
is wrong in its own way): the texts of that many findings at most are held at once."""

_DISTINCT = ["kind", "value", "column", "first_row"]
"""What a finding's fragment (:meth:`Report._fragment`) depends on."""


def _compact(values: pl.Series) -> pl.Series:
    """``values`` in buffers of their own: polars's strings are views into the buffers they
    were cut or gathered from, and a cut value kept the whole 1 MB cell alive (a report of
    450 such findings counted 3 MB and held 500). Through Arrow, the texts are copied."""
    return pl.Series(values.name, values.to_arrow(), dtype=pl.String)


def _parts(blocks: Iterable[pl.DataFrame]) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Slices of ``blocks`` to write at a time, each with its :func:`_groups`."""
    for block in _gathered(blocks, _WRITE_ROWS):
        for start in range(0, block.height, _WRITE_ROWS):
            part = block.slice(start, _WRITE_ROWS)
            groups = _groups(part)
            if groups.height <= _DISTINCT_ROWS:
                yield part, groups
                continue
            for begin in range(0, part.height, _DISTINCT_ROWS):
                smaller = part.slice(begin, _DISTINCT_ROWS)
                yield smaller, _groups(smaller)


def _gathered(blocks: Iterable[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """Consecutive blocks as one, up to ``rows`` findings (a bigger block stays alone):
    the engine adds a block per batch, often of a few hundred findings, and each step of
    the writing costs polars a fixed half-millisecond or so, whatever its size."""
    group: list[pl.DataFrame] = []
    size = 0
    for block in blocks:
        if group and size + block.height > rows:
            yield pl.concat(group)
            group, size = [], 0
        group.append(block)
        size += block.height
    if group:
        yield pl.concat(group)


def _groups(part: pl.DataFrame) -> pl.DataFrame:
    """The distinct :data:`_DISTINCT` of ``part``, in order, with the findings (``at``) of each."""
    return (
        part.select(_DISTINCT)
        .with_row_index("at")
        .group_by(_DISTINCT, maintain_order=True)
        .agg("at")
    )


def _members(groups: pl.DataFrame, height: int) -> np.ndarray:
    """For each finding of the part ``groups`` was made from, the index of its group."""
    members = groups.select("at", group=pl.int_range(pl.len(), dtype=pl.UInt32)).explode("at")
    at = np.empty(height, dtype=np.uint32)
    at[members.get_column("at").to_numpy()] = members.get_column("group").to_numpy()
    return at


def _dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``; a text (every finding has several) goes
    straight to the encoder's C function, which that call ends in after building a new
    encoder each time (a tenth of the cost)."""
    if isinstance(value, str):
        return _encode_text(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False)


_encode_text = json.encoder.encode_basestring


def _binary_sink(out: IO[str]) -> IO[bytes] | None:
    """The bytes under ``out`` when polars may write UTF-8 there itself, else None."""
    buffer = getattr(out, "buffer", None)
    try:
        utf8 = codecs.lookup(getattr(out, "encoding", None) or "").name == "utf-8"
    except LookupError:
        utf8 = False
    return buffer if utf8 else None


def _write_lines(
    out: IO[str], sink: IO[bytes] | None, lines: pl.DataFrame, terminator: str
) -> None:
    """Write ``lines``: the columns of each end to end with a space between them."""
    options: dict[str, Any] = {
        "include_header": False,
        "separator": " ",
        "quote_style": "never",
        "null_value": "null",
        "line_terminator": terminator,
    }
    if not lines.height:
        return
    if sink is None:
        out.write(lines.write_csv(None, **options))
        return
    out.flush()
    try:
        lines.write_csv(sink, **options)
    except OSError as exc:
        raise _with_errno(exc) from None
    sink.flush()


def _with_errno(exc: OSError) -> OSError:
    """polars's OSError says ``(os error 28)`` but has no errno: give it one, so that a
    full disk is told as such (:data:`moisinno_data.fsutil.DISK_FULL`)."""
    found = re.search(r"\(os error (\d+)\)", str(exc))
    if exc.errno is not None or found is None:
        return exc
    number = int(found.group(1))
    return OSError(number, os.strerror(number))
