"""``moisinno template``: the Excel template of a table (header, notes, drop-downs, checks)."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--schema",
        required=True,
        metavar="NOM|CHEMIN",
        help="table embarquée (evenements, laboratoires…) ou chemin d'un schema.json",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FICHIER.xlsx", help="classeur à écrire"
    )
    parser.add_argument(
        "--force", action="store_true", help="remplacer le fichier s'il existe déjà"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from moisinno_data.errors import ConfigError
    from moisinno_data.package.schemas import SchemaError, load_schema
    from moisinno_data.package.template import write_template

    target = Path(args.output)
    if target.suffix.lower() != ".xlsx":
        raise ConfigError(f"Le modèle est un classeur Excel : donnez un nom en .xlsx ({target}).")
    if target.exists() and not args.force:
        raise ConfigError(f"{target} existe déjà ; ajoutez --force pour le remplacer.")
    try:
        schema = load_schema(args.schema)
    except SchemaError as exc:
        raise ConfigError(str(exc)) from None
    try:
        write_template(schema, target)
    except OSError as exc:
        raise ConfigError(f"Impossible d'écrire {target} : {exc.strerror or exc}.") from None
    fields = len(schema.get("fields", []))
    print(f"Modèle écrit : {target} ({fields} colonnes, schéma {schema.get('name', '?')}).")
    return 0
