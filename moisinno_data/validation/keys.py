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

    The memory is a few sorted numpy runs of hashes, each with the first row of its keys
    (12 bytes per distinct key). A batch is looked up with one binary search per run; its
    new keys become a run, and runs of similar size are merged (as in a log-structured
    merge tree), so each key is copied O(log n) times: time stays linear in the number of
    rows, where merging every batch into one array would grow with its square.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self.size = 0

    @property
    def hashes(self) -> np.ndarray:
        self._merge(everything=True)
        return self._runs[0][0] if self._runs else np.zeros(0, dtype=np.uint64)

    @property
    def first_rows(self) -> np.ndarray:
        self._merge(everything=True)
        return self._runs[0][1] if self._runs else np.zeros(0, dtype=np.int32)

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
        known = np.zeros(distinct.size, dtype=bool)
        first = batch_first.astype(np.int64)
        for run_h, run_r in self._runs:  # a key is in one run at most
            at = np.minimum(np.searchsorted(run_h, distinct), run_h.size - 1)
            found = run_h[at] == distinct
            first[found] = run_r[at[found]]
            known |= found
        group = np.cumsum(starts) - 1
        repeat = known[group] | (rs != batch_first[group])
        fresh = ~known
        if fresh.any():
            self._runs.append((distinct[fresh], batch_first[fresh].astype(np.int32)))
            self.size += int(fresh.sum())
            self._merge()
        return rs[repeat].astype(np.int64), first[group][repeat]

    def _merge(self, everything: bool = False) -> None:
        """Merge the newest runs while the one before is not much bigger."""
        runs = self._runs
        while len(runs) > 1 and (everything or runs[-2][0].size <= 2 * runs[-1][0].size):
            (h1, r1), (h2, r2) = runs[-2], runs[-1]
            hs = np.concatenate([h1, h2])
            order = np.argsort(hs, kind="stable")  # two sorted runs: a linear merge
            runs[-2:] = [(hs[order], np.concatenate([r1, r2])[order])]


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
