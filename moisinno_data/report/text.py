"""The terminal report: a summary, then the findings grouped by kind with their counts.

Colour (ANSI) only when asked — the CLI asks when standard output is a terminal — so a
report redirected to a file or piped to ``grep`` stays plain text.
"""

from __future__ import annotations

from moisinno_data.__about__ import __version__
from moisinno_data.package.text import quoted, visible
from moisinno_data.reading.xlsx import column_letter
from moisinno_data.report import (
    SPANNED_CODES,
    Group,
    column_spans,
    detected_line,
    groups,
    header_mapping,
    omitted_line,
    schema_line,
    unchecked_columns,
)
from moisinno_data.report.labels import kind, word
from moisinno_data.validation.report import Finding, Report, shown_field

RED, YELLOW, GREEN, BOLD, DIM, RESET = (
    "\x1b[31m",
    "\x1b[33m",
    "\x1b[32m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[0m",
)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color else text


def _where(f: Finding, lang: str) -> str:
    parts = []
    if f.row is not None:
        parts.append(f"{word('line', lang)} {f.row}")
    name = shown_field(f.code, f.field, f.params)
    if name:
        letter = column_letter(f.column)
        parts.append(f"{word('column', lang)} {name}" + (f" ({letter})" if letter else ""))
    elif f.column:
        parts.append(f"{word('column', lang)} {column_letter(f.column)}")
    return ", ".join(parts) or word("file_level", lang)


_clean = visible


def _short(value: str) -> str:
    """One line, at most 80 characters: a multi-line cell must not break the layout."""
    return _clean(value if len(value) <= 80 else value[:77] + "…")


def _spans(report: Report, group: Group, lang: str, most: int | None, color: bool) -> list[str]:
    """A header's findings of one kind too many to list, as spans of consecutive columns
    (:func:`column_spans`), the hint said once: "columns C to XFC (16,381 columns)"."""
    first = group.shown[0]
    spans = column_spans(report, group.code)
    out = []
    for a, b in spans[:most]:
        where = f"{word('column', lang)} {column_letter(a)}"
        if b > a:
            where = word("span", lang, first=column_letter(a), last=column_letter(b), n=b - a + 1)
        out.append(f"  {word('line', lang)} {first.row}, {where}")
    if most is not None and len(spans) > most:
        out.append(f"  {word('more', lang, n=len(spans) - most, max=most)}")
    if first.hint:
        out.append(_paint(f"    → {_clean(first.hint)}", DIM, color))
    return out


def render_text(
    report: Report, *, lang: str = "fr", max_per_kind: int | None = None, color: bool = False
) -> str:
    out: list[str] = []
    ok = report.valid
    verdict = word("valid" if ok else "invalid", lang)
    out.append(_paint(f"{word('title', lang)} — {verdict}", BOLD + (GREEN if ok else RED), color))
    c = ": " if lang == "en" else " : "
    out.append(f"{word('file', lang)}{c}{_clean(str(report.file))}")
    out.append(f"{word('schema', lang)}{c}{schema_line(report, lang)}")
    detected = detected_line(report, lang)
    if detected:
        out.append(f"{word('detected', lang)}{c}{detected}")
    mapping = header_mapping(report)
    if mapping:
        items = list(mapping.items())
        pairs = ", ".join(f"{quoted(_clean(k), lang)} → {v}" for k, v in items[:6])
        if len(items) > 6:
            pairs += f", … (+{len(items) - 6})"
        out.append(f"{word('mapping', lang)}{c}{pairs}")
    unchecked = unchecked_columns(report, lang)
    if unchecked:
        line = f"{word('unchecked', lang)}{c}{_clean(', '.join(unchecked))}"
        out.append(_paint(line, YELLOW, color))
    s = report.stats
    out.append(
        f"{word('rows', lang)}{c}{s['rows']} — {word('errors', lang).lower()}{c}{s['errors']}, "
        f"{word('warnings', lang).lower()}{c}{s['warnings']}"
    )
    if report.limit_reached:
        out.append(_paint(word("limit", lang, limit=report.limit), YELLOW, color))
    omitted = omitted_line(report, lang)
    if omitted:
        out.append(_paint(omitted, YELLOW, color))
    all_groups = groups(report, max_per_kind)
    if not all_groups:
        out.append("")
        out.append(word("no_findings", lang))
    for group in all_groups:
        style = RED if group.severity == "error" else YELLOW
        counted = list(group.fields.items())
        columns = ", ".join(f"{c} ×{n}" for c, n in counted[:6])
        if len(counted) > 6:
            columns += f", … (+{len(counted) - 6})"
        title = f"{kind(group.code, lang)} ({group.code}){c}{group.total}"
        if columns:
            title += f" — {columns}"
        out.append("")
        out.append(_paint(f"■ {title}", BOLD + style, color))
        if group.code in SPANNED_CODES and group.total > len(group.shown):
            out.extend(_spans(report, group, lang, max_per_kind, color))
            continue
        for f in group.shown:
            value = f"{c}{quoted(_short(f.value), lang)}" if f.value not in (None, "") else ""
            out.append(f"  {_where(f, lang)}{value}")
            if f.message:
                out.append(f"    {_clean(f.message)}")
            if f.hint:
                out.append(_paint(f"    → {_clean(f.hint)}", DIM, color))
        if group.hidden:
            out.append(f"  {word('more', lang, n=group.hidden, max=max_per_kind)}")
    out.append("")
    out.append(_paint(word("generated", lang, version=__version__), DIM, color))
    return "\n".join(out) + "\n"
