"""``moisinno init DIR --schema PATH_OR_URL…``: start a data package for any Table Schema(s)."""

from __future__ import annotations

import argparse
import sys

from moisinno_data.cli import options
from moisinno_data.package.text import in_lang


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder", metavar="DOSSIER", help="dossier du nouveau paquet (neuf ou vide)"
    )
    parser.add_argument(
        "--schema",
        "--table",
        dest="schemas",
        action="append",
        required=True,
        metavar="CHEMIN|URL",
        help="Table Schema d'une table (fichier ou adresse http(s)) ; répétez pour plusieurs",
    )
    parser.add_argument("--title", "--titre", dest="title", help="titre du jeu de données")
    parser.add_argument(
        "--licence",
        "--license",
        dest="licence",
        default="etalab-2.0",
        help="licence des données (défaut : etalab-2.0, la Licence Ouverte 2.0)",
    )
    parser.add_argument(
        "--publisher", "--editeur", dest="publisher", help="organisation qui publie les données"
    )
    options.add_format(parser)


CREATED = {
    "fr": "Paquet de données créé dans {folder} : {files} fichiers, table(s) {tables}. "
    "Suite : cd {cd} && moisinno consolidate FICHIER.csv",
    "en": "Data package created in {folder}: {files} files, table(s) {tables}. "
    "Next: cd {cd} && moisinno consolidate FILE.csv",
}
WARNING = {"fr": "Attention : ", "en": "Warning: "}


def run(args: argparse.Namespace) -> int:
    import json
    import shlex

    from moisinno_data.publishing.init import init_package

    result = init_package(
        args.folder,
        args.schemas,
        title=args.title,
        licence=args.licence,
        publisher=args.publisher,
    )
    lang = getattr(args, "lang", "fr")
    warnings = [fr if lang == "fr" else en for fr, en in result.warnings]
    if args.format == "json":
        data = {
            "root": str(result.root),
            "tables": result.tables,
            "written": [str(p.relative_to(result.root)) for p in result.written],
            "warnings": warnings,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    values = {
        "folder": args.folder,
        "files": len(result.written),
        "tables": ", ".join(result.tables),
        "cd": shlex.quote(str(args.folder)),
    }
    options.confirm(in_lang(CREATED, lang).format(**values))
    for text in warnings:
        print(in_lang(WARNING, lang) + text, file=sys.stderr, flush=True)
    return 0
