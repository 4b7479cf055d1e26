"""``moisinno fix``: write the canonical form of a contributed file and list every change."""

from __future__ import annotations

import argparse
import json

from moisinno_data.cli import options
from moisinno_data.cli.consolidate_cmd import DATE_ORDERS, add_date_order


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FICHIER", help="fichier reçu (CSV, XLSX, ODS)")
    options.add_schema(parser, help="table ou schema.json (par défaut : d'après l'en-tête)")
    options.add_output(
        parser, metavar="FICHIER.csv", help="fichier corrigé à écrire (jamais le fichier reçu)"
    )
    options.add_sheet(parser)
    add_date_order(parser)
    options.add_format(parser)
    # 200 per rule, as diff: a big file's listing used to run to 100,000 lines; the
    # JSON and the corrections file keep every change.
    options.add_max(parser, 200, "changements et valeurs à vérifier listés de chaque règle (texte)")


def run(args: argparse.Namespace) -> int:
    from moisinno_data.package.schemas import load_schema
    from moisinno_data.publishing.fix import describe, fix_file, words_for
    from moisinno_data.reading import first_rows, read_rows
    from moisinno_data.validation.resolution import HEADER_SEARCH_ROWS, detect_table

    options.check_output(args.output, args.force, [args.file])
    schema_name = args.schema
    if schema_name is None:
        table = read_rows(args.file, sheet=args.sheet)
        schema_name = detect_table(
            table.header,
            source=args.file,
            lang=args.lang,
            below=lambda: first_rows(table.path, table.detected, HEADER_SEARCH_ROWS),
            read=(table.path, table.detected),  # the table may be on another sheet
        ).name
    schema = load_schema(schema_name)
    result = fix_file(
        args.file,
        schema,
        args.output,
        sheet=args.sheet,
        date_order=DATE_ORDERS.get(args.date_order) if args.date_order else None,
    )
    words = words_for(args.lang)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        if args.output:
            options.confirm(words["file_written"].format(args.output), data_on_stdout=True)
    else:
        print(words["schema"].format(schema.get("name", schema_name)))
        print(describe(result, args.file, args.output, lang=args.lang, max_per_rule=args.max))
    return 1 if result.problem_count or result.errors_left or result.unread_sheets else 0
