"""``moisinno release``: cut the next version into the local release store."""

from __future__ import annotations

import argparse

from moisinno_data.cli import options
from moisinno_data.package.text import in_lang


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bump",
        choices=("auto", "major", "minor", "patch"),
        default="auto",
        help="niveau de version (auto : d'après les différences avec la version précédente)",
    )
    parser.add_argument("--dry-run", action="store_true", help="tout calculer, ne rien écrire")
    options.add_format(parser)


def _as_dict(result, lang: str) -> dict:
    return {
        "version": result.version,
        "previous": result.previous,
        "level": result.level,
        "reason": result.why(lang),
        "sha256": result.sha256,
        "archive": str(result.archive) if result.archive else None,
        "dry_run": result.dry_run,
        "regenerated": list(result.regenerated),
        "changelog": result.changelog_entry,
        "diff": result.diff.to_dict() if result.diff is not None else None,
    }


CITATION_UPDATED = {
    "fr": "{cff} mis à jour : version {version}, date de publication du jour.",
    "en": "{cff} updated: version {version}, published today.",
}


def run(args: argparse.Namespace) -> int:
    import json

    from moisinno_data.package import paths
    from moisinno_data.publishing.release import describe, release

    lang = getattr(args, "lang", "fr")
    result = release(args.bump, dry_run=args.dry_run)
    data_on_stdout = args.format == "json"
    if data_on_stdout:
        print(json.dumps(_as_dict(result, lang), ensure_ascii=False, indent=2))
    else:
        print(describe(result, lang))
    cff = paths.bundle_root() / "CITATION.cff"
    if result.version and not result.dry_run and cff.is_file():
        said = in_lang(CITATION_UPDATED, lang)
        options.confirm(said.format(cff=cff, version=result.version), data_on_stdout=data_on_stdout)
    return 0
