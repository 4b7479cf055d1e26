"""Benchmark the key-duplicate tracker (unique fields, primary keys) alone.

    python scripts/bench_keys.py [--keys 1000000 10000000] [--repeat 3] [--against REV]

Tracks N made-up string keys ("s:evenement-fictif-<n>", about 1% repeating an earlier one)
in batches of 40,960, as ``validate`` does, and prints for each N the CPU time spent in
``DuplicateTracker.check_arrays`` and the process's peak RSS (with its RSS before
tracking, to show what the tracker adds). Each measure runs in its own process, so that
peak memory is the tracker's own. With ``--against REV`` (a git revision, e.g. ``main``),
the ``keys.py`` of that revision is measured too, interleaved with the working copy's, and
both must find the same repeats. The machine is often shared: the load average is printed
with the figures, and the minimum of the repeats is the one to compare.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 40_960
BIG = 4_000_000
"""Keys past which the engine's big-file setting applies (files over 1 GB, ~200 bytes a row)."""


def _tracker_module(source: str):
    """``keys.py`` of the working copy (``source`` empty) or of a git revision."""
    if not source:
        from moisinno_data.validation import keys

        return keys
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{source}:moisinno_data/validation/keys.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "keys_old.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("keys_old", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _batch(start: int, size: int, rng):
    """Keys of records ``start`` to ``start + size``: about 1% repeat an earlier key."""
    import numpy as np
    import polars as pl

    ids = np.arange(start, start + size)
    repeat = rng.random(size) < 0.01
    ids[repeat] = rng.integers(0, np.maximum(ids[repeat], 1))
    keys = "s:evenement-fictif-" + pl.Series("k", ids).cast(pl.String)
    return keys, ids + 2  # record numbers: the header is record 1


def track(source: str, n: int) -> dict[str, float]:
    """Tracks ``n`` keys with the tracker of ``source``; time, memory and a checksum."""
    import numpy as np

    keys = _tracker_module(source)
    if n > BIG:
        keys.return_freed_arrays()  # as validate does for a file of that many rows
    rng = np.random.default_rng(2026)
    before = _peak_mb()
    tracker = keys.DuplicateTracker()
    spent, repeats, checksum = 0.0, 0, 0
    for start in range(0, n, BATCH):
        key, rows = _batch(start, min(BATCH, n - start), rng)
        began = time.process_time()
        found, first = tracker.check_arrays(key, rows)
        spent += time.process_time() - began
        repeats += found.size
        checksum = (checksum * 1_000_003 + int(found.sum()) * 7 + int(first.sum())) % (1 << 61)
    return {
        "cpu_s": spent,
        "peak_mb": _peak_mb(),
        "before_mb": before,
        "repeats": repeats,
        "checksum": checksum,
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(source: str, n: int) -> dict[str, float]:
    """:func:`track` in a fresh process (its peak RSS is then the tracker's own)."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", source or "-", str(n)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", default="", help="a git revision to compare with")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        source, n = args.one
        print(json.dumps(track("" if source == "-" else source, int(n))))
        return
    sources = [args.against, ""] if args.against else [""]
    print(f"load average {os.getloadavg()[0]:.2f}; batches of {BATCH:,} keys")
    for n in args.keys:
        runs: dict[str, list[dict[str, float]]] = {s: [] for s in sources}
        for _ in range(args.repeat):
            for source in sources:  # interleaved: both see the same load
                runs[source].append(_measure(source, n))
        for source in sources:
            cpu = [r["cpu_s"] for r in runs[source]]
            last = runs[source][-1]
            print(
                f"{n:>11,} keys  {source or 'working copy':>12}: "
                f"{min(cpu):6.2f} s CPU (median {statistics.median(cpu):.2f}), "
                f"peak {max(r['peak_mb'] for r in runs[source]):4.0f} MB "
                f"(before tracking {last['before_mb']:.0f} MB), {int(last['repeats']):,} repeats"
            )
        sums = {r["checksum"] for s in sources for r in runs[s]}
        if len(sums) != 1:
            sys.exit(f"the trackers found different repeats for {n:,} keys")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
