"""``moisinno demo``: validate, consolidate fictitious contributions, release, publish — on a copy."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workdir",
        default="demo",
        metavar="DOSSIER",
        help="dossier de travail (défaut : ./demo/, remplacé à chaque démo)",
    )
    parser.add_argument(
        "--no-publish",
        "--sans-publication",
        dest="no_publish",
        action="store_true",
        help="s'arrêter après la version",
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.demo import run_demo

    run_demo(args.workdir, publish=not args.no_publish, lang=getattr(args, "lang", "fr"))
    return 0
