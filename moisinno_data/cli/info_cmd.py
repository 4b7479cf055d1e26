"""``moisinno info``: what a version contains, in figures (events per edition, theme, region…)."""

from __future__ import annotations

import argparse
import json

from moisinno_data.cli import options


def add_version_source(parser: argparse.ArgumentParser, what: str) -> None:
    """``--version X.Y.Z`` and ``--source``: which version to read, and from where."""
    parser.add_argument(
        "--version",
        dest="data_version",
        metavar="X.Y.Z",
        help=f"version à {what} (défaut : l'état actuel du paquet de données)",
    )
    parser.add_argument(
        "--source",
        metavar="URL_OU_DOSSIER",
        help="où trouver la version : jeu de données udata, dépôt de versions, archive",
    )


def configure(parser: argparse.ArgumentParser) -> None:
    add_version_source(parser, "résumer")
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    from moisinno_data.loading import overview
    from moisinno_data.loading.frames import load_package
    from moisinno_data.loading.versions import origin_in

    pkg = load_package(args.data_version, args.source)
    origin = origin_in(pkg, args.lang)
    if not overview.is_own(pkg):  # a package made by ``moisinno init``: any subject
        tables = overview.summarize_tables(pkg)
        if args.format == "json":
            print(json.dumps(tables.to_dict(), ensure_ascii=False, indent=2, default=str))
        else:
            print(overview.render_tables_text(tables, args.lang, origin), end="")
        return 0
    summary = overview.summarize(pkg)
    if args.format == "json":
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(overview.render_text(summary, args.lang, origin), end="")
    return 0
