"""``moisinno info``: what a version contains, in figures (events per edition, theme, region…)."""

from __future__ import annotations

import argparse
import json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        dest="data_version",
        metavar="X.Y.Z",
        help="version à résumer (défaut : les données installées avec le paquet)",
    )
    parser.add_argument(
        "--source",
        metavar="URL_OU_DOSSIER",
        help="où trouver la version : jeu de données udata, dépôt de versions, archive",
    )
    parser.add_argument("--json", action="store_true", help="sortie JSON")


def run(args: argparse.Namespace) -> int:
    from moisinno_data.loading.frames import load_package
    from moisinno_data.loading.overview import render_text, summarize

    summary = summarize(load_package(args.data_version, args.source))
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(summary), end="")
    return 0
