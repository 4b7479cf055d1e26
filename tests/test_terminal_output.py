"""What the commands print never carries a cell's escape sequences to the terminal.

A contributor's cell may hold ``ESC ]0;…`` (retitle the terminal) or ``ESC [31m``
(recolour it); the steward's screen must show them spelled out, never obey them.
"""

from __future__ import annotations

from conftest import run_cli

from moisinno_data.package.text import visible

HOSTILE = "  Nom \x1b]0;TITRE\x07 \x1b[31mROUGE\u202e fictif  "
LABS = "id,nom,region,sources\n"


def _file(tmp_path, key="lab-fictif-echappement"):
    path = tmp_path / "labo-fictif.csv"
    path.write_text(f'{LABS}{key},"{HOSTILE}",84,https://exemple.fr/a\n', encoding="utf-8")
    return path


def test_visible_spells_out_what_a_terminal_would_obey():
    assert visible("a\x1b[31mb\tc\n\u202ed") == "a\\x1b[31mb\\tc\\n\\u202ed"
    assert visible("Événement — déjà vu") == "Événement — déjà vu"


def test_fix_prints_escapes_spelled_out(tmp_path):
    out = run_cli("fix", str(_file(tmp_path)), "--schema", "laboratoires")
    printed = out.stdout + out.stderr
    assert "\x1b" not in printed and "\u202e" not in printed
    assert "\\x1b[31mROUGE" in out.stdout  # the change is still shown


def test_consolidate_prints_escapes_spelled_out(tmp_path, project_copy):
    out = run_cli("consolidate", str(_file(tmp_path)), "--schema", "laboratoires")
    printed = out.stdout + out.stderr
    assert "\x1b" not in printed and "\u202e" not in printed
    assert "lab-fictif-echappement" in printed
