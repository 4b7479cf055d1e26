"""``moisinno validate FILE...``: one report per file; exit 0 valid, 1 invalid, 2 could not run."""

from __future__ import annotations

import argparse
import sys

BIG_REPORT = 5_000
"""Findings beyond which the JSON report is written compact rather than indented."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None
    if value < 1:
        raise argparse.ArgumentTypeError("nombre entier supérieur ou égal à 1 attendu")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FICHIER", help="CSV, XLSX ou ODS à valider")
    parser.add_argument(
        "--schema",
        metavar="NOM|CHEMIN",
        help="table embarquée (evenements, editions…) ou chemin d'un schema.json ; "
        "par défaut, la table dont les colonnes correspondent le mieux à l'en-tête",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "html"), default="text", help="format du rapport"
    )
    parser.add_argument(
        "--output", "-o", metavar="CHEMIN", help="écrire le rapport dans ce fichier"
    )
    parser.add_argument("--lang", choices=("fr", "en"), default="fr", help="langue des messages")
    parser.add_argument(
        "--sheet", metavar="FEUILLE", help="feuille d'un classeur (par défaut la première)"
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="s'arrêter après N erreurs (par défaut : toutes)",
    )
    parser.add_argument(
        "--max", type=_positive, metavar="N", help="afficher au plus N constats de chaque sorte"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="ne pas afficher la barre de progression"
    )


def _render(reports, fmt: str, lang: str, max_per_kind: int | None, color: bool) -> str:
    """Several reports → one output (a JSON list, one HTML page, texts one after another)."""
    try:
        from moisinno_data.report import render_many
    except ImportError:  # renderers not there: plain JSON / one line per finding
        render_many = None
    if fmt == "json" and sum(len(r.errors) + len(r.warnings) for r in reports) > BIG_REPORT:
        # Indented JSON goes through Python's slow encoder: for big reports (a national
        # consolidation, a benchmark) write it compact, which the C encoder does 10× faster.
        import json

        from moisinno_data.validation import localize

        for r in reports:
            localize(r, lang)
        data = [r.to_dict() for r in reports]
        return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False) + "\n"
    if render_many is not None:
        return render_many(reports, fmt, lang=lang, max_per_kind=max_per_kind, color=color)
    import json

    from moisinno_data.validation import localize

    for r in reports:
        localize(r, lang)
    if fmt == "json":
        payload = [r.to_dict() for r in reports]
        data = payload[0] if len(payload) == 1 else payload
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for r in reports:
        lines.append(f"{r.file} : {'valide' if r.valid else 'invalide'}")
        lines.extend(f"  {f.message}" for f in r.findings)
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from moisinno_data.errors import MoisinnoError
    from moisinno_data.fsutil import write_text
    from moisinno_data.validation import validate

    reports = []
    failed = False
    for name in args.files:
        try:
            reports.append(
                validate(
                    name,
                    args.schema,
                    lang=args.lang,
                    limit=args.limit,
                    sheet=args.sheet,
                    progress=False if args.no_progress else None,
                    messages=False,  # the renderer fills them in args.lang
                )
            )
        except MoisinnoError as exc:
            if len(args.files) == 1:
                raise
            print(f"Erreur : {exc}", file=sys.stderr)
            failed = True
    if not reports:
        return 2
    color = args.output is None and sys.stdout.isatty()
    text = _render(reports, args.format, args.lang, args.max, color)
    if args.output:
        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    if failed:
        return 2
    return 0 if all(r.valid for r in reports) else 1
