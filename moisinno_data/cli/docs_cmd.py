"""``moisinno docs [--check]``: write (or check) each schema's documentation.md."""

from __future__ import annotations

import argparse

from moisinno_data.cli import options
from moisinno_data.package.text import in_lang

SAID = {
    "stale": {
        "fr": "Documentation périmée : {path} (lancez « moisinno docs »)",
        "en": "Documentation out of date: {path} (run “moisinno docs”)",
    },
    "written": {"fr": "Écrit : {path}", "en": "Written: {path}"},
    "current": {
        "fr": "Toutes les documentations sont à jour.",
        "en": "All documentation is up to date.",
    },
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="ne rien écrire ; échouer (code 1) si une documentation n'est pas à jour",
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.package.documentation import write_all

    lang = getattr(args, "lang", "fr")
    stale = write_all(check=args.check)
    if args.check:
        for path in stale:
            print(in_lang(SAID["stale"], lang).format(path=path))
        return 1 if stale else 0
    for path in stale:
        options.confirm(in_lang(SAID["written"], lang).format(path=path))
    if not stale:
        print(in_lang(SAID["current"], lang))
    return 0
