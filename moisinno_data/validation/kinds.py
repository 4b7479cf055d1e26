"""The registry of finding kinds: one entry per code, everything a renderer needs.

A :class:`Kind` says what a finding code means — its severity, its title, the sentence a
contributor reads and the hint, each in French and English — and which stage of the
pipeline emits it. The text and HTML reports, the JSON documentation, the web page and
``localize`` all read this registry; a test holds it to the codes the code actually emits.

Kinds are declared next to what emits them. The standard and structural kinds are
declared in :mod:`.messages` (their sentences live there); each business rule module under
:mod:`.rules` declares ``KINDS = (Kind(...), ...)`` beside its ``check`` — so a new rule
adds its kinds without editing any central table. :func:`registry` collects them all.

A message or hint is either a function ``(finding, lang) -> str`` or a pair of
templates ``(french, english)`` filled with ``{field}``, ``{value}``, ``{column}``,
``{row}`` and the finding's ``params`` (a missing key shows as ``?``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from moisinno_data.validation.report import Finding

Text = Callable[[Finding, str], str] | tuple[str, str]
KindSeverity = Literal["error", "warning", "error|warning"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _fill(template: str, f: Finding) -> str:
    data = _Blank({k: v for k, v in (f.params or {}).items() if isinstance(k, str)})
    data.update(
        field=f.field or "?",
        value=f.value if f.value is not None else "",
        column=f.column or "?",
        row=f.row or "?",
    )
    return template.format_map(data)


@dataclass(frozen=True)
class Kind:
    code: str
    severity: KindSeverity
    """The severity its findings carry ("error|warning" when it depends on the case)."""
    title: tuple[str, str]
    """(French, English): the heading a report groups these findings under."""
    message: Text
    hint: Text
    emitter: str
    """The stage or rule that emits it: ``resolution``, ``cells``, ``keys``, ``engine``,
    ``rules`` or ``rule:<name>`` for a business rule."""

    def title_in(self, lang: str) -> str:
        return self.title[1] if lang == "en" else self.title[0]

    def render_message(self, finding: Finding, lang: str) -> str:
        return _render(self.message, finding, lang)

    def render_hint(self, finding: Finding, lang: str) -> str:
        return _render(self.hint, finding, lang)


def _render(text: Text, finding: Finding, lang: str) -> str:
    if callable(text):
        return text(finding, lang)
    return _fill(text[1] if lang == "en" else text[0], finding)


@functools.cache
def registry() -> dict[str, Kind]:
    """Every kind, by code: the core ones and those of every business rule."""
    from moisinno_data.validation import messages, read_kinds, rules

    modules = {id(m): m for m in rules.RULES.values()}.values()
    found: dict[str, Kind] = {}
    for kind in (
        *messages.KINDS,
        *read_kinds.KINDS,
        *(k for m in modules for k in getattr(m, "KINDS", ())),
    ):
        if kind.code in found:
            raise RuntimeError(f"finding kind {kind.code!r} declared twice")
        found[kind.code] = kind
    return found


def get(code: str) -> Kind | None:
    return registry().get(code)


def title(code: str, lang: str) -> str:
    """The kind's title in ``lang``; the code itself for a kind nobody declared."""
    kind = get(code)
    return kind.title_in(lang) if kind else code


def describe(lang: str = "fr") -> list[dict[str, Any]]:
    """The registry as data (code, severity, title, emitter): for documentation and tools."""
    return [
        {"code": k.code, "severity": k.severity, "title": k.title_in(lang), "emitter": k.emitter}
        for k in registry().values()
    ]


__all__ = ["Kind", "describe", "get", "registry", "title"]
