"""``moisinno versions``: the versions one can load — bundled, local store, cache, or a portal."""

from __future__ import annotations

import argparse
import json

from moisinno_data.cli import options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        metavar="URL_OU_DOSSIER",
        help="lister les versions publiées à cet endroit : jeu de données udata "
        "(https://www.data.gouv.fr/fr/datasets/…), dépôt de versions (URL ou dossier)",
    )
    options.add_format(parser)


NONE_PUBLISHED = {
    "fr": "Aucune version publiée sur {}.",
    "en": "No version published at {}.",
}


def run(args: argparse.Namespace) -> int:
    from moisinno_data.loading.versions import available, origin_in
    from moisinno_data.package.text import in_lang

    infos = available(args.source)
    if args.format == "json":
        rows = [
            {
                "version": i.version,
                "origin": i.origin,
                "sha256": i.sha256,
                "created": i.created,
            }
            for i in infos
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print(in_lang(NONE_PUBLISHED, args.lang).format(args.source))
        return 0
    width = max(len(i.version) for i in infos)
    for i in infos:
        sha = f"sha256 {i.sha256[:12]}…" if i.sha256 else "sha256 —"
        created = f"  {i.created[:10]}" if i.created else ""
        print(f"{i.version:<{width}}  {sha:<20}{created}  {origin_in(i, args.lang)}")
    return 0
