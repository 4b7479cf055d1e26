"""``moisinno template``: the Excel template of a table (header, notes, drop-downs, checks)."""

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


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from moisinno_data.errors import ConfigError
    from moisinno_data.package.schemas import SchemaError, load_schema, resolve, table_names
    from moisinno_data.package.template import write_template

    target = Path(args.output)
    if target.suffix.lower() != ".xlsx":
        raise ConfigError(f"Le modèle est un classeur Excel : donnez un nom en .xlsx ({target}).")
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
        raise ConfigError(str(exc)) from None
    # A schema may have no name (it is optional): the table's then names it.
    table = source.parent.name if source.name == "schema.json" else source.stem
    try:
        write_template(schema, target, table=table)
    except OSError as exc:
        raise ConfigError(f"Impossible d'écrire {target} : {exc.strerror or exc}.") from None
    fields = len(schema.get("fields", []))
    named = f"schéma {schema['name']}" if schema.get("name") else f"table {table}"
    options.confirm(f"Modèle écrit : {target} ({fields} colonnes, {named}).")
    return 0
