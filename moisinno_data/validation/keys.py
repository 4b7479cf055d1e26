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

    The memory is two sorted numpy arrays (hash, first row): a membership test is a
    binary search, and adding a batch's new keys is one merge.
    """

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.uint64)
        self.first = np.empty(0, dtype=np.int64)

    def check(self, key: pl.Series, rows: pl.Series) -> list[tuple[int, int]]:
        present = key.is_not_null()
        h = hashed(key.filter(present)).to_numpy()
        r = rows.filter(present).to_numpy()
        if h.size == 0:
            return []
        order = np.argsort(h, kind="stable")  # ties keep the file's order
        hs, rs = h[order], r[order]
        starts = np.ones(hs.size, dtype=bool)
        starts[1:] = hs[1:] != hs[:-1]
        group_first = rs[np.maximum.accumulate(np.where(starts, np.arange(hs.size), 0))]
        if self.hashes.size:
            pos = np.minimum(np.searchsorted(self.hashes, hs), self.hashes.size - 1)
            known = self.hashes[pos] == hs
            previous = np.where(known, self.first[pos], group_first)
        else:
            known = np.zeros(hs.size, dtype=bool)
            previous = group_first
        repeat = known | ~starts
        fresh = starts & ~known
        if fresh.any():  # already sorted: insert in place of a full re-sort
            where = np.searchsorted(self.hashes, hs[fresh])
            self.hashes = np.insert(self.hashes, where, hs[fresh])
            self.first = np.insert(self.first, where, rs[fresh])
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
