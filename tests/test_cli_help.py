"""``--help`` in French by default and in English under ``--lang en``, every parser walked;
``--lang`` accepted before the command as after it."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from conftest import run_cli as run

from moisinno_data.cli import COMMANDS, build_parser, main, options
from moisinno_data.cli.english import ENGLISH, slots

ARGPARSE_WORDS = set(options.FRENCH) | set(options.FRENCH.values())
"""argparse's own words, in either language: :func:`options.speak` translates them."""
PARSERS = [None, *COMMANDS]
"""``moisinno`` itself, then each command's parser with its options (built one at a time,
as :func:`main` does)."""
EXAMPLE = str(ROOT / "schemas" / "evenements" / "exemple-invalide.csv")


def _texts(selected: str | None, lang: str = "fr") -> set[str]:
    """Our texts in the parser built for ``selected`` in ``lang`` (argparse's own set aside)."""
    options.speak(lang)
    try:
        parser = build_parser(selected, lang)
    finally:
        options.speak("fr")  # argparse's words are global: leave them as main() finds them
    texts: set[str] = set()
    for owner, attribute in slots(parser):
        value = getattr(owner, attribute)
        texts.update(value if isinstance(value, tuple) else [value])
    return texts - ARGPARSE_WORDS


@pytest.mark.parametrize("selected", PARSERS)
def test_every_french_help_text_has_its_english(selected):
    """A new option, command or metavar written in French only fails here: add its line to
    ``moisinno_data/cli/english.py``."""
    missing = sorted(_texts(selected) - set(ENGLISH))
    assert not missing, f"sans anglais dans cli/english.py : {missing}"


def test_every_line_of_the_table_is_still_used():
    """A help text changed in French leaves its old line behind: the table follows the code."""
    used = set().union(*(_texts(selected) for selected in PARSERS))
    assert not sorted(set(ENGLISH) - used)


@pytest.mark.parametrize("selected", PARSERS)
def test_the_english_parser_holds_no_french_text(selected):
    english = set(ENGLISH.values())
    assert not sorted(_texts(selected, "en") - english)


def test_english_keeps_the_placeholders_argparse_expands():
    """argparse formats each help with ``%``: a stray or different placeholder would break
    ``--help`` in one language only."""
    placeholder = re.compile(r"%(?:\(\w+\))?[a-z%]")
    for french, english in ENGLISH.items():
        assert placeholder.findall(english) == placeholder.findall(french), french
        assert english.count("%") == french.count("%"), french


def test_validate_help_in_english_and_in_french():
    en = run("validate", "--lang", "en", "--help")
    assert en.returncode == 0, en.stderr
    assert "FILE [FILE ...]" in en.stdout and "--schema NAME|PATH" in en.stdout
    assert "--sheet SHEET" in en.stdout and "--root DIR" in en.stdout
    assert "stop after N errors (by default: all)" in en.stdout
    assert "validate files (CSV, XLSX, ODS) against a schema" in en.stdout
    assert not re.search(r"FICHIER|CHEMIN|FEUILLE|DOSSIER|défaut|[éèàç]", en.stdout)
    fr = run("validate", "--help")
    assert "utilisation : moisinno validate" in fr.stdout
    assert "FICHIER [FICHIER ...]" in fr.stdout and "--schema NOM|CHEMIN" in fr.stdout
    assert "s'arrêter après N erreurs (par défaut : toutes)" in fr.stdout
    assert "FILE" not in fr.stdout
    # Any package (sweep 9): not this repository's own tables.
    assert "evenements" not in fr.stdout + en.stdout
    assert "« moisinno schemas » les liste" in " ".join(fr.stdout.split())
    assert '"moisinno schemas" lists them' in " ".join(en.stdout.split())


def test_lang_before_the_command_gives_the_same_help():
    after = run("validate", "--lang", "en", "--help")
    for before in (("--lang", "en", "validate"), ("--lang=en", "validate")):
        shown = run(*before, "--help")
        assert (shown.returncode, shown.stdout) == (0, after.stdout), shown.stderr


def test_main_help_in_english():
    en = run("--lang", "en", "--help")
    assert en.returncode == 0, en.stderr
    assert "usage: moisinno [-h] [--version] [--lang {fr,en}] COMMAND ..." in en.stdout
    assert "validate      validate files (CSV, XLSX, ODS) against a schema" in en.stdout
    assert "Help on a command: moisinno COMMAND --help" in en.stdout
    assert "COMMANDE" not in en.stdout and "Aide" not in en.stdout
    assert "Aide d'une commande : moisinno COMMANDE --help" in run("--help").stdout


def test_a_usage_error_names_the_metavar_in_the_language_asked_for():
    en = run("--lang", "en", "validate")
    assert en.returncode == 2
    assert "the following arguments are required: FILE" in en.stderr
    fr = run("validate")
    assert "arguments obligatoires manquants : FICHIER" in fr.stderr


def test_lang_before_the_command_means_the_same_as_after(capsys):
    for argv in (
        ["--lang", "en", "validate", EXAMPLE, "--max", "1"],
        ["--lang=en", "validate", EXAMPLE, "--max", "1"],
        ["validate", EXAMPLE, "--max", "1", "--lang", "en"],
    ):
        assert main(argv) == 1
        assert capsys.readouterr().out.startswith("Validation report — INVALID"), argv
    for argv in (
        ["validate", EXAMPLE, "--max", "1"],
        ["--lang", "en", "validate", EXAMPLE, "--max", "1", "--lang", "fr"],  # the last wins
    ):
        assert main(argv) == 1
        assert capsys.readouterr().out.startswith("Rapport de validation — INVALIDE"), argv


def test_requested_lang_reads_the_last_lang_before_any_double_dash():
    assert options.requested_lang(["--lang", "en", "validate", "f.csv"]) == "en"
    assert options.requested_lang(["--lang", "en", "validate", "--lang=fr"]) == "fr"
    assert options.requested_lang(["validate", "--", "--lang", "en"]) == "fr"
    assert options.requested_lang(["--lang", "de", "validate"]) == "fr"
