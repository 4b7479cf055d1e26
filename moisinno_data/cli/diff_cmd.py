"""``moisinno diff``: rows added, removed, changed (cell by cell) and schema changes."""

from __future__ import annotations

import argparse
import json

from moisinno_data.cli import options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="ANCIENNE", help="archive, dossier ou numéro de version")
    parser.add_argument("new", metavar="NOUVELLE", help="archive, dossier ou numéro de version")
    options.add_format(parser)
    options.add_max(parser, 200, "lignes détaillées (texte)")


def run(args: argparse.Namespace) -> int:
    from moisinno_data.publishing.diff import diff, render_text

    result = diff(args.old, args.new)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result, max_rows=args.max, lang=args.lang))
    return 0
