"""Benchmark ``moisinno validate`` against frictionless on a synthetic events file.

    python scripts/bench_validate.py [--rows N] [--error-rate 0.01] [--keep DIR]

Generates an 18-column events file (N rows, about 1% mixed errors: wrong types, values
outside enumerations, duplicate keys, missing values, ragged rows) in a temporary
folder, validates it with frictionless (error limit lifted) and with ``moisinno validate``
in the same run — each in its own process so peak RSS is measured per tool — checks that
the standard findings (code, row, field) are identical, and prints the time ratio and
each tool's peak RSS. The rows are made up ("fictif") and never leave the temp folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
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


def generate(path: Path, rows: int, *, error_rate: float = 0.01, seed: int = 20201117) -> None:
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(rows):
            row = _good_row(i, rnd)
            if rnd.random() < error_rate:
                row = _spoil(row, i, rnd)
            writer.writerow(row)


def normalise(code: str, row: int | None, field: str | None) -> tuple:
    """Compare like with like: frictionless gives no field to row-level codes."""
    if code in ROW_LEVEL:
        field = None
    if code in LABEL_LEVEL:
        row = None
    return (code, row, field or None)


def _child(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter: (seconds, peak RSS in MB, stdout).

    ``os.wait4`` gives the resource usage of that one child, so each tool's peak RSS is
    its own (``RUSAGE_CHILDREN`` would mix them).
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
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

MOISINNO = """
import json, sys
from moisinno_data.cli import main
sys.argv = ["moisinno"]
code = main(["validate", {csv!r}, "--schema", {schema!r}, "--format", "json",
             "--output", {out!r}, "--no-progress"])
print(code)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--error-rate", type=float, default=0.01)
    parser.add_argument("--keep", type=Path, help="garder les fichiers dans ce dossier")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        data = folder / "evenements-synthetiques.csv"
        schema = folder / "schema-18-colonnes.json"
        report = folder / "rapport.json"
        schema.write_text(json.dumps(bench_schema(), ensure_ascii=False), encoding="utf-8")
        t = time.perf_counter()
        generate(data, args.rows, error_rate=args.error_rate)
        # Write the new file out before timing anything: otherwise the kernel flushes its
        # 200 MB of dirty pages during the first tool's run, and only that tool pays.
        os.sync()
        size = data.stat().st_size / 2**20
        print(
            f"fichier : {args.rows} lignes × {len(COLUMNS)} colonnes, {size:.0f} Mo "
            f"(généré en {time.perf_counter() - t:.1f} s)"
        )

        ours_s, ours_rss, _ = _child(
            MOISINNO.format(csv=str(data), schema=str(schema), out=str(report))
        )
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
        identical = ours == theirs
        print(
            f"frictionless : {ref_s:7.2f} s, RSS max {ref_rss:6.0f} Mo, "
            f"{sum(theirs.values())} erreurs"
        )
        print(
            f"moisinno     : {ours_s:7.2f} s, RSS max {ours_rss:6.0f} Mo, "
            f"{sum(ours.values())} erreurs"
        )
        ratio = ref_s / ours_s
        print(
            f"rapport de vitesse : {ratio:.1f}× (objectif ≥ 40× : "
            f"{'atteint' if ratio >= 40 else 'non atteint'})"
        )
        print(
            f"mémoire de moisinno : {ours_rss:.0f} Mo (objectif ≤ 400 Mo : "
            f"{'atteint' if ours_rss <= 400 else 'non atteint'})"
        )
        print(f"constats identiques : {'oui' if identical else 'NON'}")
        if not identical:
            only_ours = ours - theirs
            only_theirs = theirs - ours
            print("  seulement moisinno :", list(only_ours.items())[:10])
            print("  seulement frictionless :", list(only_theirs.items())[:10])
        return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
