"""``moisinno docs [--check]``: write (or check) each schema's documentation.md."""

from __future__ import annotations

import argparse

from moisinno_data.cli import options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="ne rien écrire ; échouer (code 1) si une documentation n'est pas à jour",
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.package.documentation import write_all

    stale = write_all(check=args.check)
    if args.check:
        for path in stale:
            print(f"Documentation périmée : {path} (lancez « moisinno docs »)")
        return 1 if stale else 0
    for path in stale:
        options.confirm(f"Écrit : {path}")
    if not stale:
        print("Toutes les documentations sont à jour.")
    return 0
