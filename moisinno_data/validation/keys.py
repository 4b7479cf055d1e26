"""Unique fields, primary and foreign keys across batches, in bounded memory.

A key is the canonical typed value of its cells (see :func:`cells.canonical`), hashed
to 64 bits by polars. What is kept between batches is one ``(hash, first row)`` pair per
distinct key, 12 bytes, and a bit filter of 0.5 to 1 byte per key — not a Python object
per row. Two different keys sharing a 64-bit hash would be reported as a duplicate: the
odds are about n²/2^65 for n distinct keys, 1 in 4·10^7 for a million, 1 in 4·10^5 for
ten million (the filter and the sorting below only speed up the exact 64-bit comparison).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import itertools
import sys

import numpy as np
import polars as pl

NULL = "\x00"
SEP = "\x1f"


def combine(keys: list[pl.Series]) -> pl.Series:
    """One string per row for a composite key; a null component keeps its place."""
    if len(keys) == 1:
        return keys[0]
    frame = pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    return frame.select(
        pl.concat_str([pl.col(c).fill_null(NULL) for c in frame.columns], separator=SEP)
    ).to_series()


def blank_keys(keys: list[pl.Series], *, any_one: bool = False) -> pl.Series:
    """True where every component of a (composite) key is null (``any_one``: where one is)."""
    if len(keys) == 1:
        return keys[0].is_null()
    horizontal = pl.any_horizontal if any_one else pl.all_horizontal
    return (
        pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
        .select(horizontal(pl.all().is_null()))
        .to_series()
    )


def joined_keys(keys: list[pl.Series], blank: pl.Series) -> pl.Series:
    """One key per row, null where ``blank`` (its components are null: all, or any, see
    :func:`blank_keys`): what the trackers compare."""
    if len(keys) == 1:
        return keys[0]  # already null exactly where its only component is
    nulls = pl.repeat(None, blank.len(), dtype=pl.String, eager=True)
    return combine(keys).zip_with(~blank, nulls)


def hashed(key: pl.Series) -> pl.Series:
    return key.hash(seed=0x5EED)


@functools.cache
def return_freed_arrays() -> None:
    """Fix glibc's mmap threshold at 1 MiB, so that a freed numpy array past it (a merged
    run) goes back to the system: left dynamic, glibc raises the threshold after such
    frees and later arrays come from a heap it keeps, tens of MB more at 10 million keys.
    The heap's top is trimmed past 8 MiB only: a batch's temporaries (a few hundred KB
    each) then reuse it, where a lower threshold maps and faults in fresh pages for each
    (about 60 µs apiece). For big files only (the engine decides)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
            libc.mallopt(-1, 8 << 20)  # M_TRIM_THRESHOLD


PARTS = 16
"""Parts of the hash space (by its top bits) in which a big run is cut."""

_BOUNDS = np.arange(1, PARTS, dtype=np.uint64) << np.uint64(64 - (PARTS - 1).bit_length())

SPLIT = 1 << 14
"""Keys past which a run is kept as :data:`PARTS` arrays rather than one: a merge then
works on arrays that fit the processor's cache, and needs spare memory for a part only.
Below, one array spares a call per part."""

FILTER_FROM = 1 << 20
"""Distinct keys past which the runs get a filter (:class:`_Filter`): below, they fit the
processor's cache, and searching them costs less than keeping a filter."""

SLOTS_PER_KEY = 4
"""Bits of the filter per distinct key, at least (and fewer than twice as many): at most
1 new key in 5 is searched for in the runs for nothing (``1 - exp(-1/4)``)."""


def _cuts(hashes: np.ndarray) -> list[int]:
    """Where each part of the hash space starts in sorted ``hashes``, and its end."""
    return [0, *np.searchsorted(hashes, _BOUNDS).tolist(), hashes.size]


