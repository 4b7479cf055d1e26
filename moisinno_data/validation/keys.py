"""Unique fields, primary and foreign keys across batches, in bounded memory.

A key is the canonical typed value of its cells (see :func:`cells.canonical`), hashed
to 64 bits by polars. What is kept between batches is one ``(hash, first row)`` pair per
distinct key — 16 bytes, not a Python object per row. Two different keys sharing a
64-bit hash (odds about 1 in 10^8 for a million rows) would be reported as a duplicate.
"""

from __future__ import annotations

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
    """Remembers each key's first row; ``check`` returns (row, first_row) of repeats."""

    def __init__(self) -> None:
        self.seen = pl.DataFrame(schema={"h": pl.UInt64, "first": pl.Int64})

    def check(self, key: pl.Series, rows: pl.Series) -> list[tuple[int, int]]:
        frame = pl.DataFrame({"h": hashed(key), "row": rows, "null": key.is_null()})
        frame = frame.filter(~pl.col("null")).drop("null")
        if frame.is_empty():
            return []
        known = frame.join(self.seen, on="h", how="inner")
        fresh = frame.join(self.seen, on="h", how="anti")
        firsts = fresh.filter(pl.col("h").is_first_distinct())
        repeats = fresh.filter(~pl.col("h").is_first_distinct()).join(
            firsts.rename({"row": "first"}), on="h", how="inner"
        )
        if not firsts.is_empty():
            self.seen = pl.concat([self.seen, firsts.rename({"row": "first"})])
        out = pl.concat([known.select("row", "first"), repeats.select("row", "first")])
        return list(zip(out["row"].to_list(), out["first"].to_list(), strict=True))


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
