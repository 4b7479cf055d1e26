"""The command's entry points and the project's style gate."""

from __future__ import annotations

import json
import shutil
import subprocess

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


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (ROOT / ".venv/bin/ruff").exists(), reason="ruff absent"
)
def test_ruff_lint_and_format_are_clean():
    ruff = shutil.which("ruff") or str(ROOT / ".venv/bin/ruff")
    lint = subprocess.run(
        [ruff, "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert fmt.returncode == 0, fmt.stdout
