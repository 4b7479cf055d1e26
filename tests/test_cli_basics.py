"""The command's entry points and the project's style gate."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT
from conftest import run_cli as run

from moisinno_data.cli import main


def test_version():
    from moisinno_data import __version__

    result = run("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_help_lists_commands_in_french():
    result = run("--help")
    assert result.returncode == 0
    assert "schemas" in result.stdout and "lister les schémas" in result.stdout


def test_schemas_lists_every_table(capsys):
    assert main(["schemas"]) == 0
    out = capsys.readouterr().out
    for table, fields in (
        ("editions", 12),
        ("laboratoires", 12),
        ("evenements", 27),
        ("thematiques", 7),
    ):
        line = next(line for line in out.splitlines() if line.startswith(table))
        version = json.loads((ROOT / "schemas" / table / "schema.json").read_text())["version"]
        assert f"{fields} champs" in line and f"v{version}" in line


def test_bad_option_exits_2_in_french():
    result = run("schemas", "--nope")
    assert result.returncode == 2
    assert "erreur" in result.stderr and "Traceback" not in result.stderr


def test_unknown_schema_is_a_clear_error():
    from moisinno_data.package.schemas import SchemaError, load_schema

    with pytest.raises(SchemaError, match="Tables disponibles"):
        load_schema("inexistante")


def test_docs_check_fails_when_stale(project_copy, capsys):
    doc = project_copy / "schemas" / "editions" / "documentation.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nretouche à la main\n", encoding="utf-8")
    assert main(["docs", "--check"]) == 1
    assert "editions" in capsys.readouterr().out
    assert main(["docs"]) == 0
    assert main(["docs", "--check"]) == 0


def test_ruff_lint_and_format_are_clean():
    """ruff is a test dependency: run from this interpreter, it is always there."""
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run(
        [*ruff, "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [*ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_type_check_is_clean():
    """mypy over the whole package, configured in pyproject.toml."""
    typed = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert typed.returncode == 0, typed.stdout + typed.stderr


def test_argparse_speaks_french_by_default_and_english_on_request():
    missing = run("validate")
    assert missing.returncode == 2
    assert "utilisation : moisinno validate" in missing.stderr
    assert "arguments obligatoires manquants : FICHIER" in missing.stderr
    choice = run("schemas", "--format", "xml")
    assert "choix invalide : 'xml'" in choice.stderr and "invalid choice" not in choice.stderr
    english = run("validate", "--lang", "en")
    assert "usage: moisinno validate" in english.stderr
    assert "the following arguments are required: FILE" in english.stderr
    value = run("diff", "0.1.0", "0.1.1", "--max")
    assert value.returncode == 2 and "une valeur attendue" in value.stderr


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (("validate", "x.csv", "--max", "abc"), "nombre entier attendu, pas « abc »",
         "expected an integer, not “abc”"),
        (("validate", "x.csv", "--max", "0"), "nombre entier supérieur ou égal à 1 attendu",
         "expected an integer greater than or equal to 1"),
        (("serve", "--max-upload-mb", "beaucoup"), "nombre attendu, pas « beaucoup »",
         "expected a number, not “beaucoup”"),
        (("serve", "--max-upload-mb", "0"), "la taille maximale doit être un nombre positif",
         "the size limit must be a positive number"),
        (("serve", "--max-seconds", "-1"), "la durée maximale doit être un nombre positif",
         "the time limit must be a positive number of seconds"),
    ],
)  # fmt: skip
def test_a_refused_option_value_speaks_the_language_asked(args, french, english):
    """Our own checks of an option's value speak like argparse's messages around them."""
    fr, en = run(*args), run(*args, "--lang", "en")
    assert fr.returncode == en.returncode == 2
    assert french in fr.stderr and "erreur" in fr.stderr
    assert english in en.stderr and "error:" in en.stderr
    assert french not in en.stderr


def test_an_empty_file_and_a_wrong_schema_are_refused_in_english_on_request(tmp_path):
    """Sweep of real files: both were refused in French under ``--lang en``."""
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    said = run("validate", str(empty), "--lang", "en")
    assert said.returncode == 2 and "the file is empty (no header, no row)." in said.stderr
    schema = tmp_path / "schema.json"
    schema.write_text(
        json.dumps({"fields": [{"name": "n", "type": "integer", "constraints": {"pattern": "x"}}]}),
        encoding="utf-8",
    )
    data = tmp_path / "n.csv"
    data.write_text("n\n1\n", encoding="utf-8")
    for lang, words in (
        ("en", 'Invalid schema ({}): field "n", key "constraints.pattern": this constraint '
         "does not apply to type integer (only: string)."),
        ("fr", "Schéma incorrect ({}) : champ « n », clé « constraints.pattern » : cette "
         "contrainte ne s'applique pas au type integer (seulement : string)."),
    ):  # fmt: skip
        said = run("validate", str(data), "--schema", str(schema), "--lang", lang)
        assert said.returncode == 2 and words.format(schema) in said.stderr, said.stderr


def test_schemas_and_docs_speak_english_on_request(capsys):
    assert main(["schemas", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "27 fields" in out and "champs" not in out
    assert main(["serve", "--port", "70000", "--lang", "en"]) == 2
    assert "Error: Invalid port: 70000 (between 0 and 65535)." in capsys.readouterr().err


def test_one_vocabulary_with_the_old_spellings_as_aliases(capsys):
    assert main(["schemas", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "editions"
    assert main(["schemas", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "editions"
    sample = str(ROOT / "schemas/editions/exemple-invalide.csv")
    for flags in (
        ["--schema", "editions", "--max", "1"],
        ["--table", "editions", "--max-lignes", "1"],
    ):
        assert main(["validate", sample, *flags]) == 1
        assert "limite --max 1" in capsys.readouterr().out


def test_output_is_never_an_input_and_never_overwritten_without_force(tmp_path, capsys):
    sample = tmp_path / "fichier-fictif.csv"
    sample.write_bytes((ROOT / "schemas/editions/exemple-valide.csv").read_bytes())
    before = sample.read_bytes()
    for command in (["validate", str(sample)], ["fix", str(sample)]):
        assert main([*command, "-o", str(sample), "--force"]) == 2
        assert "aussi un fichier d'entrée" in capsys.readouterr().err
    assert sample.read_bytes() == before
    report = tmp_path / "rapport.json"
    assert main(["validate", str(sample), "--format", "json", "-o", str(report)]) == 0
    assert capsys.readouterr().out.strip() == f"Rapport json écrit dans {report}."
    assert main(["validate", str(sample), "--format", "json", "-o", str(report)]) == 2
    assert "ajoutez --force" in capsys.readouterr().err
    assert main(["validate", str(sample), "--format", "json", "-o", str(report), "--force"]) == 0


def test_commands_are_the_plain_table():
    """--help lists every command of COMMANDS, whether or not sources are on disk."""
    from moisinno_data.cli import COMMANDS

    listed = run("--help").stdout
    assert all(name in listed for name in COMMANDS) and "init" in COMMANDS


def test_errors_follow_lang(tmp_path):
    """A user's mistake is one sentence in the language asked for, French by default."""
    missing = tmp_path / "absent-fictif.csv"
    fr = run("validate", str(missing))
    en = run("validate", str(missing), "--lang", "en")
    assert (fr.returncode, en.returncode) == (2, 2)
    assert fr.stderr.strip().endswith(f"Erreur : {missing} : fichier introuvable.")
    assert en.stderr.strip().endswith(f"Error: {missing}: file not found.")
    present = tmp_path / "present-fictif.csv"
    present.write_text("id\nx\n", encoding="utf-8")
    unknown = run("validate", str(present), "--schema", "tablefictive", "--lang", "en")
    assert "Unknown schema" in unknown.stderr and "Traceback" not in unknown.stderr


