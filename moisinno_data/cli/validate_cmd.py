"""``moisinno validate FILE...``: one report per file; exit 0 valid, 1 invalid, 2 could not run."""

from __future__ import annotations

import argparse
import sys


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None
    if value < 1:
        raise argparse.ArgumentTypeError("nombre entier supérieur ou égal à 1 attendu")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FICHIER", help="CSV, XLSX ou ODS à valider")
    parser.add_argument(
        "--schema",
        metavar="NOM|CHEMIN",
        help="table embarquée (evenements, editions…) ou chemin d'un schema.json ; "
        "par défaut, la table dont les colonnes correspondent le mieux à l'en-tête",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "html"), default="text", help="format du rapport"
    )
    parser.add_argument(
        "--output", "-o", metavar="CHEMIN", help="écrire le rapport dans ce fichier"
    )
    parser.add_argument("--lang", choices=("fr", "en"), default="fr", help="langue des messages")
    parser.add_argument(
        "--sheet", metavar="FEUILLE", help="feuille d'un classeur (par défaut la première)"
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="s'arrêter après N erreurs (par défaut : toutes)",
    )
    parser.add_argument(
        "--max", type=_positive, metavar="N", help="afficher au plus N constats de chaque sorte"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="ne pas afficher la barre de progression"
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.errors import MoisinnoError
    from moisinno_data.fsutil import atomic_write
    from moisinno_data.report import write
    from moisinno_data.validation import validate

    reports = []
    failed = False
    for name in args.files:
        try:
            reports.append(
                validate(
                    name,
                    args.schema,
                    lang=args.lang,
                    limit=args.limit,
                    sheet=args.sheet,
                    progress=False if args.no_progress else None,
                    messages=False,  # the renderer fills them in args.lang
                )
            )
        except MoisinnoError as exc:
            if len(args.files) == 1:
                raise
            print(f"Erreur : {exc}", file=sys.stderr)
            failed = True
    if not reports:
        return 2
    color = args.output is None and sys.stdout.isatty()
    options = {"lang": args.lang, "max_per_kind": args.max, "color": color}
    if args.output:
        with atomic_write(args.output) as out:
            write(reports, out, args.format, **options)
    else:
        write(reports, sys.stdout, args.format, **options)
    if failed:
        return 2
    return 0 if all(r.valid for r in reports) else 1
