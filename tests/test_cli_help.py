"""``--lang`` accepted before the command as after it."""

from __future__ import annotations

from conftest import ROOT

from moisinno_data.cli import main, options

EXAMPLE = str(ROOT / "schemas" / "evenements" / "exemple-invalide.csv")


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
