"""``moisinno overview -o FILE.html``: a self-contained page of charts for one version."""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", required=True, metavar="FICHIER.html", help="page HTML à écrire"
    )
    parser.add_argument(
        "--version",
        dest="data_version",
        metavar="X.Y.Z",
        help="version à représenter (défaut : les données installées avec le paquet)",
    )
    parser.add_argument(
        "--source",
        metavar="URL_OU_DOSSIER",
        help="où trouver la version : jeu de données udata, dépôt de versions, archive",
    )
    parser.add_argument(
        "--force", action="store_true", help="remplacer le fichier de sortie s'il existe déjà"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from moisinno_data.errors import MoisinnoError
    from moisinno_data.loading.frames import load_package
    from moisinno_data.loading.overview import summarize, write_html

    output = Path(args.output)
    if output.exists() and not args.force:
        raise MoisinnoError(
            f"{output} existe déjà : choisissez un autre nom ou ajoutez --force pour le remplacer."
        )
    if output.suffix.lower() not in (".html", ".htm"):
        raise MoisinnoError(f"{output} : le fichier de sortie doit se terminer par .html.")
    summary = summarize(load_package(args.data_version, args.source))
    write_html(summary, output)
    print(f"Synthèse de la version {summary.version} écrite dans {output}.", file=sys.stderr)
    return 0
