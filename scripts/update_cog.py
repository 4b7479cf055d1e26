"""Refresh the INSEE COG reference files shipped in moisinno_data/reference/.

Source: the npm package @etalab/decoupage-administratif (MIT), one major version per COG
vintage (6.x = COG 2026). Run: ``python scripts/update_cog.py [--version 6.0.0]`` on a
machine with npm; it writes regions.json, departements.json and a compact communes.csv.gz
(code, nom, departement, region, type) so the validator works offline.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "moisinno_data" / "reference"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default="6.0.0")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        name = f"@etalab/decoupage-administratif@{args.version}"
        tgz = subprocess.run(
            ["npm", "pack", name], cwd=tmp, check=True, capture_output=True, text=True
        )
        with tarfile.open(Path(tmp) / tgz.stdout.strip().splitlines()[-1]) as tar:

            def load(member: str):
                return json.load(tar.extractfile(f"package/data/{member}"))

            regions, departements, communes = (
                load("regions.json"),
                load("departements.json"),
                load("communes.json"),
            )
    OUT.mkdir(parents=True, exist_ok=True)
    keep = ("code", "nom", "zone", "region", "chefLieu")
    (OUT / "regions.json").write_text(
        json.dumps(
            [{k: r[k] for k in keep if k in r} for r in regions], ensure_ascii=False, indent=0
        )
        + "\n",
        encoding="utf-8",
    )
    (OUT / "departements.json").write_text(
        json.dumps(
            [{k: d[k] for k in keep if k in d} for d in departements], ensure_ascii=False, indent=0
        )
        + "\n",
        encoding="utf-8",
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "nom", "departement", "region", "type"])
    for c in sorted(communes, key=lambda c: (c["code"], c["type"])):
        writer.writerow(
            [c["code"], c["nom"], c.get("departement", ""), c.get("region", ""), c["type"]]
        )
    # mtime=0 keeps the gzip byte-for-byte reproducible
    (OUT / "communes.csv.gz").write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), mtime=0))
    (OUT / "VERSION").write_text(
        f"@etalab/decoupage-administratif {args.version}\n", encoding="utf-8"
    )
    print(
        f"{len(regions)} régions, {len(departements)} départements, {len(communes)} communes -> {OUT}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
