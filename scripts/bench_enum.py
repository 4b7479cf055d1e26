"""Benchmark long ``enum`` lists: what a schema's list of 10⁴–10⁵ codes costs.

    python scripts/bench_enum.py [--rows 20000]

For each case, made-up files ("fictif" values, all in the list, in a temporary folder) of
a tenth of ``--rows`` and of ``--rows`` rows are handled in this process without the list,
with a tenth of it and with all of it, and two ratios printed: what the list costs before
the first row, for a list ten times longer (a list prepared in linear time: ≈ 10, target
≤ 15; the n² of a list searched for each of its values: ≈ 100), and what each row costs
with the list against without it (a list looked up: target ≤ 3; searched for each value:
in proportion to its length). Cases: validate with a 100,000-value integer list, validate
with a 36,500-date list in ``%d/%m/%Y`` (read by frictionless's own reader), fix with a
36,000-code text list whose codes lost their leading zero. Before 2026-12-03 these took
55 s, 9 s and 6.8 s for 20,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from moisinno_data.publishing.fix import fix_file
from moisinno_data.validation import validate


def _seconds(run, repeat: int = 3) -> float:
    """The median of ``repeat`` runs (one run varies by a tenth of a second here)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _files(rows: int, folder: Path, dates: list[str]) -> dict[str, Path]:
    out = {}
    for name, values in (
        ("entiers", (str(i % 100_000) for i in range(rows))),
        ("dates", (dates[i % len(dates)] for i in range(rows))),
        ("codes", (str(1000 + i % 36_000) for i in range(rows))),
    ):
        out[name] = folder / f"{name}-{rows}.csv"
        header = "code" if name == "codes" else "n"
        out[name].write_text(header + "\n" + "\n".join(values) + "\n", encoding="utf-8")
    return out


def _schema(kind: str, enum: list | None, name: str = "n", **more) -> dict:
    constraints = {"enum": enum} if enum is not None else {}
    field = {"name": name, "type": kind, **more, "constraints": constraints}
    return {"name": "liste-fictive", "fields": [field]}


def _dates() -> list[str]:
    """36,500 days from 1950, as ``%d/%m/%Y`` writes them."""
    days = (dt.date(1950, 1, 1) + dt.timedelta(days=i) for i in range(36_500))
    return [d.strftime("%d/%m/%Y") for d in days]


def _cases(folder: Path, dates: list[str]):
    """(name, file kind, run(path, enum), the whole list)."""
    yield (
        "validate, entiers, liste de 100 000",
        "entiers",
        lambda path, e: validate(path, schema=_schema("integer", e)),
        [str(i) for i in range(100_000)],
    )
    yield (
        "validate, dates %d/%m/%Y, liste de 36 500",
        "dates",
        lambda path, e: validate(path, schema=_schema("date", e, format="%d/%m/%Y")),
        dates,
    )
    yield (
        "fix, codes texte sans zéro initial, liste de 36 000",
        "codes",
        lambda path, e: fix_file(
            path, _schema("string", e, "code"), folder / f"corrige-{time.monotonic_ns()}.csv"
        ),
        [f"{1000 + i:05d}" for i in range(36_000)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dates = _dates()
        few, many = _files(args.rows // 10, folder, dates), _files(args.rows, folder, dates)
        for name, kind, run, enum in _cases(folder, dates):
            small, large = few[kind], many[kind]
            run(small, None)  # warm: imports and first compilations
            bare = _seconds(lambda r=run, p=small: r(p, None))
            part = enum[: len(enum) // 10]
            tenth = _seconds(lambda r=run, p=small, e=part: r(p, e))
            whole = _seconds(lambda r=run, p=small, e=enum: r(p, e))
            bare_large = _seconds(lambda r=run, p=large: r(p, None))
            whole_large = _seconds(lambda r=run, p=large, e=enum: r(p, e))
            growth = (whole - bare) / max(tenth - bare, 0.01)
            per_row = (whole_large - whole) / max(bare_large - bare, 0.01)
            print(
                f"{name} : {args.rows // 10} lignes sans liste {bare:.2f} s, avec un dixième "
                f"{tenth:.2f} s, avec toute {whole:.2f} s ; {args.rows} lignes sans liste "
                f"{bare_large:.2f} s, avec {whole_large:.2f} s\n"
                f"  préparation × {growth:.1f} pour une liste × 10 (objectif ≤ 15 : "
                f"{_met(growth <= 15)}) ; coût par ligne × {per_row:.1f} avec la liste "
                f"(objectif ≤ 3 : {_met(per_row <= 3)})"
            )


def _met(ok: bool) -> str:
    return "atteint" if ok else "non atteint"


if __name__ == "__main__":
    main()
