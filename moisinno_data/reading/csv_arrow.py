"""The fast CSV path: pyarrow's streaming reader, record numbers kept exact.

pyarrow hands over well-formed rows as columns and calls a handler for every ragged row
(other cell count, blank line) with its text; :class:`_ArrowCsv` puts those back at their
record numbers, counts the physical lines (quoted newlines), and notes the cells' marks.

pyarrow's own multithreaded mode cannot tell where a ragged row was, so a big file is
cut into *pieces* instead, each parsed by its own single-threaded reader on its own core
(:func:`_pieces`), numbered as if it began the file, then renumbered in order from the
records and quoted lines of the pieces before it. A piece must start where a record starts:
it is cut after a line end with an even number of quotes before it, and its parse checks
that it ended outside quotes (a stray quote in an unquoted cell throws the count off); if it
did not, one reader reads the file from that piece on, as it always did.
"""

from __future__ import annotations

import csv
import functools
import os
import sys
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moisinno_data.reading import batches as _batches
from moisinno_data.reading import marks as _marks
from moisinno_data.reading.batches import (
    Batch,
    Reencode,
    UsePythonParser,
    not_all_in,
    split_record,
    too_wide,
)
from moisinno_data.reading.budget import Budget
from moisinno_data.reading.sniff import data_start, text_encoding

Irregular = tuple[int, str, int]  # (record number, text, cell count)

_BROKEN_ROWS: dict[int, list[int]] = {}
"""id(handler) → its list of undecodable ragged rows, for every CSV being read."""
_OUR_HOOK = None


def _install_unraisable_hook() -> None:
    """pyarrow decodes a ragged row's text before calling the handler: a row that is not
    UTF-8 fails there, as an "unraisable" exception printed on stderr. This hook swallows
    it and notes it (the file is then classified again). One hook per process (concurrent
    reads never fight over it), put back on top if something else replaced it since."""
    global _OUR_HOOK
    if _OUR_HOOK is not None and sys.unraisablehook is _OUR_HOOK:
        return
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        broken = _BROKEN_ROWS.get(id(unraisable.object))
        if broken is not None:
            broken.append(1)
        else:
            previous(unraisable)

    sys.unraisablehook = _OUR_HOOK = hook


_RECENT_READERS: deque = deque(maxlen=8)
"""The last pyarrow readers opened, kept until newer ones push them out, and for good
once the process exits (:func:`_keep_until_exit`)."""


def _keep_until_exit(reader: Any) -> None:
    """Keep ``reader`` referenced from here; at exit, keep the last ones for good.

    A pyarrow CSV reader's I/O thread may drop the last reference to the reader (and to
    our Python row handler, whose release needs the GIL) a while after the reading ends:
    the thread that finished the reader's first read still holds it while it tears that
    read's callback down, and a loaded machine can leave it waiting there for tens of
    milliseconds. If it gets there once Python has begun shutting down, the process
    aborts (« terminate called without an active exception », exit 134: seen on a file of
    a header alone, whose whole run takes a few milliseconds). Held here, a reader is let
    go by the main thread when newer ones push it out, long after its I/O ended; at exit,
    the last ones are never let go (a reference that nothing takes back), so no thread
    ever releases them during the shutdown: the process's end frees their memory."""
    _hook_exit()
    _RECENT_READERS.append(reader)


@functools.cache
def _hook_exit() -> None:
    import atexit

    atexit.register(_keep_for_good)


def _keep_for_good() -> None:
    import ctypes

    for reader in _RECENT_READERS:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(reader))


PIECE_BYTES = 8 << 20
"""Bytes of a piece parsed on its own (tests shrink it, and :data:`PARALLEL_BYTES`)."""
PARALLEL_BYTES = 32 << 20
"""Smaller files are read by one reader: threads would cost more than they save."""
IN_FLIGHT = 2
"""Pieces read or parsed ahead of the one being handed over (memory: a few pieces). Two
keep a piece parsing while the one before is checked, and at times two parsing at once;
a third gave no speed on two cores (8 interleaved pairs on the 1M-row benchmark: 1.555 s
either way) and held about 30 MB more on 10M rows."""
BLOCK_CELLS = 8 << 20
"""Cells of a parse block, at most, whatever its lines: a blank line is one byte of the
file but a whole row of cells for pyarrow (an offset in every column), so a wide header
gets smaller blocks and pieces (a block of a million blank lines under 27 columns held 400 MB)."""


