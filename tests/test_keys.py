"""DuplicateTracker against a plain-Python reference: first rows and repeats, across
batches whose rows are not in order (ragged rows come last) and hold null keys."""

from __future__ import annotations

import random

import numpy as np
import polars as pl

from moisinno_data.validation import keys as keys_module
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


def _random_batches(seed: int, count: int, sizes: tuple[int, int], nulls: float, keys: int):
    """``count`` batches of made-up keys (``nulls`` of them null, drawn from ``keys``
    distinct ones) with their record numbers shuffled: the tracker must not rely on the
    order of rows in a batch."""
    rng = random.Random(seed)
    row = 2
    batches = []
    for _ in range(count):
        size = rng.randint(*sizes)
        found = [
            None if rng.random() < nulls else f"s:k{rng.randint(0, keys)}" for _ in range(size)
        ]
        rows = list(range(row, row + size))
        row += size
        rng.shuffle(rows)
        batches.append((found, rows))
    return batches


def _tracked(batches) -> tuple[DuplicateTracker, list]:
    tracker = DuplicateTracker()
    got = [
        sorted(tracker.check(pl.Series(k, dtype=pl.String), np.array(r, dtype=np.int64)))
        for k, r in batches
    ]
    return tracker, got


def test_tracker_matches_reference_on_shuffled_batches():
    batches = _random_batches(8, 12, (0, 400), 0.05, 1500)
    _tracker, got = _tracked(batches)
    assert got == reference(batches)
    assert sum(len(found) for found in got) > 100  # the data did have repeats


def test_tracker_matches_reference_once_runs_are_cut_and_the_filter_grows(monkeypatch):
    """Enough keys for the filter to grow several times and, with a small split size,
    for runs to be cut into parts and merged part by part."""
    monkeypatch.setattr(keys_module, "SPLIT", 256)
    monkeypatch.setattr(keys_module, "FILTER_FROM", 2_000)
    batches = _random_batches(11, 40, (500, 2500), 0.02, 60_000)
    tracker, got = _tracked(batches)
    assert got == reference(batches)
    assert tracker.size > 16 * 2_000  # the filter grew, from 2^13 bits to 2^18 or more
    assert tracker._filter is not None and tracker._filter.slots >= 4 * tracker.size
    assert any(len(run.hashes) == keys_module.PARTS for run in tracker._runs)


def test_sorting_falls_back_when_hashes_differ_only_in_their_low_bits():
    """The radix sort orders by the top 32 bits only: 7 and 6 tie there."""
    top = 0xABCD_0123 << 32
    hashes = np.array([top + 7, 5 << 60, top + 6, 1], dtype=np.uint64)
    got, rows = keys_module._sorted(hashes, np.array([10, 11, 12, 13]))
    assert got.tolist() == sorted(hashes.tolist())
    assert rows.tolist() == [13, 11, 12, 10]


def test_keyset_missing_skips_null_keys():
    keyset = KeySet(pl.Series(["n:2020", "n:2021"]))
    missing = keyset.missing(pl.Series(["n:2020", None, "n:1999", "n:2021"], dtype=pl.String))
    assert missing.to_list() == [False, False, True, False]


def test_keyset_added_in_batches_and_empty():
    keyset = KeySet()
    assert KeySet().missing(pl.Series(["n:1", None], dtype=pl.String)).to_list() == [True, False]
    keyset.add(pl.Series(["n:2020", "n:2021", None], dtype=pl.String))
    keyset.add(pl.Series(["n:2021", "n:2022"]))
    missing = keyset.missing(pl.Series(["n:2022", "n:2023", "n:2020"]))
    assert missing.to_list() == [False, True, False]
