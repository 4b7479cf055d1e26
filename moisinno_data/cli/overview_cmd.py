"""``moisinno overview -o FILE.html``: a self-contained page of charts for one version."""

from __future__ import annotations

import argparse

from moisinno_data.cli import options
from moisinno_data.cli.info_cmd import add_version_source


def configure(parser: argparse.ArgumentParser) -> None:
    options.add_output(parser, required=True, metavar="FICHIER.html", help="page HTML à écrire")
    add_version_source(parser, "représenter")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from moisinno_data.errors import MoisinnoError
    from moisinno_data.loading.frames import load_package
    from moisinno_data.loading.overview import OWN_TABLES, TEXT, is_own, summarize, write_html
    from moisinno_data.loading.versions import origin_in

    output = Path(args.output)
    options.check_output(output, args.force)
    if output.suffix.lower() not in (".html", ".htm"):
        raise MoisinnoError(
            f"{output} : le fichier de sortie doit se terminer par .html.",
            en=f"{output}: the output file must end in .html.",
        )
    pkg = load_package(args.data_version, args.source)
    if not is_own(pkg):
        raise MoisinnoError(
            "overview dessine la synthèse du Mois de l'innovation publique (tables "
            f"{', '.join(OWN_TABLES)}) ; ce paquet a les tables {', '.join(pkg.tables)} : "
            "« moisinno info » en donne les chiffres (lignes, valeurs des listes, dates).",
            en="overview draws the Mois de l'innovation publique's summary (tables "
            f"{', '.join(OWN_TABLES)}); this package has the tables {', '.join(pkg.tables)}: "
            '"moisinno info" gives its figures (rows, listed values, dates).',
        )
    summary = summarize(pkg)
    write_html(summary, output, args.lang, origin_in(pkg, args.lang))
    written = TEXT[args.lang]["page_written"]
    options.confirm(written.format(version=summary.version, path=output))
    return 0
