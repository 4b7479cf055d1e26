"""``moisinno consolidate``: merge contributed files into datasets/, every row accounted for."""

from __future__ import annotations

import argparse
import json
import sys

from moisinno_data.cli import options

DATE_ORDERS = {"dmy": "dmy", "mdy": "mdy", "jma": "dmy", "mja": "mdy"}
"""``--date-order``: English codes, and the French ones (jour/mois/année) kept as aliases."""


def add_date_order(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date-order",
        "--ordre-dates",
        dest="date_order",
        choices=sorted(DATE_ORDERS),
        help="lire les dates nn/nn/aaaa comme jour/mois (dmy, jma) ou mois/jour (mdy, mja)",
    )


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FICHIER",
        help="contributions (CSV, XLSX, ODS ; 11 millions de cellules au plus par lot)",
    )
    options.add_schema(parser, help="table visée (par défaut : d'après l'en-tête)")
    options.add_sheet(
        parser,
        help="feuille à lire dans chaque classeur XLSX, ODS donné (par défaut la première visible)",
    )
    parser.add_argument(
        "--contributor",
        "--contributeur",
        metavar="NOM",
        help="qui envoie ces fichiers (noté dans le journal privé prive/journal.csv, jamais publié)",
    )
    parser.add_argument("--dry-run", action="store_true", help="tout calculer, ne rien écrire")
    parser.add_argument(
        "--rejects",
        "--rejets",
        dest="rejects",
        metavar="DOSSIER",
        help="où écrire les lignes rejetées (par défaut prive/rejets/)",
    )
    parser.add_argument(
        "--received",
        "--date-reception",
        dest="received",
        metavar="AAAA-MM-JJ",
        help="date de réception (défaut : aujourd'hui)",
    )
    add_date_order(parser)
    options.add_format(parser)
    options.add_max(parser, 50, "lignes détaillées par fichier (texte)")


def run(args: argparse.Namespace) -> int:
    import datetime

    from moisinno_data.errors import InputError
    from moisinno_data.publishing.consolidate import ConsolidationRefused, consolidate, describe

    if args.received:
        try:
            datetime.date.fromisoformat(args.received)
        except ValueError:
            raise InputError(
                f"--received {args.received!r} : date attendue au format AAAA-MM-JJ.",
                en=f"--received {args.received!r}: a date in the form YYYY-MM-DD expected.",
            ) from None
    try:
        result = consolidate(
            args.files,
            table=args.schema,
            contributor=args.contributor,
            dry_run=args.dry_run,
            received=args.received,
            rejects_dir=args.rejects,
            date_order=DATE_ORDERS.get(args.date_order or ""),
            sheet=args.sheet,
        )
    except ConsolidationRefused as refusal:
        if args.format == "json":  # a reader of the JSON gets an object, the error as well
            print(json.dumps(refusal.to_dict(), ensure_ascii=False, indent=2))
        raise
    if args.format == "json":  # written as it is made: a row a few lines, a million rows
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        lang = getattr(args, "lang", "fr")
        print(result.conservation_line(lang), file=sys.stderr)  # the balance, on every run
    else:
        print(describe(result, max_rows=args.max, lang=getattr(args, "lang", "fr")))
    t = result.totals
    refused = any(f.file_errors for f in result.files)  # a file set aside whole, even empty
    unread = any(f.unread_sheets for f in result.files)  # rows sent, on a sheet not read
    return 1 if t["rejected"] or t["conflicting"] or refused or unread else 0
