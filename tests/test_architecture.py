"""The layout holds: a folder per pipeline stage, lower stages never import higher ones,
and ``docs/architecture.md`` names the folders that exist (and only those)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "moisinno_data"

# Stage of each top-level name in moisinno_data, lowest first. A module may import its own
# stage or a lower one, never a higher one.
STAGES: dict[str, int] = {
    "__about__": 0,
    "errors": 0,
    "fsutil": 0,
    "package": 1,
    "reading": 2,
    "validation": 3,
    "report": 4,
    "publishing": 5,
    "portals": 6,
    "loading": 7,
    "web": 8,
    "cli": 9,
    "demo": 9,
    "__init__": 10,
    "__main__": 10,
}
LOOSE_LIMIT = 6  # loose modules at the top, besides __init__, __main__, __about__


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every project module the file imports, at the top or inside a function."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "import_module":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return {m for m in found if m.split(".")[0] == "moisinno_data" and m != "moisinno_data"}


def _stage(module: str) -> tuple[str, int]:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return top, STAGES[top]


def _sources() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "_bundle" not in p.parts)


def test_every_top_level_name_has_a_stage():
    names = {p.stem if p.is_file() else p.name for p in PKG.iterdir()}
    names = {n for n in names if (PKG / n).is_dir() and (PKG / n / "__init__.py").exists()} | {
        p.stem for p in PKG.glob("*.py")
    }
    assert names <= set(STAGES), f"no stage for {sorted(names - set(STAGES))}"


def test_lower_stages_never_import_higher_ones():
    wrong = []
    for path in _sources():
        name, stage = _stage(_module(path))
        for target in _imports(path):
            if target.split(".")[1] not in STAGES:
                continue  # a name imported from the root package (__version__, …)
            other, other_stage = _stage(target)
            if other_stage > stage:
                wrong.append(f"{path.relative_to(ROOT)} ({name}) imports {target} ({other})")
    assert not wrong, "\n".join(wrong)


def test_few_loose_modules_at_the_top():
    loose = {p.stem for p in PKG.glob("*.py")} - {"__init__", "__main__", "__about__"}
    assert len(loose) <= LOOSE_LIMIT, sorted(loose)


def test_architecture_doc_names_the_folders_that_exist():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^  (\w+)/ ", doc, flags=re.MULTILINE))
    folders = {p.name for p in PKG.iterdir() if (p / "__init__.py").is_file()}
    assert named == folders, (
        f"named only in the doc: {named - folders}; not named: {folders - named}"
    )


def test_no_function_is_longer_than_80_lines():
    long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert not long, "\n".join(long)


def test_no_import_guard_around_our_own_modules():
    guarded = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = {getattr(h.type, "id", None) for h in node.handlers if h.type is not None}
            if "ImportError" not in catches and "ModuleNotFoundError" not in catches:
                continue
            body = ast.Module(body=node.body, type_ignores=[])
            if any(
                isinstance(n, ast.ImportFrom)
                and (n.level or (n.module or "").startswith("moisinno"))
                for n in ast.walk(body)
            ):
                guarded.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not guarded, "\n".join(guarded)
