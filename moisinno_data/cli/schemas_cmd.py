"""``moisinno schemas``: each bundled table with title, version and number of fields."""

from __future__ import annotations

import argparse
import json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="sortie JSON")


def run(args: argparse.Namespace) -> int:
    from moisinno_data.package.schemas import list_schemas

    infos = list_schemas()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": i.name,
                        "title": i.title,
                        "version": i.version,
                        "fields": i.fields,
                        "path": str(i.path),
                    }
                    for i in infos
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    width = max(len(i.name) for i in infos)
    for i in infos:
        print(f"{i.name:<{width}}  v{i.version:<7} {i.fields:>3} champs  {i.title}")
    return 0