def _merged(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted (hashes, rows) runs as one; a hash is never in both."""
    hashes = np.concatenate([a[0], b[0]])
    order = np.argsort(hashes, kind="stable")  # two sorted runs: a linear merge
    return hashes[order], np.concatenate([a[1], b[1]])[order]


class _Run:
    """A sorted run of (hash, first row): one pair of arrays, or one per part of the hash
    space once past :data:`SPLIT` keys, so that merging it needs spare memory for a part,
    not for the whole run."""

    __slots__ = ("hashes", "rows", "size")

    def __init__(self, hashes: list[np.ndarray], rows: list[np.ndarray]) -> None:
        self.hashes, self.rows = hashes, rows
        self.size = sum(h.size for h in hashes)

    def parts(self) -> list[tuple[np.ndarray, np.ndarray]]:
        if len(self.hashes) == PARTS:
            return list(zip(self.hashes, self.rows, strict=True))
        (h,), (r,) = self.hashes, self.rows
        cuts = _cuts(h)
        return [(h[lo:hi], r[lo:hi]) for lo, hi in itertools.pairwise(cuts)]

    def find(self, queries: np.ndarray, cuts: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Positions in sorted ``queries`` (cut by part at ``cuts``) of the hashes of this
        run, and their first rows."""
        if len(self.hashes) == 1:
            return _find(self.hashes[0], self.rows[0], queries, 0)
        found = [
            _find(h, r, queries[lo:hi], lo)
            for h, r, (lo, hi) in zip(self.hashes, self.rows, itertools.pairwise(cuts), strict=True)
            if lo < hi and h.size
        ]
        if not found:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int32)
        return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])

    @staticmethod
    def merge(a: _Run, b: _Run) -> _Run:
        if a.size + b.size <= SPLIT:
            h, r = _merged((a.hashes[0], a.rows[0]), (b.hashes[0], b.rows[0]))
            return _Run([h], [r])
        pa, pb = a.parts(), b.parts()
        a.hashes = a.rows = b.hashes = b.rows = []  # each part is freed once merged
        hashes, rows = [], []
        for i in range(PARTS):
            h, r = _merged(pa[i], pb[i])
            pa[i] = pb[i] = None  # type: ignore[call-overload]
            hashes.append(h)
            rows.append(r)
        return _Run(hashes, rows)


def _find(
    hashes: np.ndarray, rows: np.ndarray, queries: np.ndarray, offset: int
) -> tuple[np.ndarray, np.ndarray]:
    at = np.searchsorted(hashes, queries)
    np.minimum(at, hashes.size - 1, out=at)
    hit = np.flatnonzero(hashes[at] == queries)
    return hit + offset, rows[at[hit]]


