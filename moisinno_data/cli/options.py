"""One CLI vocabulary: the options every command shares, declared once.

Like csvkit's common parser and sqlite-utils' ``output_options``: a flag means the same
thing in every command. English names first, the French (or older) spellings kept as
aliases so that existing scripts keep working:

- ``--format text|json[|html]`` wherever something is printed (``--json`` = ``--format json``);
- ``--max N`` (``--max-lignes``): findings or rows shown at most per kind, totals stay exact;
- ``--schema NAME|PATH`` (``--table``): the table a file is checked against;
- ``--sheet NAME`` (``--feuille``): the sheet of a workbook read (default: the first visible);
- ``-o/--output`` with ``--force``: never overwrite by default, never an input file;
- ``--root DIR``: the data package to work on (default: found from the current folder);
- ``--lang fr|en``: language of the messages and of ``--help``, argparse's included;
  also accepted before the command (``moisinno --lang en validate …``). Our help texts
  are written in French here and in each command; :mod:`.english` holds their English.

Argparse's own messages are translated here too (French by default).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

LANGS = ("fr", "en")


def positive_int(text: str) -> int:
    """An integer ≥ 1, with a sentence (:func:`bad_value`) when it is not."""
    try:
        value = int(text)
    except ValueError:
        raise bad_value(
            f"nombre entier attendu, pas « {text} »", f"expected an integer, not “{text}”"
        ) from None
    if value < 1:
        raise bad_value(
            "nombre entier supérieur ou égal à 1 attendu",
            "expected an integer greater than or equal to 1",
        )
    return value


def bad_value(fr: str, en: str) -> argparse.ArgumentTypeError:
    """An option's refused value, said in the language argparse speaks (:func:`speak`):
    a type check runs inside ``parse_args``, which knows no ``--lang``."""
    return argparse.ArgumentTypeError(spoken(fr, en))


def spoken(fr: str, en: str) -> str:
    """``fr`` or ``en``, whichever argparse speaks (:func:`speak`): for the sentences of
    actions and checks that run inside ``parse_args``."""
    return en if vars(argparse)["_"] is _identity else fr


def add_common(parser: argparse.ArgumentParser, *, root: bool = True) -> None:
    """``--root`` and ``--lang``, on every command; ``root=False`` for the commands that
    make their own folder (``init``, ``demo``): a ``--root`` they would ignore is refused
    as an unknown option rather than accepted and ignored."""
    if not root:
        add_lang(parser, default=argparse.SUPPRESS)
        return
    parser.add_argument(
        "--root",
        metavar="DOSSIER",
        help="paquet de données à utiliser (défaut : le dossier courant ou un parent qui "
        "contient datapackage.json ; sinon la variable MOISINNO_ROOT)",
    )
    add_lang(parser, default=argparse.SUPPRESS)


def add_lang(parser: argparse.ArgumentParser, default: str = "fr") -> None:
    """``--lang fr|en``, on ``moisinno`` itself (default ``fr``) and on every command.

    A command's ``--lang`` has no default (``argparse.SUPPRESS``): argparse copies every
    attribute of a sub-command's namespace over the main one, so a default there would
    undo ``moisinno --lang en validate …``. Given twice, the last one wins, as
    :func:`requested_lang` reads it.
    """
    parser.add_argument(
        "--lang", choices=LANGS, default=default, help="langue des messages (défaut : fr)"
    )


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")
) -> None:
    """``--format`` (default text) and ``--json``, its short form."""
    parser.add_argument(
        "--format", choices=choices, default="text", help="format de sortie (défaut : text)"
    )
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="raccourci de --format json",
    )


def add_max(
    parser: argparse.ArgumentParser, default: int | None, what: str, said: str | None = None
) -> None:
    """``--max N`` (alias ``--max-lignes``): ``what`` shown at most, per kind; ``said``: the
    default in words, when the command decides it (by format, say)."""
    said = said or (str(default) if default is not None else None)
    shown = f" (défaut : {said})" if said else ""
    parser.add_argument(
        "--max",
        "--max-lignes",
        dest="max",
        type=positive_int,
        default=default,
        metavar="N",
        help=f"{what} au plus{shown}",
    )


def add_schema(parser: argparse.ArgumentParser, *, required: bool = False, help: str) -> None:
    """``--schema NAME|PATH`` (alias ``--table``)."""
    parser.add_argument(
        "--schema", "--table", dest="schema", required=required, metavar="NOM|CHEMIN", help=help
    )


def add_sheet(parser: argparse.ArgumentParser, *, help: str | None = None) -> None:
    """``--sheet NAME`` (alias ``--feuille``): the sheet of a workbook to read."""
    parser.add_argument(
        "--sheet",
        "--feuille",
        dest="sheet",
        metavar="FEUILLE",
        help=help or "feuille d'un classeur XLSX, ODS (par défaut la première visible)",
    )


def add_output(
    parser: argparse.ArgumentParser, *, required: bool = False, metavar: str, help: str
) -> None:
    """``-o/--output`` and ``--force`` (replace an existing file; never an input file)."""
    parser.add_argument(
        "-o", "--output", required=required, metavar=metavar, help=help
    )  # fmt: skip
    parser.add_argument(
        "--force",
        action="store_true",
        help="remplacer le fichier de sortie s'il existe déjà (jamais un fichier d'entrée)",
    )


def check_output(output: str | Path | None, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse to write over an input file (always) or an existing file (without --force)."""
    from moisinno_data.errors import InputError

    if output is None:
        return
    target = Path(output)
    for source in inputs:
        if _same_file(target, Path(source)):
            raise InputError(
                f"Le fichier de sortie {target} est aussi un fichier d'entrée : il n'est "
                "jamais remplacé ; choisissez un autre nom avec -o.",
                en=f"The output file {target} is also an input file: it is never replaced; "
                "choose another name with -o.",
            )
    if target.is_dir():
        raise InputError(
            f"{target} est un dossier : donnez un nom de fichier avec -o.",
            en=f"{target} is a folder: give a file name with -o.",
        )
    if target.is_file() and not force:  # a device (/dev/null, /dev/stdout) is written to
        raise InputError(
            f"{target} existe déjà : choisissez un autre nom ou ajoutez --force.",
            en=f"{target} already exists: choose another name or add --force.",
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def confirm(line: str, *, data_on_stdout: bool = False) -> None:
    """Say what a command wrote, in one line (on stderr when stdout carries the data)."""
    print(line, file=sys.stderr if data_on_stdout else sys.stdout, flush=True)


# --- argparse in French ----------------------------------------------------------------------

FRENCH = {
    "usage: ": "utilisation : ",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (choisir parmi %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "argument explicite %r ignoré",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue %(parser_name)r (choix : %(choices)s)"
    ),
}


def requested_lang(argv: list[str]) -> str:
    """``--lang`` as written in ``argv``, before or after the command (read before parsing:
    the help and parse errors need it too). The last one wins, as in argparse; nothing
    after ``--`` is an option."""
    lang = "fr"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            lang = argv[i + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            lang = arg.split("=", 1)[1]
    return lang


def speak(lang: str) -> None:
    """Make argparse's own messages French (``fr``) or leave them English (``en``)."""
    if lang == "en":
        argparse._ = _identity  # type: ignore[attr-defined]
        argparse.ngettext = _plural  # type: ignore[attr-defined]
        return
    argparse._ = _french  # type: ignore[attr-defined]
    argparse.ngettext = _french_plural  # type: ignore[attr-defined]


def argparse_text(message: str) -> str:
    """``message`` through argparse's own translator, the one :func:`speak` installed.

    ``argparse._`` is gettext, unknown to the type stubs, and replaced at run time by
    :func:`speak`: it is read on each call, never bound once.
    """
    return str(vars(argparse)["_"](message))


def _identity(message: str) -> str:
    return message


def _plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _french(message: str) -> str:
    return FRENCH.get(message, message)


def _french_plural(singular: str, plural: str, n: int) -> str:
    return _french(singular if n == 1 else plural)
