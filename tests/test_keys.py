"""DuplicateTracker against a plain-Python reference: first rows and repeats, across
batches whose rows are not in order (ragged rows come last) and hold null keys."""

from __future__ import annotations

import random

import numpy as np
import polars as pl

from moisinno_data.validation.keys import DuplicateTracker, KeySet


def reference(batches):
    first: dict[str, int] = {}
    out = []
    for keys, rows in batches:
        found = []
        for key, row in sorted(zip(keys, rows, strict=True), key=lambda kr: kr[1]):
            if key is None:
                continue
            if key in first:
                found.append((row, first[key]))
            else:
                first[key] = row
        out.append(sorted(found))
    return out


def test_tracker_matches_reference_on_shuffled_batches():
    rng = random.Random(8)
    row = 2
    batches = []
    for _ in range(12):
        size = rng.randint(0, 400)
        keys = [None if rng.random() < 0.05 else f"s:k{rng.randint(0, 1500)}" for _ in range(size)]
        rows = list(range(row, row + size))
        row += size
        rng.shuffle(rows)  # the tracker must not rely on the order of rows in a batch
        batches.append((keys, rows))
    tracker = DuplicateTracker()
    got = [
        sorted(tracker.check(pl.Series(keys, dtype=pl.String), np.array(rows, dtype=np.int64)))
        for keys, rows in batches
    ]
    assert got == reference(batches)
    assert sum(len(found) for found in got) > 100  # the data did have repeats


def test_keyset_missing_skips_null_keys():
    keyset = KeySet(pl.Series(["n:2020", "n:2021"]))
    missing = keyset.missing(pl.Series(["n:2020", None, "n:1999", "n:2021"], dtype=pl.String))
    assert missing.to_list() == [False, False, True, False]
