"""``moisinno release``: cut the next version into the local release store."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bump",
        choices=("auto", "major", "minor", "patch"),
        default="auto",
        help="niveau de version (auto : d'après les différences avec la version précédente)",
    )
    parser.add_argument("--dry-run", action="store_true", help="tout calculer, ne rien écrire")


def run(args: argparse.Namespace) -> int:
    from moisinno_data.publishing.release import describe, release

    result = release(args.bump, dry_run=args.dry_run)
    print(describe(result))
    return 0
