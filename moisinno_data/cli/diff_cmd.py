"""``moisinno diff``: rows added, removed, changed (cell by cell) and schema changes."""

from __future__ import annotations

import argparse
import json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="ANCIENNE", help="archive, dossier ou numéro de version")
    parser.add_argument("new", metavar="NOUVELLE", help="archive, dossier ou numéro de version")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="sortie")
    parser.add_argument(
        "--max-lignes", type=int, default=200, help="lignes détaillées au plus (texte)"
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.publishing.diff import diff, render_text

    result = diff(args.old, args.new)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result, max_rows=args.max_lignes))
    return 0