class _Filter:
    """One bit per slot of the hash space, set for the slot of each known key (a Bloom
    filter with one hash function): a clear bit says "new key" without searching the runs,
    which a file of unique keys would otherwise do for every key in every run. Slots are
    the top bits of the hash, so the sorted hashes of a batch read it in order."""

    def __init__(self, bits: int) -> None:
        self.shift = np.uint64(64 - bits)
        self.words = np.zeros(max(1, (1 << bits) >> 6), dtype=np.uint64)
        self.slots = 1 << bits

    def _where(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        slot = hashes >> self.shift
        return slot >> np.uint64(6), np.uint64(1) << (slot & np.uint64(63))

    def maybe(self, hashes: np.ndarray) -> np.ndarray:
        word, bit = self._where(hashes)
        return (self.words[word] & bit).astype(bool)

    def add(self, hashes: np.ndarray) -> None:
        """``hashes``: sorted, so that the bits of one word are side by side."""
        if not hashes.size:
            return
        word, bit = self._where(hashes)
        starts = np.empty(word.size, dtype=bool)
        starts[0] = True
        np.not_equal(word[1:], word[:-1], out=starts[1:])
        heads = np.flatnonzero(starts)
        self.words[word[heads]] |= np.bitwise_or.reduceat(bit, heads)


def _sorted(h: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``h`` sorted, and ``r`` in the same order: a radix sort on the top 32 bits of the
    hashes, two stable sorts of 16-bit digits (which numpy does by counting, in linear
    time: 3 to 4 times faster than an arg-sort of 64-bit values). Hashes equal in their
    top 32 bits but not in the rest (about n²/2^33 pairs: rare in a batch) may come out of
    order; then an arg-sort decides."""
    order = np.argsort((h >> np.uint64(32)).astype(np.uint16), kind="stable")
    order = order[np.argsort((h[order] >> np.uint64(48)).astype(np.uint16), kind="stable")]
    hs = h[order]
    if (hs[1:] < hs[:-1]).any():
        order = np.argsort(h)
        hs = h[order]
    return hs, r[order]


class DuplicateTracker:
    """Remembers each key's first row; ``check`` returns (row, first_row) of repeats.

    The memory is sorted numpy runs of hashes, each with the first row of its keys
    (12 bytes per distinct key), and a bit filter (:class:`_Filter`, under a byte a key).
    A batch's distinct hashes that the filter may know are looked up with one binary
    search per run; its new keys become a run, and runs of similar size are merged (a
    log-structured merge tree), so each key is copied O(log n) times: time stays linear in
    the number of rows, where merging every batch into one array would grow with its
    square. A big run is cut into :data:`PARTS` parts merged one at a time, so a merge
    briefly needs memory for one part, not the whole set (10 million keys stay within
    budget).
    """

    def __init__(self) -> None:
        self._runs: list[_Run] = []
        self._filter: _Filter | None = None
        self.size = 0

    def check(self, key: pl.Series, rows: pl.Series | np.ndarray) -> list[tuple[int, int]]:
        """``rows``: the record number of each cell of ``key``, in any order."""
        repeated, first = self.check_arrays(key, rows)
        return list(zip(repeated.tolist(), first.tolist(), strict=True))

    def check_arrays(
        self, key: pl.Series, rows: pl.Series | np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`check` as two arrays (rows of the repeats, their first rows): no Python
        object per repeat, however many there are."""
        r = rows.to_numpy() if isinstance(rows, pl.Series) else np.asarray(rows)
        h = hashed(key).to_numpy()
        if key.null_count():  # null keys (blank or wrongly typed cells) are skipped
            present = key.is_not_null().to_numpy()
            h, r = h[present], r[present]
        if h.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        hs, rs = _sorted(h, r.astype(np.int64, copy=False))
        # Equal hashes are now side by side; the first row of each group is its minimum,
        # not its first position.
        starts = np.empty(hs.size, dtype=bool)
        starts[0] = True
        np.not_equal(hs[1:], hs[:-1], out=starts[1:])
        if starts.all():  # no key twice in the batch, the usual case
            known, first = self._lookup(hs)
            self._add(hs[~known], rs[~known])
            return rs[known], first[known]
        heads = np.flatnonzero(starts)
        distinct = hs[heads]
        batch_first = np.minimum.reduceat(rs, heads)
        known, first = self._lookup(distinct)
        self._add(distinct[~known], batch_first[~known])
        first[~known] = batch_first[~known]
        group = np.cumsum(starts) - 1
        repeat = known[group] | (rs != batch_first[group])
        return rs[repeat], first[group][repeat]

    def _lookup(self, distinct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which sorted ``distinct`` hashes are known, and their first rows there."""
        known = np.zeros(distinct.size, dtype=bool)
        first = np.zeros(distinct.size, dtype=np.int64)
        if not self._runs:
            return known, first
        if self._filter is None:
            maybe, queries = np.arange(distinct.size), distinct
        else:
            maybe = np.flatnonzero(self._filter.maybe(distinct))
            queries = distinct[maybe]
        cuts = _cuts(queries)
        for run in self._runs:  # a key is in one run at most
            at, rows = run.find(queries, cuts)
            known[maybe[at]] = True
            first[maybe[at]] = rows
        return known, first

    def _add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        """A new sorted run; runs of similar size are then merged."""
        if not hashes.size:
            return
        self.size += hashes.size
        runs = self._runs
        runs.append(_Run([hashes], [rows.astype(np.int32)]))
        if self._filter is not None and self.size * SLOTS_PER_KEY <= self._filter.slots:
            self._filter.add(hashes)
        elif self.size > FILTER_FROM:
            self._grow()
        while len(runs) > 1 and runs[-2].size <= 2 * runs[-1].size:
            runs[-2:] = [_Run.merge(runs[-2], runs[-1])]

    def _grow(self) -> None:
        """A filter of :data:`SLOTS_PER_KEY` bits or more per key so far, set from the runs:
        about twice the last one, so that each key is set again O(1) times in all."""
        self._filter = None  # freed before its successor is made
        bits = int(self.size * SLOTS_PER_KEY).bit_length()
        self._filter = _Filter(bits)
        for run in self._runs:
            for h in run.hashes:
                self._filter.add(h)


class KeySet:
    """The keys of a referenced table (foreign keys), as sorted distinct hashes: a batch
    is then looked up with one binary search per key, not a sort of the whole set."""

    def __init__(self, keys: pl.Series | None = None) -> None:
        self._sorted = np.zeros(0, dtype=np.uint64)
        self._pending: list[np.ndarray] = []
        if keys is not None:
            self.add(keys)

    def add(self, keys: pl.Series) -> None:
        self._pending.append(hashed(keys.drop_nulls()).to_numpy())

    @property
    def hashes(self) -> np.ndarray:
        if self._pending:  # sorted once, when first looked up
            self._sorted = np.unique(np.concatenate([self._sorted, *self._pending]))
            self._pending = []
        return self._sorted

    def missing(self, keys: pl.Series) -> pl.Series:
        """True where a (non-null) key is absent from the set."""
        h = hashed(keys).to_numpy()
        known = self.hashes
        if known.size:
            at = np.searchsorted(known, h)
            np.minimum(at, known.size - 1, out=at)
            absent = known[at] != h
        else:
            absent = np.ones(h.size, dtype=bool)
        if keys.null_count():
            absent &= keys.is_not_null().to_numpy()
        return pl.Series(absent)
