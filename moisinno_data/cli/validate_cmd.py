"""``moisinno validate FILE...``: one report per file; exit 0 valid, 1 invalid, 2 could not run."""

from __future__ import annotations

import argparse
import sys

from moisinno_data.cli import options

SHOWN_PER_KIND = 200
"""Findings of each kind a text or HTML report lists unless ``--max`` says otherwise (the
counts stay exact, JSON lists them all), as the web page, ``fix`` and ``diff`` do: an 8 MB
file where every cell is wrong (1.4 million findings) made a text of 330 MB, in 19 s and
3 GB of memory."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FICHIER", help="CSV, XLSX ou ODS à valider")
    options.add_schema(
        parser,
        help="table du paquet de données (« moisinno schemas » les liste) ou chemin d'un "
        "schema.json ; par défaut, la table dont les colonnes correspondent le mieux à l'en-tête",
    )
    options.add_format(parser, ("text", "json", "html"))
    options.add_output(parser, metavar="FICHIER", help="écrire le rapport dans ce fichier")
    options.add_sheet(parser)
    parser.add_argument(
        "--limit",
        "--limite",
        dest="limit",
        type=options.positive_int,
        metavar="N",
        help="s'arrêter après N erreurs (par défaut : toutes)",
    )
    options.add_max(
        parser,
        None,
        "constats affichés de chaque sorte",
        f"{SHOWN_PER_KIND} en texte et en HTML ; le JSON les donne tous",
    )
    parser.add_argument(
        "--no-progress",
        "--sans-progression",
        dest="no_progress",
        action="store_true",
        help="ne pas afficher la barre de progression",
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.errors import MoisinnoError
    from moisinno_data.fsutil import atomic_write, is_special
    from moisinno_data.report import write
    from moisinno_data.validation import validate

    options.check_output(args.output, args.force, args.files)
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
            prefix = "Error: " if args.lang == "en" else "Erreur : "
            print(f"{prefix}{exc.text(args.lang)}", file=sys.stderr)
            failed = True
    if not reports:
        return 2
    color = args.output is None and sys.stdout.isatty()
    shown = args.max if args.max is not None or args.format == "json" else SHOWN_PER_KIND
    rendering = {"lang": args.lang, "max_per_kind": shown, "color": color}
    if args.output:  # written as it is rendered: a big JSON report is never whole in memory
        with atomic_write(args.output, durable=False) as out:
            write(reports, out, args.format, **rendering)
        what = "Report" if args.lang == "en" else "Rapport"
        verb = "written to" if args.lang == "en" else "écrit dans"
        # Written to a device (``-o /dev/stdout``): the confirmation must not follow the data.
        device = is_special(args.output)
        options.confirm(f"{what} {args.format} {verb} {args.output}.", data_on_stdout=device)
    else:
        write(reports, sys.stdout, args.format, **rendering)
    if failed:
        return 2
    return 0 if all(r.valid for r in reports) else 1