def test_output_to_a_device_writes_to_it_and_never_replaces_it(tmp_path):
    """``-o /dev/null`` or ``-o /dev/stdout`` is written to, not moved over: replacing a
    device with a regular file (as root, a rename can) would break the machine."""
    import os
    import stat

    example = str(ROOT / "examples" / "contribution-excel.csv")
    out = run("validate", example, "--format", "json", "-o", "/dev/null", "--force")
    assert out.returncode in (0, 1), out.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    out = run("validate", example, "--format", "json", "-o", "/dev/stdout")
    assert out.returncode in (0, 1), out.stderr
    assert json.loads(out.stdout)["file"].endswith(".csv")  # the confirmation is on stderr
    out = run("validate", example, "--format", "json", "-o", str(tmp_path))
    assert out.returncode == 2 and "est un dossier" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_broken_install_is_one_sentence_not_an_internal_error(tmp_path):
    """The library without its data package (a copy of the code alone, a broken wheel):
    commands that need the bundled schemas say how to mend it, exit 2."""
    import os
    import shutil

    code = tmp_path / "site"
    shutil.copytree(
        ROOT / "moisinno_data", code / "moisinno_data", ignore=shutil.ignore_patterns("_bundle")
    )
    empty = tmp_path / "ailleurs"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOISINNO_")}
    env["PYTHONPATH"] = str(code)
    for args in (["schemas"], ["validate", "absent.csv", "--schema", "evenements"]):
        done = subprocess.run(
            [sys.executable, "-m", "moisinno_data", *args],
            cwd=empty, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 2, (args, done.stderr)
        assert "Erreur interne" not in done.stderr and "Traceback" not in done.stderr
        assert "mal installé" in done.stderr and "--force-reinstall" in done.stderr, done.stderr


def test_the_line_said_outside_any_package_follows_lang(tmp_path):
    """Read-only commands outside any data package say, on stderr, that they use the one
    installed with the library: in the language asked for."""
    en = run("versions", "--lang", "en", cwd=tmp_path)
    assert en.returncode == 0, en.stderr
    assert en.stderr.startswith("Outside any data package: moisinno uses the one installed")
    assert "Hors de tout" not in en.stderr
    fr = run("versions", cwd=tmp_path)
    assert fr.stderr.startswith("Hors de tout paquet de données : moisinno utilise celui")
    assert [line.split()[0] for line in en.stdout.splitlines()] == [
        line.split()[0] for line in fr.stdout.splitlines()
    ]


@pytest.mark.parametrize("where", ["parser", "run"])
def test_ctrl_c_is_one_line_in_the_language_asked_for(where, monkeypatch, capsys):
    """Ctrl-C, whether while the command is being set up (its module imported, its options
    parsed) or while it runs: one line in the language of ``--lang``, exit 130."""
    from moisinno_data import cli
    from moisinno_data.cli import versions_cmd

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if where == "parser":
        monkeypatch.setattr(cli, "build_parser", interrupt)
    else:
        monkeypatch.setattr(versions_cmd, "run", interrupt)

    def interrupted(*argv: str) -> int:
        try:
            return main(list(argv))
        except KeyboardInterrupt:
            pytest.fail("Ctrl-C escaped main() as a traceback")

    assert interrupted("versions", "--lang", "en") == 130
    assert capsys.readouterr().err == "Interrupted.\n"
    assert interrupted("versions", "--lang=en") == 130
    assert capsys.readouterr().err == "Interrupted.\n"
    assert interrupted("versions") == 130
    assert capsys.readouterr().err == "Interrompu.\n"


def test_an_internal_error_is_said_in_the_language_asked_for(monkeypatch, capsys):
    """A bug of ours: two lines in the language of ``--lang`` (French byte for byte as
    before), exit 2, no traceback unless MOISINNO_DEBUG asks for it."""
    from moisinno_data.cli import versions_cmd

    def bug(args):
        raise RuntimeError("panne fictive")

    monkeypatch.delenv("MOISINNO_DEBUG", raising=False)
    monkeypatch.setattr(versions_cmd, "run", bug)
    assert main(["versions", "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        "Internal error (RuntimeError): panne fictive\n"
        "Run again with MOISINNO_DEBUG=1 for the details and report it to the maintainers.\n"
    )
    assert main(["versions"]) == 2
    assert capsys.readouterr().err == (
        "Erreur interne (RuntimeError) : panne fictive\n"
        "Relancez avec MOISINNO_DEBUG=1 pour le détail et signalez-la aux mainteneurs.\n"
    )
