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

    The memory is one sorted numpy array of hashes with the first row of each: a batch
    is looked up with one binary search of its sorted distinct hashes (cache-friendly),
    and its new keys are merged in by position, a linear copy rather than a re-sort.
    """

    def __init__(self) -> None:
        # Two buffers of each array, merged from one into the other and swapped, so that
        # a batch reuses memory already mapped instead of faulting in fresh pages.
        self._hashes = [np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64)]
        self._rows = [np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)]
        self._old = np.zeros(0, dtype=bool)
        self.size = 0

    @property
    def hashes(self) -> np.ndarray:
        return self._hashes[0][: self.size]

    @property
    def first_rows(self) -> np.ndarray:
        return self._rows[0][: self.size]

    def check(self, key: pl.Series, rows: pl.Series | np.ndarray) -> list[tuple[int, int]]:
        """``rows``: the record number of each cell of ``key``, in any order."""
        r = rows.to_numpy() if isinstance(rows, pl.Series) else np.asarray(rows)
        h = hashed(key).to_numpy()
        if key.null_count():  # null keys (blank or wrongly typed cells) are skipped
            present = key.is_not_null().to_numpy()
            h, r = h[present], r[present]
        if h.size == 0:
            return []
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
        known_h, known_r = self.hashes, self.first_rows
        if known_h.size:
            pos = np.searchsorted(known_h, distinct)
            at = np.minimum(pos, known_h.size - 1)
            known = known_h[at] == distinct
            first = np.where(known, known_r[at], batch_first)
        else:
            pos = np.zeros(distinct.size, dtype=np.intp)
            known = np.zeros(distinct.size, dtype=bool)
            first = batch_first
        group = np.cumsum(starts) - 1
        repeat = known[group] | (rs != batch_first[group])
        fresh = ~known
        if fresh.any():
            self._insert(distinct[fresh], batch_first[fresh], pos[fresh])
        return list(zip(rs[repeat].tolist(), first[group][repeat].tolist(), strict=True))

    def _insert(self, hs: np.ndarray, rs: np.ndarray, pos: np.ndarray) -> None:
        """Merge sorted new hashes ``hs`` whose insertion points are ``pos``."""
        n = self.size + hs.size
        if n > self._old.size:
            capacity = max(n, self._old.size * 3 // 2, 1 << 16)
            spare_h = np.empty(capacity, dtype=np.uint64)
            spare_r = np.empty(capacity, dtype=np.int32)
            self._hashes[1], self._rows[1] = spare_h, spare_r
            self._old = np.empty(capacity, dtype=bool)
        elif self._hashes[1].size < n:  # the spare buffers lag one growth behind
            self._hashes[1] = np.empty(self._old.size, dtype=np.uint64)
            self._rows[1] = np.empty(self._old.size, dtype=np.int32)
        at = pos + np.arange(hs.size)
        old = self._old[:n]
        old.fill(True)
        old[at] = False
        hashes, first_rows = self._hashes[1][:n], self._rows[1][:n]
        hashes[at] = hs
        first_rows[at] = rs
        hashes[old] = self.hashes
        first_rows[old] = self.first_rows
        self._hashes.reverse()
        self._rows.reverse()
        self.size = n


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
