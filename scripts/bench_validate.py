"""Benchmark ``moisinno validate`` against its reader and frictionless, synthetic events.

    python scripts/bench_validate.py [--rows N] [--repeat 3] [--scale] [--small]
                                     [--distinct] [--no-frictionless] [--error-rate 0.01]
                                     [--keep DIR]

Generates an 18-column events file (N rows, about 1% mixed errors: wrong types, values
outside enumerations, duplicate keys, missing values, ragged rows) and an *error-dense*
one (every row fails an ``enum`` and a ``pattern``) in a temporary folder. For each, in
the same run and each in its own process (so time and peak RSS are the tool's own):

- ``moisinno validate --format json`` (the whole process, report written), and reading the
  same file as strings with polars (``pl.read_csv(…, infer_schema=False)``; ragged rows
  truncated, since polars refuses them otherwise), in interleaved pairs: the medians give
  the *ratio to reading* (target ≤ 1.5);
- frictionless (error limit lifted) once: the speed ratio (target ≥ 40) and a check that
  the standard findings (code, row, field) are identical.

It prints the error-dense case's ratio to the clean one (target ≤ 3) and to frictionless.
For the clean file it also times a *floor*: the same validation with a schema of 18
unconstrained text columns (no type, constraint nor key to check), so that what reading
and the engine's frame cost and what the checks cost can be told apart.
``--scale`` runs moisinno alone on 100k, 1M and 10M rows and prints time and peak memory
for each (time should grow linearly, memory stay flat but for ~12 bytes per distinct key).
``--small`` times start-up: ``moisinno validate`` on 1,000 rows (target < 0.5 s) and
``moisinno --help`` (target < 0.15 s), medians of 5 whole-process runs. ``--distinct``
times the clean file and one whose rows are each wrong in their own way (no repeated
message or hint to share), and prints their ratio.
The machine is often shared: the load average is printed with the figures. The rows are
made up ("fictif") and never leave the temp folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from moisinno_data.validation.report import FRICTIONLESS_CODES

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = [
    "id",
    "edition",
    "titre",
    "date",
    "date_debut",
    "date_fin",
    "format",
    "modalite",
    "thematiques",
    "organisateur_type",
    "organisateur_siret",
    "region",
    "departement",
    "commune",
    "latitude",
    "longitude",
    "gratuit",
    "nombre_participants",
]
FORMATS = ["webinaire", "atelier", "conference", "table-ronde", "visite", "formation"]
PLACES = [
    ("75", "33", "33063"),
    ("11", "75", "75056"),
    ("53", "35", "35238"),
    ("84", "69", "69123"),
]
STANDARD = FRICTIONLESS_CODES
ROW_LEVEL = {"primary-key", "foreign-key", "blank-row", "extra-cell"}
LABEL_LEVEL = {"missing-label", "extra-label", "duplicate-label", "blank-label", "incorrect-label"}


def bench_schema() -> dict:
    """The bundled events schema cut down to the 18 benchmark columns (no business rules)."""
    schema = json.loads((ROOT / "schemas/evenements/schema.json").read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] in COLUMNS]
    from moisinno_data.package.datapackage import foreign_keys  # keys live in datapackage.json

    schema["foreignKeys"] = [
        fk for fk in foreign_keys("evenements", ROOT) if fk["fields"] in COLUMNS
    ]
    schema.pop("custom_checks", None)
    return schema


def floor_schema() -> dict:
    """The benchmark's columns as text with no constraint: what is left is reading the file,
    the ragged rows and the report (its own name: the package's foreign keys stay out)."""
    return {"name": "plancher-fictif", "fields": [{"name": c, "type": "string"} for c in COLUMNS]}


def _good_row(i: int, rnd: random.Random) -> list[str]:
    region, dep, com = PLACES[i % len(PLACES)]
    edition = 2020 + i % 5
    day = 2 + i % 27
    return [
        f"{edition}-evenement-fictif-{i}",
        str(edition),
        f"Atelier fictif numéro {i}",
        f"{edition}-11-{day:02d}",
        f"{edition}-11-{day:02d}T10:00:00+01:00",
        f"{edition}-11-{day:02d}T11:30:00+01:00",
        FORMATS[i % len(FORMATS)],
        ("en-ligne", "presentiel", "hybride")[i % 3],
        ("design", "numerique;design", "relation-usager")[i % 3],
        "service-deconcentre",
        "12345678200010" if i % 7 == 0 else "",
        region,
        dep,
        com,
        f"{44 + rnd.random():.4f}",
        f"{-0.5 - rnd.random():.4f}",
        ("true", "false", "")[i % 3],
        str(rnd.randrange(0, 500)),
    ]


def _spoil(row: list[str], i: int, rnd: random.Random) -> list[str] | None:
    """One error of a random kind; None means "write a blank line"."""
    kind = rnd.randrange(9)
    row = list(row)
    if kind == 0:
        row[1] = "deux-mille-vingt"  # type-error (integer)
    elif kind == 1:
        row[6] = "Webinaire "  # enum miss
    elif kind == 2:
        row[0] = f"2020-evenement-fictif-{max(0, i - 1 - rnd.randrange(50))}"  # duplicate key
    elif kind == 3:
        row[2] = ""  # required value missing
    elif kind == 4:
        row = row[: rnd.randrange(3, 17)]  # short row
    elif kind == 5:
        row = [*row, "cellule en trop"]  # long row
    elif kind == 6:
        row[3] = f"{2 + i % 27:02d}/11/2020"  # French date
    elif kind == 7:
        row[14] = row[14].replace(".", ",")  # decimal comma
    else:
        row[16] = "oui"  # French boolean
    return row


def generate(
    path: Path,
    rows: int,
    *,
    error_rate: float = 0.01,
    seed: int = 20201117,
    dense: bool = False,
    distinct: bool = False,
) -> None:
    """The benchmark file; ``dense``: every row fails the ``format`` list and the
    ``thematiques`` pattern (a few wrong spellings, as real error-dense files repeat);
    ``distinct``: every row fails the ``format`` list and the ``id`` pattern, the latter
    with its own value (``2020-Evenement-Fictif-17``), as in a register where each row is
    wrong in its own way."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(rows):
            row = _good_row(i, rnd)
            if dense or distinct:
                row[6] = ("Webinaire ", "Atelier", "conférence")[i % 3]
            if dense:
                row[8] = ("Design", "numérique;design", "relation usager")[i % 3]
            elif distinct:
                row[0] = row[0].replace("evenement", "Evenement")
            elif rnd.random() < error_rate:
                row = _spoil(row, i, rnd)
            writer.writerow(row)


def normalise(code: str, row: int | None, field: str | None) -> tuple:
    """Compare like with like: frictionless gives no field to row-level codes."""
    if code in ROW_LEVEL:
        field = None
    if code in LABEL_LEVEL:
        row = None
    return (code, row, field or None)


CPU: dict[str, list[float]] = {}
"""CPU seconds (user + system) of each child, by the first line of its code: on a shared
machine, what each tool cost is clearer than its wall time."""


def _child(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter: (seconds, peak RSS in MB, stdout).

    ``os.wait4`` gives the resource usage of that one child, so each tool's peak RSS (and
    CPU time, noted in :data:`CPU`) is its own (``RUSAGE_CHILDREN`` would mix them).
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        CPU.setdefault(code.strip().splitlines()[0], []).append(usage.ru_utime + usage.ru_stime)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode not in (0, 1) or not stdout.strip():
        sys.exit(f"échec du sous-processus :\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, stdout


FRICTIONLESS = """
import json, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from frictionless_ref import findings
out = findings("evenements", Path({csv!r}), Path({schema!r}))
print(json.dumps(out))
"""

# The whole ``moisinno`` process, as ``python -m moisinno_data`` runs it (``entry``
# flushes and leaves without the interpreter's teardown).
MOISINNO = """
import sys
from moisinno_data.cli import entry
sys.argv = ["moisinno", "validate", {csv!r}, "--schema", {schema!r}, "--format", "json",
            "--output", {out!r}, "--no-progress", "--force"]
print("ok", flush=True)
entry()
"""

READING = """
import polars as pl
frame = pl.read_csv({csv!r}, infer_schema=False, truncate_ragged_lines=True)
print(frame.height)
"""


def _load() -> str:
    return "charge moyenne {:.1f} / {:.1f} / {:.1f} (1, 5, 15 min)".format(*os.getloadavg())


def _paired(data: Path, schema: Path, report: Path, repeat: int) -> dict:
    """moisinno and the polars reader in interleaved pairs: medians and peak RSS."""
    ours, reads, ours_rss, read_rss = [], [], 0.0, 0.0
    for _ in range(repeat):
        seconds, rss, _ = _child(READING.format(csv=str(data)))
        reads.append(seconds)
        read_rss = max(read_rss, rss)
        # The last run's report goes first, untimed. Replaced instead, a 1.35 GB report
        # made the kernel find 1.35 GB of fresh pages while the old ones were still held:
        # 0.5 to 4 s of system time on this VM, for the same validation.
        report.unlink(missing_ok=True)
        seconds, rss, _ = _child(
            MOISINNO.format(csv=str(data), schema=str(schema), out=str(report))
        )
        ours.append(seconds)
        ours_rss = max(ours_rss, rss)
    return {
        "ours": statistics.median(ours),
        "read": statistics.median(reads),
        "ours_rss": ours_rss,
        "read_rss": read_rss,
        "ours_all": ours,
        "read_all": reads,
    }


def _compare(data: Path, schema: Path, report: Path) -> tuple[float, float, bool, str]:
    """frictionless once: (seconds, peak RSS, identical findings?, a note on the gaps)."""
    ref_s, ref_rss, ref_out = _child(
        FRICTIONLESS.format(tests=str(ROOT / "tests"), csv=str(data), schema=str(schema))
    )
    ours_json = json.loads(report.read_text(encoding="utf-8"))
    ours = Counter(
        normalise(f["code"], f["row"], f["field"])
        for f in ours_json["errors"]
        if f["code"] in STANDARD
    )
    theirs = Counter(normalise(*f) for f in json.loads(ref_out))
    note = f"{sum(ours.values())} erreurs"
    if ours != theirs:
        note += f" ; seulement moisinno : {list((ours - theirs).items())[:5]}"
        note += f" ; seulement frictionless : {list((theirs - ours).items())[:5]}"
    return ref_s, ref_rss, ours == theirs, note


def _case(name: str, data: Path, schema: Path, args: argparse.Namespace) -> dict:
    report = data.with_suffix(".rapport.json")
    result = _paired(data, schema, report, args.repeat)
    ratio = result["ours"] / result["read"]
    runs = ", ".join(
        f"{a:.2f}/{b:.2f}" for a, b in zip(result["ours_all"], result["read_all"], strict=True)
    )
    print(f"[{name}] {_load()}")
    print(
        f"  moisinno : {result['ours']:6.2f} s (médiane), RSS max {result['ours_rss']:5.0f} Mo ; "
        f"lecture polars : {result['read']:6.2f} s, RSS max {result['read_rss']:5.0f} Mo"
    )
    print(f"  paires moisinno/lecture : {runs}")
    cpu_ours = statistics.median(CPU.pop(MOISINNO.strip().splitlines()[0]))
    cpu_read = statistics.median(CPU.pop(READING.strip().splitlines()[0]))
    print(
        f"  temps processeur (utilisateur + système, médianes) : moisinno {cpu_ours:.2f} s, "
        f"lecture {cpu_read:.2f} s ({cpu_ours / cpu_read:.2f}×)"
    )
    print(f"  rapport JSON écrit : {report.stat().st_size / 2**20:.0f} Mo")
    print(f"  rapport à la lecture : {ratio:.2f}× (objectif ≤ 1,5 : {_met(ratio <= 1.5)})")
    if args.floor is not None:
        floor = _paired(data, args.floor, data.with_suffix(".plancher.json"), args.repeat)
        CPU.clear()
        print(
            f"  plancher (18 colonnes texte sans contrainte) : {floor['ours']:.2f} s, "
            f"{floor['ours'] / floor['read']:.2f}× sa lecture ; les contrôles ajoutent "
            f"{result['ours'] - floor['ours']:.2f} s"
        )
    if not args.no_frictionless:
        ref_s, ref_rss, identical, note = _compare(data, schema, report)
        speed = ref_s / result["ours"]
        result.update(ref=ref_s, identical=identical)
        print(f"  frictionless : {ref_s:7.2f} s, RSS max {ref_rss:5.0f} Mo ; {note}")
        print(f"  rapport de vitesse : {speed:.1f}× (objectif ≥ 40 : {_met(speed >= 40)})")
        print(f"  constats identiques : {'oui' if identical else 'NON'}")
    return result


def _met(ok: bool) -> str:
    return "atteint" if ok else "non atteint"


def _scale(folder: Path, schema: Path, args: argparse.Namespace) -> None:
    """moisinno alone on 100k, 1M and 10M rows: time and peak memory for each."""
    previous = None
    for rows in (100_000, 1_000_000, 10_000_000):
        data = folder / f"evenements-{rows}.csv"
        generate(data, rows, error_rate=args.error_rate)
        os.sync()
        report = data.with_suffix(".rapport.json")
        runs = [
            _child(MOISINNO.format(csv=str(data), schema=str(schema), out=str(report)))
            for _ in range(args.repeat if rows < 10_000_000 else 1)
        ]
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        growth = f", × {seconds / previous:.1f} pour × 10 lignes" if previous else ""
        print(f"{rows:>10} lignes : {seconds:7.2f} s, RSS max {rss:5.0f} Mo{growth} — {_load()}")
        previous = seconds
        data.unlink()
        report.unlink(missing_ok=True)


HELP = """
import sys
from moisinno_data.cli import entry
sys.argv = ["moisinno", "--help"]
entry()
"""

SMALL_ROWS = 1_000
SMALL_TARGETS = {"validate": 0.5, "--help": 0.15}
"""Whole-process seconds a steward should wait at most on a small file, and for the help."""


def _small(folder: Path, schema: Path, repeat: int = 5) -> None:
    """Start-up dominates a small file: the median whole-process time of ``moisinno
    validate`` on 1,000 rows, and of ``moisinno --help``, against their targets."""
    data = folder / "evenements-petit.csv"
    generate(data, SMALL_ROWS)
    os.sync()
    report = data.with_suffix(".rapport.json")
    codes = {
        "validate": MOISINNO.format(csv=str(data), schema=str(schema), out=str(report)),
        "--help": HELP,
    }
    print(f"petit fichier : {SMALL_ROWS} lignes × {len(COLUMNS)} colonnes — {_load()}")
    for name, code in codes.items():
        runs = [_child(code)[0] for _ in range(repeat)]
        seconds, target = statistics.median(runs), SMALL_TARGETS[name]
        listed = ", ".join(f"{r:.2f}" for r in runs)
        print(
            f"  moisinno {name} : {seconds:.3f} s (médiane de {repeat} : {listed}) ; "
            f"objectif < {target} s : {_met(seconds < target)}"
        )


def _distinct(folder: Path, schema: Path, args: argparse.Namespace) -> None:
    """The clean file, then one where every row's ``id`` fails its pattern with a value of
    its own: each finding's message and hint are then written once each (no repeats to
    share them), the error-dense case that costs most."""
    args.floor, args.no_frictionless = None, True
    results = {}
    for name, distinct in (("propre", False), ("dense, erreurs toutes différentes", True)):
        data = folder / f"evenements-{'distinct' if distinct else 'propre'}.csv"
        generate(data, args.rows, error_rate=args.error_rate, distinct=distinct)
        os.sync()
        results[name] = _case(name, data, schema, args)
    ratio = results["dense, erreurs toutes différentes"]["ours"] / results["propre"]["ours"]
    print(f"dense (erreurs toutes différentes) / propre (moisinno) : {ratio:.1f}×")


def _fresh_bytecode() -> None:
    """Compile the package's bytecode before timing, as a wheel's install does: a source
    file edited since ``scripts/setup.sh`` would otherwise be compiled again by every run
    when ``PYTHONDONTWRITEBYTECODE`` is set (about 80 ms each, which is no cost of the
    tool a user installs)."""
    import compileall

    compileall.compile_dir(ROOT / "moisinno_data", quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--error-rate", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3, help="paires mesurées (médiane)")
    parser.add_argument("--scale", action="store_true", help="100k, 1M et 10M lignes")
    parser.add_argument("--small", action="store_true", help="démarrage : 1 000 lignes et --help")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="propre, puis dense en erreurs toutes différentes (sans frictionless)",
    )
    parser.add_argument("--no-frictionless", action="store_true")
    parser.add_argument("--keep", type=Path, help="garder les fichiers dans ce dossier")
    args = parser.parse_args(argv)
    _fresh_bytecode()

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        schema = folder / "schema-18-colonnes.json"
        schema.write_text(json.dumps(bench_schema(), ensure_ascii=False), encoding="utf-8")
        if args.scale:
            _scale(folder, schema, args)
            return 0
        if args.small:
            _small(folder, schema)
            return 0
        if args.distinct:
            _distinct(folder, schema, args)
            return 0
        results = {}
        floor = folder / "schema-plancher.json"
        floor.write_text(json.dumps(floor_schema()), encoding="utf-8")
        for name, dense in (("propre", False), ("dense en erreurs", True)):
            args.floor = None if dense else floor
            data = folder / f"evenements-{'dense' if dense else 'propre'}.csv"
            t = time.perf_counter()
            generate(data, args.rows, error_rate=args.error_rate, dense=dense)
            # Write the new file out before timing anything: otherwise the kernel flushes
            # its dirty pages during the first tool's run, and only that tool pays.
            os.sync()
            size = data.stat().st_size / 2**20
            print(
                f"fichier {name} : {args.rows} lignes × {len(COLUMNS)} colonnes, {size:.0f} Mo "
                f"(généré en {time.perf_counter() - t:.1f} s)"
            )
            results[name] = _case(name, data, schema, args)
        clean, dense = results["propre"], results["dense en erreurs"]
        ratio = dense["ours"] / clean["ours"]
        print(f"dense / propre (moisinno) : {ratio:.2f}× (objectif ≤ 3 : {_met(ratio <= 3)})")
        if "ref" in dense:
            print(f"dense : {dense['ref'] / dense['ours']:.1f}× plus rapide que frictionless")
        return 0 if all(r.get("identical", True) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
