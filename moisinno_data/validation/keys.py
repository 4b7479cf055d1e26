"""Unique fields, primary and foreign keys across batches, in bounded memory.

A key is the canonical typed value of its cells (see :func:`cells.canonical`), hashed
to 64 bits by polars. What is kept between batches is one ``(hash, first row)`` pair per
distinct key — 16 bytes, not a Python object per row. Two different keys sharing a
64-bit hash (odds about 1 in 10^8 for a million rows) would be reported as a duplicate.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
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


def hashed(key: pl.Series) -> pl.Series:
    return key.hash(seed=0x5EED)


@functools.cache
def return_freed_arrays() -> None:
    """Keep glibc's mmap threshold at 128 KiB, so that a freed numpy array (a merged run)
    goes back to the system. Left dynamic, glibc raises the threshold after such frees and
    later arrays come from a heap it keeps: tens of MB more at 10 million keys. For big
    files only (the engine decides): each big allocation then costs a system call and
    fresh pages."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL("libc.so.6").mallopt(-3, 1 << 17)  # M_MMAP_THRESHOLD


PARTS = 16
"""Independent parts of a tracker, by the top bits of the hash."""


class _Runs:
    """Sorted runs of (hash, first row) for one part of the hash space."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def lookup(self, distinct: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Which sorted ``distinct`` hashes are known; their first rows go into ``first``."""
        known = np.zeros(distinct.size, dtype=bool)
        for run_h, run_r in self.runs:  # a key is in one run at most
            at = np.minimum(np.searchsorted(run_h, distinct), run_h.size - 1)
            found = run_h[at] == distinct
            first[found] = run_r[at[found]]
            known |= found
        return known

    def add(self, hashes: np.ndarray, rows: np.ndarray, everything: bool = False) -> None:
        """A new sorted run; runs of similar size are then merged."""
        runs = self.runs
        if hashes.size:
            runs.append((hashes, rows.astype(np.int32)))
        while len(runs) > 1 and (everything or runs[-2][0].size <= 2 * runs[-1][0].size):
            (h1, r1), (h2, r2) = runs[-2], runs[-1]
            hs = np.concatenate([h1, h2])
            order = np.argsort(hs, kind="stable")  # two sorted runs: a linear merge
            runs[-2:] = [(hs[order], np.concatenate([r1, r2])[order])]


class DuplicateTracker:
    """Remembers each key's first row; ``check`` returns (row, first_row) of repeats.

    The memory is sorted numpy runs of hashes, each with the first row of its keys
    (12 bytes per distinct key). A batch is looked up with one binary search per run; its
    new keys become a run, and runs of similar size are merged (a log-structured merge
    tree), so each key is copied O(log n) times: time stays linear in the number of rows,
    where merging every batch into one array would grow with its square. The hash space
    is cut into :data:`PARTS` parts, each with its own runs: a merge then briefly needs
    memory for one part, not the whole set (10 million keys stay within budget).
    """

    def __init__(self) -> None:
        self._parts = [_Runs() for _ in range(PARTS)]
        self._bounds = np.arange(1, PARTS, dtype=np.uint64) << np.uint64(
            64 - PARTS.bit_length() + 1
        )
        self.size = 0

    @property
    def hashes(self) -> np.ndarray:
        return self._all()[0]

    @property
    def first_rows(self) -> np.ndarray:
        return self._all()[1]

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        for part in self._parts:
            part.add(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32), everything=True)
        runs = [part.runs[0] for part in self._parts if part.runs]
        if not runs:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
        return np.concatenate([h for h, _ in runs]), np.concatenate([r for _, r in runs])

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
        # Equal hashes end up side by side; their order does not matter since the first
        # row of each group is its minimum, not its first position.
        order = np.argsort(h)
        hs, rs = h[order], r[order]
        starts = np.empty(hs.size, dtype=bool)
        starts[0] = True
        np.not_equal(hs[1:], hs[:-1], out=starts[1:])
        heads = np.flatnonzero(starts)
        distinct = hs[heads]
        batch_first = np.minimum.reduceat(rs, heads)
        first = batch_first.astype(np.int64)
        known = np.zeros(distinct.size, dtype=bool)
        cuts = [0, *np.searchsorted(distinct, self._bounds).tolist(), distinct.size]
        for part, lo, hi in zip(self._parts, cuts[:-1], cuts[1:], strict=True):
            if lo < hi:  # sorted hashes: each part is a slice
                known[lo:hi] = part.lookup(distinct[lo:hi], first[lo:hi])
                fresh = ~known[lo:hi]
                part.add(distinct[lo:hi][fresh], batch_first[lo:hi][fresh])
        self.size += int((~known).sum())
        group = np.cumsum(starts) - 1
        repeat = known[group] | (rs != batch_first[group])
        return rs[repeat].astype(np.int64), first[group][repeat]


class KeySet:
    """The keys of a referenced table, as hashes (foreign keys)."""

    def __init__(self, keys: pl.Series | None = None) -> None:
        self.hashes = pl.Series("h", [], dtype=pl.UInt64)
        if keys is not None:
            self.add(keys)

    def add(self, keys: pl.Series) -> None:
        fresh = hashed(keys.drop_nulls())
        self.hashes = pl.concat([self.hashes, fresh]).unique()

    def missing(self, keys: pl.Series) -> pl.Series:
        """True where a (non-null) key is absent from the set."""
        absent = ~np.isin(hashed(keys).to_numpy(), self.hashes.to_numpy())
        if keys.null_count():
            absent &= keys.is_not_null().to_numpy()
        return pl.Series(absent)
