"""The README runs verbatim: every ``console`` and ``bash`` block, in order, in a copy of the
repository, with the virtual environment's ``bin/`` on the PATH (as after
``source .venv/bin/activate``) and no MOISINNO_* variable.

- ``bash`` blocks: each command line must run (exit code 0, or 1 for « invalide »: 2 means
  the command could not run, 127 that it does not exist).
- ``console`` blocks: each ``$ command`` is run and its output (stdout then stderr) must be
  the lines shown below it. ``…`` stands for any text within a line, and a line holding
  only ``…`` for any number of lines (volatile values: sha256, dates, paths, timings).
- A block preceded by ``<!-- test-readme: ignorer … -->`` is not run: the two Quickstart
  commands (they install) and what needs the Internet or a long-running server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

SKIP = "<!-- test-readme: ignorer"
FENCE = re.compile(r"^```(\w*)\s*$")
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "releases", "demo", "portail", "prive", "__pycache__", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "test-artifacts", ".cache", "build", "dist", "*.egg-info",
    ".moisinno-*",
)  # fmt: skip


def blocks(text: str) -> list[tuple[int, str, list[str], bool]]:
    """(line number, language, lines, skipped) of every fenced block of the README."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        start, lang = i, match[1]
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        skipped = any(lines[k].startswith(SKIP) for k in range(max(start - 2, 0), start))
        out.append((start + 1, lang, lines[start + 1 : end], skipped))
        i = end + 1
    return out


def commands(lang: str, body: list[str]) -> list[tuple[str, list[str] | None]]:
    """Commands of a block with, for console blocks, the output shown after each."""
    if lang == "console":
        found: list[tuple[str, list[str] | None]] = []
        for line in body:
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)  # type: ignore[union-attr]
        return found
    joined, pending = [], ""
    for line in body:
        code = line.split("  #")[0].rstrip() if not line.lstrip().startswith("#") else ""
        if pending or code:
            if code.endswith("\\"):
                pending += code[:-1] + " "
                continue
            joined.append(((pending + code).strip(), None))
            pending = ""
    return [(c, o) for c, o in joined if c]


def pattern(shown: list[str]) -> re.Pattern:
    """A regex for the shown output, ``…`` being the elision (see the module doc)."""
    parts = []
    while shown and not shown[-1].strip():
        shown = shown[:-1]
    for line in shown:
        if line.strip() == "…":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(p) for p in line.rstrip().split("…")) + r"[ \t]*\n")
    return re.compile("".join(parts))


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("readme")
    work = base / "moisinno-data"
    shutil.copytree(ROOT, work, ignore=IGNORED, symlinks=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOISINNO_")}
    env.update(
        PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin",
        PYTHONPATH=str(work),
        HOME=str(base / "home"),
        MOISINNO_CACHE=str(base / "cache"),
        COLUMNS="200",
        NO_COLOR="1",
    )
    return work, env


def test_readme_blocks_run_verbatim(copy):
    work, env = copy
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    ran = 0
    for line_no, lang, body, skipped in blocks(text):
        if lang not in ("console", "bash") or skipped:
            continue
        for command, shown in commands(lang, body):
            result = subprocess.run(
                ["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True,
                timeout=600, check=False,
            )  # fmt: skip
            where = f"README.md:{line_no} « {command} »"
            assert result.returncode in (0, 1), f"{where}\n{result.stdout}\n{result.stderr}"
            ran += 1
            if shown is not None:
                output = (result.stdout + result.stderr).rstrip("\n") + "\n"
                assert pattern(shown).fullmatch(output), f"{where} affiche :\n{output}"
    assert ran >= 20


def test_quickstart_has_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Démarrage rapide", 1)[1].split("\n## ", 1)[0]
    found = [b for b in blocks(quick) if b[1] == "bash"]
    assert len(found) == 1 and found[0][3], "one bash block, marked as not run by this test"
    assert len(commands("bash", found[0][2])) == 2


def test_elisions_are_strict_elsewhere():
    assert pattern(["a … c", "…", "z"]).fullmatch("a b c\nx\ny\nz\n")
    assert not pattern(["a … c", "z"]).fullmatch("a b c\nx\nz\n")
    assert not pattern(["Modèle écrit : x"]).fullmatch("Modèle écrit : y\n")
