"""Unique fields, primary and foreign keys across batches, in bounded memory.

A key is the canonical typed value of its cells (see :func:`cells.canonical`), hashed
to 64 bits by polars. What is kept between batches is one ``(hash, first row)`` pair per
distinct key — 16 bytes, not a Python object per row. Two different keys sharing a
64-bit hash (odds about 1 in 10^8 for a million rows) would be reported as a duplicate.
"""

from __future__ import annotations

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


class DuplicateTracker:
    """Remembers each key's first row; ``check`` returns (row, first_row) of repeats.

    The memory is sorted numpy arrays of (hash, first row): a membership test is a
    binary search per run, and adding a batch's new keys an occasional merge.
    """

    def __init__(self) -> None:
        # Sorted runs of (hash, first row), merged like a binary counter so that a batch
        # costs O(batch · log n) to look up and the merges O(n log n) over the whole file.
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def _lookup(self, hs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        known = np.zeros(hs.size, dtype=bool)
        previous = np.zeros(hs.size, dtype=np.int64)
        for run_h, run_r in self.runs:
            pos = np.minimum(np.searchsorted(run_h, hs), run_h.size - 1)
            hit = (run_h[pos] == hs) & ~known
            previous[hit] = run_r[pos[hit]]
            known |= hit
        return known, previous

    def _add(self, hs: np.ndarray, rs: np.ndarray) -> None:
        self.runs.append((hs, rs))
        while len(self.runs) > 1 and self.runs[-2][0].size <= 2 * self.runs[-1][0].size:
            (h2, r2), (h1, r1) = self.runs.pop(), self.runs.pop()
            where = np.searchsorted(h1, h2)  # merge of sorted runs: no full re-sort
            self.runs.append((np.insert(h1, where, h2), np.insert(r1, where, r2)))

    def check(self, key: pl.Series, rows: pl.Series) -> list[tuple[int, int]]:
        present = key.is_not_null()
        h = hashed(key.filter(present)).to_numpy()
        r = rows.filter(present).to_numpy()
        if h.size == 0:
            return []
        if r.size > 1 and not (r[1:] > r[:-1]).all():  # ragged rows come last in a batch
            by_row = np.argsort(r, kind="stable")
            h, r = h[by_row], r[by_row]
        order = np.argsort(h, kind="stable")  # ties keep the file's order: first one leads
        hs, rs = h[order], r[order]
        starts = np.ones(hs.size, dtype=bool)
        starts[1:] = hs[1:] != hs[:-1]
        group_first = rs[np.maximum.accumulate(np.where(starts, np.arange(hs.size), 0))]
        known, previous = self._lookup(hs)
        previous = np.where(known, previous, group_first)
        repeat = known | ~starts
        fresh = starts & ~known
        if fresh.any():  # rows fit in 32 bits: 12 bytes per distinct key
            self._add(hs[fresh], rs[fresh].astype(np.int32))
        return list(zip(rs[repeat].tolist(), previous[repeat].tolist(), strict=True))


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
        return keys.is_not_null() & ~hashed(keys).is_in(self.hashes.implode())
