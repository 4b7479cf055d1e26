"""``moisinno docs [--check]``: write (or check) each schema's documentation.md; ``--check``,
what a package's CI runs before a release, also checks what the portal will get of
datapackage.json (``spatial``, ``catalogSchema``), as ``moisinno release`` does."""

from __future__ import annotations

import argparse

from moisinno_data.cli import options
from moisinno_data.package.text import Said, in_lang

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

BEFORE_RELEASE = Said(
    "Corrigez datapackage.json avant de couper une version (moisinno release).",
    "Mend datapackage.json before cutting a version (moisinno release).",
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="ne rien écrire ; échouer (code 1) si une documentation n'est pas à jour, "
        "(code 2) si « spatial » ou « catalogSchema » de datapackage.json serait refusé",
    )


def run(args: argparse.Namespace) -> int:
    from moisinno_data.package.documentation import write_all

    lang = getattr(args, "lang", "fr")
    stale = write_all(check=args.check)
    if args.check:
        from moisinno_data.package import paths, portal_metadata

        for path in stale:
            print(in_lang(SAID["stale"], lang).format(path=path))
        portal_metadata.check_folder(paths.bundle_root(), BEFORE_RELEASE)
        return 1 if stale else 0
    for path in stale:
        options.confirm(in_lang(SAID["written"], lang).format(path=path))
    if not stale:
        print(in_lang(SAID["current"], lang))
    return 0
