"""List, for a human reviewer, the rows of the published tables grouped by the page they cite.

    python scripts/check_sources.py                 # every table of datapackage.json
    python scripts/check_sources.py --table evenements

For each source page, one line with its address, then one line per row that cites it
(``table  key``). A reviewer opens each page once and checks the rows listed under it.
Nothing is fetched: the script only reads datapackage.json, the schemas and datasets/*.csv
(standard library only) and always exits 0; ``tests/test_sources.py`` holds the checks.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path


def find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "datapackage.json").is_file():
            return folder
    return Path(__file__).resolve().parent.parent


def primary_key(schema_path: Path) -> list[str]:
    pk = json.loads(schema_path.read_text(encoding="utf-8")).get("primaryKey") or []
    return [pk] if isinstance(pk, str) else list(pk)


def rows_by_source(root: Path, tables: list[str] | None) -> tuple[dict, int]:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    pages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    count = 0
    for resource in descriptor.get("resources", []):
        name = resource["name"]
        if tables and name not in tables:
            continue
        key_fields = primary_key(root / resource["schema"])
        with open(root / resource["path"], encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                count += 1
                key = "|".join(row.get(f, "") for f in key_fields) or "?"
                sources = [s for s in (row.get("sources") or "").split(";") if s]
                for page in sources or ["(aucune source)"]:
                    pages[page].append((name, key))
    return pages, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="append", help="table à lister (répétable)")
    parser.add_argument("--root", type=Path, default=None, help="dossier du paquet de données")
    args = parser.parse_args(argv)
    root = args.root or find_root(Path.cwd())
    pages, count = rows_by_source(root, args.table)
    try:
        for page in sorted(pages):
            print(page)
            for table, key in pages[page]:
                print(f"  {table}  {key}")
    except BrokenPipeError:  # piped into head or less and closed early
        sys.stdout = None
        return 0
    print(f"{count} ligne(s), {len(pages)} page(s) source.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
