"""``moisinno fix``: write the canonical form of a contributed file and list every change."""

from __future__ import annotations

import argparse
import json

DATE_ORDERS = {"jma": "dmy", "mja": "mdy"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FICHIER", help="fichier reçu (CSV, XLSX, ODS)")
    parser.add_argument(
        "--schema",
        metavar="NOM|CHEMIN",
        help="table ou schema.json (par défaut : d'après l'en-tête)",
    )
    parser.add_argument(
        "-o", "--output", metavar="SORTIE", help="fichier corrigé à écrire (jamais le fichier reçu)"
    )
    parser.add_argument("--sheet", metavar="FEUILLE", help="feuille à lire (XLSX, ODS)")
    parser.add_argument(
        "--ordre-dates",
        choices=sorted(DATE_ORDERS),
        help="lire les dates nn/nn/aaaa comme jour/mois (jma) ou mois/jour (mja)",
    )
    parser.add_argument("--force", action="store_true", help="remplacer SORTIE si elle existe")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="sortie")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from moisinno_data.errors import InputError
    from moisinno_data.package.schemas import load_schema
    from moisinno_data.publishing.fix import describe, fix_file
    from moisinno_data.reading import read_rows
    from moisinno_data.validation.resolution import detect_table

    if args.output and Path(args.output).exists() and not args.force:
        if Path(args.output).resolve() == Path(args.file).resolve():
            raise InputError(
                f"Le fichier de sortie {args.output} est le fichier d'entrée : le fichier reçu "
                "n'est jamais remplacé ; choisissez un autre nom."
            )
        raise InputError(f"{args.output} existe déjà : choisissez un autre nom ou ajoutez --force.")
    schema_name = args.schema
    if schema_name is None:
        header = read_rows(args.file, sheet=args.sheet).header
        schema_name = detect_table(header, source=args.file).name
    schema = load_schema(schema_name)
    result = fix_file(
        args.file,
        schema,
        args.output,
        sheet=args.sheet,
        date_order=DATE_ORDERS.get(args.ordre_dates) if args.ordre_dates else None,
    )
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"Schéma : {schema.get('name', schema_name)}")
        print(describe(result, args.file, args.output))
    return 1 if result.problems or result.errors_left else 0