@functools.cache
def memory_pool() -> Any:
    """pyarrow's jemalloc pool for the parse and its copies, unless the user chose one
    (``ARROW_DEFAULT_MEMORY_POOL``) or this build has none. Its default, mimalloc, keeps
    more of the freed parse blocks mapped: 10M rows peaked 20 to 30 MB higher (515–527
    MB against 495–500 MB, same minute), at the same speed."""
    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pa.default_memory_pool()
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # a build without jemalloc
        return pa.default_memory_pool()


RAGGED_ROWS = 10_000
"""Ragged rows past which, if they are most of the rows read, the file goes to Python's
csv module (a 2.4 MB file of 1.2 million one-cell rows took 67 s through pyarrow)."""

BATCH_BYTES = 16 << 20
"""Bytes of cells in a batch, at most, whatever its rows: the time limit is checked
between batches, and 40,960 rows of long cells (52 MB of web addresses, each checked in
Python) made one batch of 30 s on the web page, past its 60 s limit had it been slower.
A piece (:data:`PIECE_BYTES`) is always under it."""


def _block_bytes(ncols: int) -> int:
    """pyarrow's parse block for ``ncols`` columns (:data:`BLOCK_CELLS`). A row longer
    than the block is read by Python's csv module instead (:class:`UsePythonParser`).
    Read at each open: tests shrink :data:`.batches.BLOCK_BYTES`."""
    return max(4096, min(_batches.BLOCK_BYTES, BLOCK_CELLS // max(ncols, 1)))


@dataclass(frozen=True)
class _Span:
    """Where a reader starts: the bytes to parse (None: the file, from ``start``), the
    record number of their first record, the physical lines quoted inside the records
    before it, and whether they begin with the header."""

    data: memoryview | None = None
    start: int = 0
    first_record: int = 2
    quoted_lines: int = 0
    header: bool = True


@dataclass
class _Piece:
    """A piece's batches, numbered as if it began the file's data, and what the next one
    needs: how many records and quoted lines it held, and whether it ended outside quotes."""

    batches: list[Batch]
    records: int
    quoted_lines: int
    clean_end: bool


def arrow_batches(
    path: Path,
    detected: dict[str, Any],
    ncols: int,
    batch_rows: int,
    header_lines: int,
    budget: Budget,
    text_columns: frozenset[int] = frozenset(),
) -> Iterator[Batch]:
    """``text_columns``: those whose cells may be formulas worth telling (``Batch.
    formula_columns`` looks there only)."""
    ncols = max(ncols, 1)
    _install_unraisable_hook()
    if header_lines == 1 and _parallel(path, detected):
        yield from _pieces(path, detected, ncols, batch_rows, budget, text_columns)
    else:
        span = _Span(start=data_start(detected))
        reader = _ArrowCsv(path, detected, ncols, header_lines, budget, span, text_columns)
        yield from _read(reader, batch_rows)


def _read(reader: _ArrowCsv, batch_rows: int) -> Iterator[Batch]:
    _BROKEN_ROWS[id(reader.handler)] = reader.broken
    try:
        yield from reader.batches(batch_rows)
    finally:
        _BROKEN_ROWS.pop(id(reader.handler), None)


SPLIT_ENCODINGS = ("utf-8", "utf-8-sig", "windows-1252", "iso-8859-1", "mac_roman")
"""Encodings where a line end and a quote are the bytes they are in ASCII, never part of
another character (not UTF-16), and which pyarrow reads without a Python codec's state
across a cut (not the mixed UTF-8 / Windows-1252 codec)."""


def _parallel(path: Path, detected: dict[str, Any]) -> bool:
    """Pieces pay for a big file on a machine with more than one core."""
    return (
        text_encoding(detected) in SPLIT_ENCODINGS
        and (os.cpu_count() or 1) > 1
        and path.stat().st_size >= PARALLEL_BYTES
    )


def _cut(buf: bytearray, n: int, quotes_before: int, scratch: Any) -> tuple[int, int]:
    """Where to end a piece read into ``buf[:n]`` at a record's start, and the quotes
    before that place: after the last line end with an even number of quotes before it,
    so outside any quoted cell if the quotes are well formed (the piece's parse checks
    it). ``(0, 0)``: no such place near the end. ``scratch``: a reused boolean array as
    long as ``buf`` (numpy finds the quotes four times faster than ``bytes.count``)."""
    import numpy as np

    if buf.find(b'"', 0, n) < 0:  # memchr: no quote at all, nothing to count
        return buf.rfind(b"\n", 0, n) + 1, 0
    np.equal(np.frombuffer(buf, np.uint8, n), ord('"'), out=scratch[:n])
    quotes = np.flatnonzero(scratch[:n])
    cut = n
    for _try in range(64):
        cut = buf.rfind(b"\n", 0, cut)
        if cut < 0:
            break
        before = int(np.searchsorted(quotes, cut))
        if (quotes_before + before) % 2 == 0:
            return cut + 1, before
    return 0, 0


def _clean_end(batches: list[Batch], ragged: tuple[int, str] | None, delimiter: str) -> bool:
    """Whether the piece ended outside a quoted cell. It ends after a line end: a cell
    still open there holds that line end as its last character. pyarrow hands a ragged
    row over as text without its line end (``ragged``: the piece's last one, with its
    record number): if the last record is that row, its quotes must close. (A cell that
    really ends with a quoted line end, or quotes Python's strict reader refuses, also say
    no: that piece is read again, in one reader.)"""
    if not batches or not len(batches[-1].rows):
        return True
    last = batches[-1]
    at = int(last.rows.argmax())
    number = int(last.rows[at])
    if ragged is not None and ragged[0] == number:
        return _quotes_closed(ragged[1], delimiter)
    cells = [c for c in last.frame.row(at) if c is not None]
    return not any(cell.endswith(("\n", "\r")) for cell in cells)


def _quotes_closed(text: str, delimiter: str) -> bool:
    try:
        for _row in csv.reader([text], delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return False
    return True


class _Numbering:
    """Records and quoted lines of the pieces handed over so far: where the next starts."""

    def __init__(self, first: int) -> None:
        self.first = first  # where the header starts
        self.records = 0
        self.lines = 0

    def hand_over(
        self, pending: deque, keep: int, free: list
    ) -> Generator[Batch, None, int | None]:
        """Yield the batches of the oldest pieces until ``keep`` are left, their buffers
        back in ``free``; the generator's value is the start of a piece that did not end
        cleanly (None if none)."""
        while len(pending) > keep:
            start, future, buf = pending.popleft()
            piece: _Piece = future.result()
            free.append(buf)  # parsed: pyarrow copied the cells out of it
            if not piece.clean_end:
                return start
            for batch in piece.batches:
                yield batch.renumbered(self.records, self.lines)
            self.records += piece.records
            self.lines += piece.quoted_lines
        return None

    def span(self, start: int) -> _Span:
        header = start == self.first
        return _Span(None, start, self.records + (2 if header else 1), self.lines, header)


def _pieces(
    path: Path,
    detected: dict[str, Any],
    ncols: int,
    batch_rows: int,
    budget: Budget,
    text_columns: frozenset[int],
) -> Iterator[Batch]:
    """The file's batches in order, its pieces parsed two at a time.

    Each piece is parsed as if it began the data (records from 1); handed over in order,
    its batches are renumbered from the records and quoted lines of the pieces before.
    From a piece that did not end outside quotes (a quote inside an unquoted cell throws
    the count off), or where no cut was found, one reader reads the rest of the file.
    """
    from concurrent.futures import ThreadPoolExecutor

    first = data_start(detected)

    def parse(data: memoryview, start: int) -> _Piece:
        header = start == first
        span = _Span(data, start, 2 if header else 1, 0, header)
        reader = _ArrowCsv(path, detected, ncols, 1, budget, span, text_columns)
        batches = list(_read(reader, batch_rows))
        clean = _clean_end(batches, reader.last_ragged, detected["delimiter"])
        return _Piece(batches, reader.next_record - 1, reader.line_offset, clean)

    numbering = _Numbering(first)
    pending: deque = deque()
    free: list[bytearray] = []  # a few buffers read into again and again: no fresh pages
    resume: int | None = None
    unclean: int | None = None
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="moisinno-morceau")
    try:
        with open(path, "rb") as fh:
            split = _Split(fh.fileno(), first, batch_rows, ncols)
            while True:
                buf = free.pop() if free else bytearray(PIECE_BYTES)
                start, data = split.start, split.next(buf)
                if data is None:
                    resume = None if split.done else start
                    break
                pending.append((start, pool.submit(parse, data, start), buf))
                unclean = yield from numbering.hand_over(pending, IN_FLIGHT - 1, free)
                if unclean is not None:
                    break
        if unclean is None:
            unclean = yield from numbering.hand_over(pending, 0, free)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    resume = unclean if unclean is not None else resume
    if resume is not None:
        reader = _ArrowCsv(path, detected, ncols, 1, budget, numbering.span(resume), text_columns)
        yield from _read(reader, batch_rows)


class _Split:
    """Reads the file a piece at a time into the buffer given, cut after a line end
    outside quotes (:func:`_cut`).

    A piece holds about ``batch_rows`` lines, :data:`PIECE_BYTES` at most: the first
    bytes show how long lines are, and short lines make smaller pieces, down to a parse
    block (a piece's batches are all in memory until it is handed over, and memory goes
    by rows)."""

    def __init__(self, fd: int, first: int, batch_rows: int, ncols: int) -> None:
        import numpy as np

        self.fd, self.first, self.start, self.quotes, self.done = fd, first, first, 0, False
        self.batch_rows, self.size = batch_rows, PIECE_BYTES
        self.smallest = min(PIECE_BYTES // 8, _block_bytes(ncols))
        self.scratch = np.empty(PIECE_BYTES, dtype=bool)

    def _resize(self, buf: bytearray, end: int) -> None:
        lines = max(1, buf.count(b"\n", 0, end))
        rows_size = self.batch_rows * end // lines
        self.size = min(PIECE_BYTES, max(self.smallest, rows_size, 1))

    def next(self, buf: bytearray) -> memoryview | None:
        """The next piece, a view of ``buf``; None at the end of the file (``done``) or
        where no cut was found (a very long quoted cell, a line longer than a piece)."""
        n = os.preadv(self.fd, [memoryview(buf)[: self.size]], self.start)
        if n == 0:
            self.done = True
            return None
        if self.start == self.first:  # the first piece is cut to the size its lines ask for
            self._resize(buf, n)
            n = min(n, self.size)
        end, quotes = (n, 0) if n < self.size else _cut(buf, n, self.quotes, self.scratch)
        if end == 0:
            return None
        piece = memoryview(buf)[:end]
        self.quotes += quotes
        self.start += end
        return piece


def _check_utf8(batches: list) -> None:
    """Raise pyarrow's "Invalid UTF8" error (read as :class:`Reencode`) for cells that are
    not UTF-8. pyarrow's own check would validate every column; an ASCII buffer (the
    most common by far) is valid by construction, so only the others are validated."""
    import numpy as np

    for record_batch in batches:
        for column in record_batch.columns:
            data = column.buffers()[2]
            if data is not None and data.size and np.frombuffer(data, np.uint8).max() >= 0x80:
                column.validate(full=True)


class _ArrowCsv:
    def __init__(
        self,
        path: Path,
        detected: dict[str, Any],
        ncols: int,
        header_lines: int,
        budget: Budget,
        span: _Span,
        text_columns: frozenset[int] = frozenset(),
    ) -> None:
        self.path, self.detected, self.ncols, self.budget = path, detected, ncols, budget
        self.span, self.text_columns = span, text_columns
        self.names = [f"c{i}" for i in range(ncols)]
        self.irregular: list[Irregular] = []
        self.broken: list[int] = []
        self.utf8 = detected["encoding"] in ("utf-8", "utf-8-sig")
        self.next_record = span.first_record  # the header is record 1
        # pyarrow numbers the records of what it is given from 1, the header included.
        self.shift = span.first_record - (2 if span.header else 1)
        # Extra physical lines before the current record (quoted line ends).
        self.line_offset = header_lines - 1 + span.quoted_lines
        self.source: Any = None
        self.handler = self.on_invalid  # one bound method: the unraisable hook keys on it
        self.last_ragged: tuple[int, str] | None = None
        """The last ragged row seen (record number, text): see :func:`_clean_end`."""
        self.header_left = span.header
        """The header is still ahead, to drop from the first rows (see :meth:`_open`)."""
        self.ragged = 0
        self.too_ragged = False
        """Most rows so far ragged (:data:`RAGGED_ROWS`): pyarrow hands each to Python."""
        self.wide: tuple[int, int] | None = None
        """The first row of more than ``Budget.max_cols`` cells (record number, cells):
        the file is refused once pyarrow hands the handler back (it cannot raise)."""

    def on_invalid(self, row: Any) -> str:
        if self.too_ragged:
            return "skip"  # the file goes to Python's csv module (see :meth:`_check`)
        if self.header_left and row.number == 1:  # the header, other cells by pyarrow's count
            self.header_left = False
            return "skip"
        self.ragged += 1
        if self.ragged >= RAGGED_ROWS and 2 * self.ragged > row.number:
            self.too_ragged = True
            return "skip"
        number = row.number + self.shift
        if row.actual_columns > self.budget.max_cols:
            if self.wide is None:
                self.wide = (number, row.actual_columns)
            return "skip"
        self.irregular.append((number, row.text, row.actual_columns))
        if self.last_ragged is None or number > self.last_ragged[0]:
            self.last_ragged = (number, row.text)
        return "skip"

    def _failed(self, exc: Exception) -> Exception:
        """What a pyarrow failure means: not UTF-8 after all, or a job for Python's csv."""
        message = str(exc)
        if "UTF8" in message:
            return Reencode()
        return Reencode() if self.broken and self.utf8 else UsePythonParser()

    def _open(self) -> Any:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        encoding = text_encoding(self.detected)
        pa_encoding = {"utf-8-sig": "utf8", "utf-8": "utf8"}.get(encoding, encoding)
        span = self.span
        if span.data is not None:
            self.source = pa.BufferReader(pa.py_buffer(span.data))
        else:
            self.source = pa.OSFile(str(self.path))
            self.source.seek(span.start)
        return pacsv.open_csv(
            self.source,
            read_options=pacsv.ReadOptions(
                column_names=self.names,
                skip_rows=0,
                # The header is read as a row and dropped here (:meth:`batches`): pyarrow's
                # own skipping lost the first data row too when a NUL ended the header.
                skip_rows_after_names=0,
                use_threads=False,  # record numbers of ragged rows are only known single-threaded
                block_size=_block_bytes(self.ncols),
                encoding=pa_encoding,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=self.detected["delimiter"],
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=self.handler,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(self.names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # checked in :meth:`flush`, only where a byte is not ASCII
            ),
            memory_pool=memory_pool(),
        )

    def batches(self, batch_rows: int) -> Iterator[Batch]:
        import pyarrow as pa

        encoding = self.detected["encoding"]
        try:
            reader = self._open()
            _keep_until_exit(reader)
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" in str(exc):
                return
            raise self._failed(exc) from None
        except UnicodeError:
            raise not_all_in(self.path, encoding) from None
        pending: list = []
        pending_rows = pending_bytes = 0
        try:
            for record_batch in reader:
                self._check()
                if self.header_left and record_batch.num_rows:
                    record_batch = record_batch.slice(1)
                    self.header_left = False
                # A block of short lines holds many more rows than a batch: sliced (no copy).
                for start in range(0, max(record_batch.num_rows, 1), batch_rows):
                    pending.append(record_batch.slice(start, batch_rows))
                    pending_rows += pending[-1].num_rows
                    pending_bytes += pending[-1].nbytes
                    if (
                        pending_rows >= batch_rows
                        or pending_bytes >= BATCH_BYTES
                        or len(self.irregular) >= batch_rows
                    ):
                        batch = self.flush(pending, False)
                        pending, pending_rows, pending_bytes = [], 0, 0  # not kept alive
                        yield batch
                        del batch
            if pending or self.irregular:
                yield self.flush(pending, True)
        except pa.ArrowInvalid as exc:
            raise self._failed(exc) from None
        except UnicodeError:
            raise not_all_in(self.path, encoding) from None

    def _check(self) -> None:
        """Between two blocks: the time, the rows too wide to be read, and whether most
        rows are ragged (then Python's csv module reads the file: 10 µs a row, where
        pyarrow's handler and the rows put back in place cost 50)."""
        self.budget.check_time(self.path)
        if self.too_ragged:
            raise UsePythonParser()
        if self.wide is not None:
            number, count = self.wide
            raise too_wide(self.path, number + self.line_offset, count, self.budget)

    def _take_irregular(self, n: int, end_of_file: bool) -> list[Irregular]:
        """The ragged rows reported so far that fall within this batch's record numbers."""
        irregular = self.irregular
        if not irregular:
            return []
        irregular.sort()
        limit = self.next_record + n + len(irregular)
        taken = [r for r in irregular if r[0] < limit] if not end_of_file else irregular[:]
        while True:
            span_end = self.next_record + n + len(taken)
            keep = [r for r in taken if r[0] < span_end]
            if len(keep) == len(taken):
                break
            taken = keep
        del irregular[: len(taken)]  # sorted: what is taken comes first
        return taken

    def flush(self, batches: list, end_of_file: bool) -> Batch:
        import numpy as np
        import polars as pl
        import pyarrow as pa

        if self.broken:
            raise Reencode() if self.utf8 else UsePythonParser()
        table = (
            pa.Table.from_batches(batches).combine_chunks(memory_pool=memory_pool())
            if batches
            else None
        )
        if table is not None:
            # One chunk a column: the marks below look at each chunk of each column, and
            # a batch of a few dozen parse blocks cost those checks a few dozen times.
            # The blocks are let go at once (the caller's list is emptied): the copy
            # would otherwise double the batch's memory until it is handed over.
            batches.clear()
            batches = table.to_batches()
        _check_utf8(batches)
        frame: Any = (
            pl.from_arrow(table, rechunk=False)
            if table is not None and table.num_rows
            else pl.DataFrame(schema=dict.fromkeys(self.names, pl.String))
        )
        n = frame.height
        taken = self._take_irregular(n, end_of_file)
        span = np.arange(self.next_record, self.next_record + n + len(taken), dtype=np.int64)
        taken_numbers = np.array([r[0] for r in taken], dtype=np.int64)
        mask = ~np.isin(span, taken_numbers)
        newline, suspects = (
            _marks.suspect_columns(batches, self.names, self.budget) if n else (set(), set())
        )
        ragged = [split_record(text, self.detected["delimiter"]) for _n, text, _c in taken]
        starts = self._line_starts(frame, span, mask, newline, taken, ragged)
        rows, lines = span[mask], starts[mask]
        found = _marks.frame_marks(frame, rows, lines, suspects, self.budget)
        extras: list[tuple[int, int, list[tuple[int, str]]]] = []
        if taken:
            frame, rows, lines, extras, more = self._append_ragged(
                frame, rows, lines, taken, ragged, starts
            )
            found += more
        self.next_record += span.size
        return Batch(
            frame=frame,
            rows=rows,
            lines=lines,
            extra=extras,
            nbytes=self.source.tell() + (self.span.start if self.span.data is not None else 0),
            marks=found,
            formula_columns=_marks.formula_columns(
                batches, self.names, filter(None, ragged), self.text_columns
            ),
        )

    def _line_starts(self, frame, span, mask, newline, taken, ragged) -> Any:
        """Physical start line of every record of the span: one line per record plus the
        newlines quoted inside cells (counted only in columns whose bytes hold one)."""
        import numpy as np
        import polars as pl

        n = frame.height
        if newline:
            counts = (
                frame.select(
                    pl.sum_horizontal(
                        pl.col(c).str.count_matches("\n", literal=True) for c in sorted(newline)
                    )
                )
                .to_series()
                .to_numpy()
            )
        else:
            counts = np.zeros(n, dtype=np.int64)
        extra_lines = np.zeros(span.size, dtype=np.int64)
        extra_lines[mask] = counts
        for (number, text, _count), _cells in zip(taken, ragged, strict=True):
            extra_lines[number - self.next_record] = text.count("\n")
        starts = span + self.line_offset + np.concatenate(([0], np.cumsum(extra_lines)[:-1]))
        if span.size:
            self.line_offset += int(extra_lines.sum())
        return starts

    def _append_ragged(self, frame, rows, lines, taken, ragged, starts) -> tuple:
        """Ragged rows go last: re-sorting the whole batch would cost a gather of every
        column, and nothing downstream needs the rows in order within a batch."""
        import numpy as np
        import polars as pl

        ncols, names = self.ncols, self.names
        extras = []
        ragged_rows = []
        ragged_lines = []
        for (number, _text, _count), cells in zip(taken, ragged, strict=True):
            line = int(starts[number - self.next_record])
            ragged_lines.append(line)
            if cells is None:  # a blank line
                ragged_rows.append([None] * ncols)
                continue
            if len(cells) > ncols:
                extras.append(
                    (number, line, [(i + 1, v) for i, v in enumerate(cells) if i >= ncols])
                )
            ragged_rows.append([cells[i] if i < len(cells) else None for i in range(ncols)])
        ragged_frame = pl.DataFrame(
            [
                pl.Series(names[i], [r[i] for r in ragged_rows], dtype=pl.String)
                for i in range(ncols)
            ]
        )
        numbers = np.array([r[0] for r in taken], dtype=np.int64)
        starts_ragged = np.array(ragged_lines, dtype=np.int64)
        more = _marks.frame_marks(ragged_frame, numbers, starts_ragged, range(ncols), self.budget)
        frame = pl.concat([frame, ragged_frame], how="vertical")
        rows = np.concatenate([rows, numbers])
        lines = np.concatenate([lines, starts_ragged])
        return frame, rows, lines, extras, more
