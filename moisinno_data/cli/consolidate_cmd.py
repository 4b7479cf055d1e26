"""``moisinno consolidate``: merge contributed files into datasets/, every row accounted for."""

from __future__ import annotations

import argparse
import json
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FICHIER", help="contributions (CSV, XLSX, ODS)"
    )
    parser.add_argument(
        "--table", metavar="NOM", help="table visée (par défaut : d'après l'en-tête)"
    )
    parser.add_argument(
        "--contributor",
        "--contributeur",
        metavar="NOM",
        help="qui envoie ces fichiers (noté dans le journal privé prive/journal.csv, jamais publié)",
    )
    parser.add_argument("--dry-run", action="store_true", help="tout calculer, ne rien écrire")
    parser.add_argument(
        "--rejets",
        "--rejects",
        dest="rejects",
        metavar="DOSSIER",
        help="où écrire les lignes rejetées (par défaut prive/rejets/)",
    )
    parser.add_argument("--date-reception", metavar="AAAA-MM-JJ", help="date de réception")
    parser.add_argument(
        "--ordre-dates", choices=("jma", "mja"), help="lire nn/nn/aaaa comme jour/mois ou mois/jour"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="sortie")
    parser.add_argument(
        "--max-lignes", type=int, default=50, help="lignes détaillées au plus par fichier (texte)"
    )


def run(args: argparse.Namespace) -> int:
    import datetime

    from moisinno_data.errors import InputError
    from moisinno_data.publishing.consolidate import consolidate, describe

    if args.date_reception:
        try:
            datetime.date.fromisoformat(args.date_reception)
        except ValueError:
            raise InputError(
                f"--date-reception {args.date_reception!r} : date attendue au format AAAA-MM-JJ."
            ) from None
    result = consolidate(
        args.files,
        table=args.table,
        contributor=args.contributor,
        dry_run=args.dry_run,
        received=args.date_reception,
        rejects_dir=args.rejects,
        date_order={"jma": "dmy", "mja": "mdy"}.get(args.ordre_dates or ""),
    )
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        print(result.conservation_line(), file=sys.stderr)  # the balance, on every run
    else:
        print(describe(result, max_rows=args.max_lignes))
    t = result.totals
    return 1 if t["rejected"] or t["conflicting"] else 0
