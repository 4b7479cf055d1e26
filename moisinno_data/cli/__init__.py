"""The ``moisinno`` command: a thin layer that parses arguments and calls the library.

Start-up must stay fast (``moisinno --help`` ≤ 0.15 s), so this module imports nothing
heavy: each command lives in its own module, listed in :data:`COMMANDS`, and is imported
only when it is the one being run. A command module exposes ``configure(parser)`` and
``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

from moisinno_data.__about__ import __version__
from moisinno_data.cli import options

# name -> (module, one-line help). Order is the order shown by --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init_cmd", "créer un paquet de données pour un ou plusieurs Table Schemas"),
    "schemas": ("schemas_cmd", "lister les schémas de tables du paquet de données"),
    "docs": ("docs_cmd", "générer la documentation des schémas (documentation.md)"),
    "validate": ("validate_cmd", "valider des fichiers (CSV, XLSX, ODS) contre un schéma"),
    "template": ("template_cmd", "produire le modèle Excel d'une table"),
    "fix": ("fix_cmd", "mettre un fichier sous forme canonique en listant chaque changement"),
    "consolidate": ("consolidate_cmd", "fusionner des contributions dans datasets/"),
    "diff": ("diff_cmd", "comparer deux versions publiées"),
    "release": ("release_cmd", "publier une nouvelle version dans le dépôt local"),
    "publish": ("publish_cmd", "publier une version sur un portail (dossier local, data.gouv.fr)"),
    "versions": ("versions_cmd", "lister les versions disponibles"),
    "info": ("info_cmd", "résumer le contenu d'une version"),
    "overview": ("overview_cmd", "produire une page HTML de synthèse avec graphiques"),
    "serve": ("serve_cmd", "lancer la page web de validation"),
    "demo": ("demo_cmd", "dérouler toute la chaîne sur une copie, avec des contributions fictives"),
}

WRITING = frozenset({"consolidate", "release", "publish", "docs"})
"""Commands that write into the data package: refused outside one (``docs --check`` reads)."""
OWN_FOLDER = frozenset({"init", "demo"})
"""Commands that make their own folder rather than working on the current data package."""


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse in French (help, section titles, error lines; English with ``--lang en``,
    see :mod:`.options`); exit code 2 stays (a bad option means the command could not run)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("allow_abbrev", False)  # --api-key must not pass for --api-key-file
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument(
            "-h",
            "--help",
            action="help",
            help=options.argparse_text("show this help message and exit"),
        )

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        template = options.argparse_text("%(prog)s: error: %(message)s\n")
        self.exit(2, template % {"prog": self.prog, "message": message})


def build_parser(selected: str | None = None, lang: str = "fr") -> FrenchArgumentParser:
    """The parser of ``moisinno``, with the ``selected`` command's options only (the others'
    modules are not imported) and its texts in ``lang`` (see :mod:`.english`)."""
    parser = FrenchArgumentParser(
        prog="moisinno",
        description="Données ouvertes du Mois de l'innovation publique : schémas, validation, "
        "consolidation, versions et publication.",
        epilog="Aide d'une commande : moisinno COMMANDE --help",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"moisinno-data {__version__}",
        help="afficher la version et quitter",
    )
    options.add_lang(parser)  # before the command too: ``moisinno --lang en validate …``
    sub = parser.add_subparsers(
        dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser
    )
    for name, (module, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == selected:
            import_module(f"{__name__}.{module}").configure(command_parser)
            options.add_common(command_parser, root=name not in OWN_FOLDER)
    if lang == "en":
        from moisinno_data.cli import english

        english.translate(parser)
    return parser


def _selected(argv: list[str]) -> str | None:
    """The command named in ``argv``: its first word that is neither an option nor the
    value of ``--lang`` (the only option before the command that takes one)."""
    words = iter(argv)
    for arg in words:
        if arg == "--lang":
            next(words, None)
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _locate_package(args: argparse.Namespace) -> None:
    """Point the library at ``--root``; outside any data package, read-only commands use the
    bundled one (said in one line on stderr) and writing commands refuse (one sentence)."""
    from moisinno_data.errors import ConfigError
    from moisinno_data.package import paths

    if args.command in OWN_FOLDER:  # they have no --root
        return
    if args.root:
        root = Path(args.root).expanduser().resolve()
        if not (root / paths.DESCRIPTOR).is_file():
            raise ConfigError(
                f"--root {args.root} : pas de {paths.DESCRIPTOR} dans ce dossier ; créez-y un "
                f"paquet de données avec « moisinno init {args.root} --schema schema.json ».",
                en=f"--root {args.root}: no {paths.DESCRIPTOR} in this folder; create a data "
                f"package there with “moisinno init {args.root} --schema schema.json”.",
            )
        os.environ[paths.ROOT_ENV] = str(root)
    if paths.located_root() is not None:
        return
    if args.command in WRITING and not getattr(args, "check", False):
        raise ConfigError(paths.no_package_message(), en=paths.no_package_message("en"))
    print(paths.bundled_notice(getattr(args, "lang", "fr")), file=sys.stderr)


INTERRUPTED = {"fr": "Interrompu.", "en": "Interrupted."}


class Terminated(KeyboardInterrupt):
    """SIGTERM (``timeout``, a service being stopped) raised like Ctrl-C, so that the
    command's ``finally`` blocks run: without it, a ``fix`` killed while writing left its
    temporary file beside the output."""


def _terminate(_signum: int, _frame: Any) -> None:
    raise Terminated


INTERNAL_ERROR = {
    "fr": "Erreur interne ({kind}) : {exc}\n"
    "Relancez avec MOISINNO_DEBUG=1 pour le détail et signalez-la aux mainteneurs.",
    "en": "Internal error ({kind}): {exc}\n"
    "Run again with MOISINNO_DEBUG=1 for the details and report it to the maintainers.",
}
"""What :func:`main` says on Ctrl-C and on a bug of ours, in each language of ``--lang``."""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = options.requested_lang(argv)  # before parsing: an early failure speaks it too
    options.speak(lang)
    from moisinno_data.errors import MoisinnoError, panicked
    from moisinno_data.package.text import in_lang

    try:
        parser = build_parser(_selected(argv), lang)
        args = parser.parse_args(argv)
        lang = getattr(args, "lang", lang)
        if not args.command:
            parser.print_help()
            return 2
        module = import_module(f"{__name__}.{COMMANDS[args.command][0]}")
        _locate_package(args)
        return int(module.run(args) or 0)
    except MoisinnoError as exc:
        prefix = "Error: " if lang == "en" else "Erreur : "
        print(f"{prefix}{exc.text(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        print(in_lang(INTERRUPTED, lang), file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except BrokenPipeError:
        return 0
    except BaseException as exc:  # a bug of ours: say so in one line, details on request
        if not isinstance(exc, Exception) and not panicked(exc):
            raise  # SystemExit and the like
        if os.environ.get("MOISINNO_DEBUG"):
            raise
        message = in_lang(INTERNAL_ERROR, lang).format(kind=type(exc).__name__, exc=exc)
        print(message, file=sys.stderr)
        return 2


def entry() -> None:
    """The ``moisinno`` program: :func:`main`, then leave without the interpreter's
    teardown. Native thread pools (polars, pyarrow) torn down while one of their threads
    still runs can abort the process ("terminate called…", exit 134), and tearing down a
    big run costs a fraction of a second; everything the command wrote is flushed first.

    numpy's OpenBLAS gets one thread unless the user chose otherwise: no command does
    linear algebra, and starting its thread pool costs ~50 ms of CPU at every start.
    A native library's panic (calamine on a truncated .xls) is said as the file's fault,
    after Rust's own line on stderr: not after a Rust stack trace, which ``RUST_BACKTRACE``
    set for other programs would add (``MOISINNO_DEBUG`` keeps it)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if not os.environ.get("MOISINNO_DEBUG"):
        os.environ["RUST_BACKTRACE"] = "0"
    signal.signal(signal.SIGTERM, _terminate)
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, a closed stream
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
