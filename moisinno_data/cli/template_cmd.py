"""``moisinno template``: the Excel template of a table (header, notes, drop-downs, checks),
in the language of ``--lang``."""

from __future__ import annotations

import argparse

from moisinno_data.cli import options


def configure(parser: argparse.ArgumentParser) -> None:
    options.add_schema(
        parser,
        help="table du paquet de données ou chemin d'un schema.json (facultatif si le paquet "
        "n'a qu'une table)",
    )
    options.add_output(parser, required=True, metavar="FICHIER.xlsx", help="classeur à écrire")


WRITTEN = {
    "fr": "Modèle écrit : {target} ({fields} colonnes, {named}).",
    "en": "Template written: {target} ({fields} columns, {named}).",
}
NAMED = {
    "fr": ("schéma {}", "table {}"),
    "en": ("schema {}", "table {}"),
}
"""What the command says once the workbook is written, in each language of ``--lang``."""


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from moisinno_data.errors import ConfigError
    from moisinno_data.package.schemas import SchemaError, load_schema, resolve, table_names
    from moisinno_data.package.template import write_template
    from moisinno_data.package.text import in_lang

    target = Path(args.output)
    if target.suffix.lower() != ".xlsx":
        raise ConfigError(
            f"Le modèle est un classeur Excel : donnez un nom en .xlsx ({target}).",
            en=f"The template is an Excel workbook: give a name ending in .xlsx ({target}).",
        )
    if args.schema is None:
        tables = table_names()
        if len(tables) != 1:
            raise ConfigError(
                f"Précisez la table avec --schema (ce paquet en a {len(tables)} : "
                f"{', '.join(tables) or 'aucune'}).",
                en=f"Name the table with --schema (this package has {len(tables)}: "
                f"{', '.join(tables) or 'none'}).",
            )
        args.schema = tables[0]
    try:
        source = resolve(args.schema)
        options.check_output(target, args.force, [source])
        schema = load_schema(args.schema)
    except SchemaError as exc:
        raise ConfigError(str(exc), en=exc.en) from None
    # A schema may have no name (it is optional): the table's then names it.
    table = source.parent.name if source.name == "schema.json" else source.stem
    try:
        write_template(schema, target, table=table, lang=args.lang)
    except OSError as exc:
        raise ConfigError(
            f"Impossible d'écrire {target} : {exc.strerror or exc}.",
            en=f"Cannot write {target}: {exc.strerror or exc}.",
        ) from None
    fields = len(schema.get("fields", []))
    by_schema, by_table = in_lang(NAMED, args.lang)
    named = by_schema.format(schema["name"]) if schema.get("name") else by_table.format(table)
    options.confirm(in_lang(WRITTEN, args.lang).format(target=target, fields=fields, named=named))
    return 0
