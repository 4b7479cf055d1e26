"""``moisinno schemas``: each table of the data package with title, version and fields."""

from __future__ import annotations

import argparse
import json

from moisinno_data.cli import options
from moisinno_data.package.text import in_lang, version_label

FIELDS = {"fr": "champs", "en": "fields"}


def configure(parser: argparse.ArgumentParser) -> None:
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    from moisinno_data.package.schemas import list_schemas

    infos = list_schemas()
    if args.format == "json":
        rows = [
            {
                "name": i.name,
                "title": i.title,
                "version": i.version,
                "fields": i.fields,
                "path": str(i.path),
            }
            for i in infos
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max((len(i.name) for i in infos), default=0)
    fields = in_lang(FIELDS, getattr(args, "lang", "fr"))
    for i in infos:
        print(f"{i.name:<{width}}  {version_label(i.version):<8} {i.fields:>3} {fields}  {i.title}")
    return 0
