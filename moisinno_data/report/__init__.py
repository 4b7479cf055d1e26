"""Render a validation report for people (terminal text, self-contained HTML) or tools (JSON).

:func:`render` is what ``moisinno validate --format`` and the web page call. Text and HTML
group the findings by kind (``type-error``, ``cog-mismatch``…) with their counts, errors
before warnings, and can show at most ``max_per_kind`` findings of each kind — the counts
still tell how many there are. JSON is always complete: it is the stable, documented
interface (``docs/rapport-json.md``).

Messages and hints are (re)filled in the requested language before rendering, so one
report can be shown in French and in English.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import polars as pl

from moisinno_data.errors import ConfigError
from moisinno_data.package.text import quoted, version_label
from moisinno_data.validation.messages import localize
from moisinno_data.validation.report import Finding, Report, shown_field

FORMATS = ("text", "json", "html")


@dataclass
class Group:
    """The findings of one kind (same severity and code): how many, on which columns, and
    the first ones in file order, as objects."""

    severity: str
    code: str
    total: int
    fields: dict[str, int]
    """Column → number of findings, most frequent first (for the group's title)."""
    shown: list[Finding]

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown)


def groups(report: Report, max_per_kind: int | None = None) -> list[Group]:
    """Findings grouped by (severity, code): errors first, then by first appearance.

    Counted on the report's columns; only the ``max_per_kind`` shown of each kind become
    objects (every one when it is None): a report of 1.4 million findings, listed whole,
    took 3 GB and 19 s for a text of 330 MB. Only those shown are sorted: the first of each
    kind are found by their rank in it (sorting all 1.6 million findings of a file of
    one-cell rows peaked at 614 MB)."""
    found = report.found()
    if not found.height:
        return []
    kinds = report.kinds
    names = sorted({(k.severity == "warning", k.code) for k in kinds})
    group_of = {key: number for number, key in enumerate(names)}
    of_kind = [group_of[(k.severity == "warning", k.code)] for k in kinds]
    widest = found.select(pl.col("column").max().fill_null(0)).item()
    width = int(widest) + 1  # a finding's place: its row, then its cell
    place = pl.col("row").fill_null(0).cast(pl.Int64) * width + pl.col("column").fill_null(0)
    found = found.with_columns(
        pl.col("kind")
        .replace_strict(range(len(kinds)), of_kind, return_dtype=pl.UInt32)
        .alias("\x00group"),
        place.cast(pl.Int64).alias("\x00place"),
    )
    # A group's place is its first finding's: errors first, then by place, then by code.
    totals = found.group_by("\x00group").agg(total=pl.len(), first=pl.col("\x00place").min())
    keys = sorted(totals.iter_rows(), key=lambda r: (names[r[0]][0], r[2], names[r[0]][1]))
    fields: dict[int, dict[str, int]] = {}
    for group, kind, n in found.group_by(["\x00group", "kind"]).agg(n=pl.len()).iter_rows():
        record = kinds[kind]
        if field := shown_field(record.code, record.field, record.params):
            counts = fields.setdefault(group, {})
            counts[field] = counts.get(field, 0) + n
    if max_per_kind is not None:  # the first of each group, ties as found (ordinal ranks)
        rank = pl.col("\x00place").rank("ordinal").over("\x00group")
        found = found.filter(rank <= max(max_per_kind, 0))
    found = found.sort("\x00place", maintain_order=True)
    shown = found.partition_by("\x00group", as_dict=True, maintain_order=True)
    result = []
    for group, total, _first in keys:
        warning, code = names[group]
        counts = fields.get(group, {})
        part = shown.get((group,))
        result.append(
            Group(
                "warning" if warning else "error",
                code,
                total,
                dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
                report.materialise(part) if part is not None else [],
            )
        )
    return result


SPANNED_CODES = frozenset({"blank-label"})
"""Kinds a header finds once a column, said as spans of consecutive columns: a label
typed in column XFD leaves 16,381 unnamed columns before it, which a list of one line
each drowned in 600 lines of "column C has no name", "column D has no name"…"""


def column_spans(report: Report, code: str) -> list[tuple[int, int]]:
    """The (first, last) columns of each run of consecutive columns holding a finding of
    ``code`` (:data:`SPANNED_CODES`), in column order."""
    from moisinno_data.reading.xlsx import column_runs

    kinds = [number for number, k in enumerate(report.kinds) if k.code == code]
    found = report.found().filter(pl.col("kind").is_in(kinds))
    return column_runs(found.get_column("column").drop_nulls().unique().sort().to_list())


def ensure_language(report: Report, lang: str) -> Report:
    """Render messages and hints in ``lang`` unless the report already does."""
    if report.texts_lang != lang:
        localize(report, lang)
    return report


def render(
    report: Report,
    fmt: str = "text",
    *,
    lang: str = "fr",
    max_per_kind: int | None = None,
    color: bool = False,
) -> str:
    """The report as ``text``, ``json`` or ``html``, in ``lang`` ("fr" or "en")."""
    if fmt not in FORMATS:
        raise ConfigError(
            f"Format de rapport inconnu : « {fmt} » (text, json ou html).",
            en=f"Unknown report format: “{fmt}” (text, json or html).",
        )
    if max_per_kind is not None and max_per_kind < 0:
        raise ConfigError(
            "--max doit être un nombre positif ou nul.", en="--max must be zero or more."
        )
    ensure_language(report, lang)
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from moisinno_data.report.html import render_html

        if not report.samples and Path(str(report.file)).is_file():
            from moisinno_data.report.samples import attach_samples

            attach_samples(report, report.file)

        return render_html(report, lang=lang, max_per_kind=max_per_kind)
    from moisinno_data.report.text import render_text

    # https://no-color.org: a user who set NO_COLOR never gets colour, even on a terminal.
    color = color and not os.environ.get("NO_COLOR")
    return render_text(report, lang=lang, max_per_kind=max_per_kind, color=color)


def render_many(
    reports: list[Report],
    fmt: str = "text",
    *,
    lang: str = "fr",
    max_per_kind: int | None = None,
    color: bool = False,
) -> str:
    """Several reports as one output: one HTML page, a JSON list, or texts one after another."""
    if len(reports) == 1:
        return render(reports[0], fmt, lang=lang, max_per_kind=max_per_kind, color=color)
    if fmt not in FORMATS:
        raise ConfigError(
            f"Format de rapport inconnu : « {fmt} » (text, json ou html).",
            en=f"Unknown report format: “{fmt}” (text, json or html).",
        )
    for report in reports:
        ensure_language(report, lang)
    if fmt == "json":
        return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from moisinno_data.report.html import render_html_many
        from moisinno_data.report.samples import attach_samples

        for report in reports:
            if not report.samples and Path(str(report.file)).is_file():
                attach_samples(report, report.file)
        return render_html_many(reports, lang=lang, max_per_kind=max_per_kind)
    return "\n".join(
        render(r, fmt, lang=lang, max_per_kind=max_per_kind, color=color) for r in reports
    )


BIG_REPORT = 5_000
"""Findings beyond which the JSON report is written compact, a block at a time."""


def write(
    reports: list[Report],
    out: IO[str],
    fmt: str = "text",
    *,
    lang: str = "fr",
    max_per_kind: int | None = None,
    color: bool = False,
) -> None:
    """:func:`render_many` written to ``out``; a big JSON report is streamed (compact) so
    that writing it never holds all of its findings as Python objects or one string."""
    if fmt != "json" or sum(len(r.errors) + len(r.warnings) for r in reports) <= BIG_REPORT:
        out.write(render_many(reports, fmt, lang=lang, max_per_kind=max_per_kind, color=color))
        return
    for report in reports:
        ensure_language(report, lang)
    if len(reports) > 1:
        out.write("[")
    for i, report in enumerate(reports):
        out.write(",\n" if i else "")
        report.write_json(out)
    out.write("]\n" if len(reports) > 1 else "\n")


def schema_line(report: Report, lang: str) -> str:
    """``evenements v0.1.0 — Événements du … (reconnu d'après l'en-tête)``."""
    from moisinno_data.report.labels import word

    s: dict[str, Any] = report.schema or {}
    text = str(s.get("name") or s.get("path") or "?")
    if s.get("version"):
        text += f" {version_label(s['version'])}"
    if s.get("title"):
        text += f" — {s['title']}"
    how = s.get("detected_by")
    if how == "option":
        text += f" ({word('by_option', lang)})"
    elif how == "header":
        text += f" ({word('by_header', lang)})"
    return text


def omitted_line(report: Report, lang: str) -> str | None:
    """What the report counted without keeping (its caps: see :class:`Report`), if any."""
    from moisinno_data.report.labels import word

    n = sum(report.omitted.values())
    if not n:
        return None
    caps = []
    if report.keep_per_kind is not None:
        caps.append(word("per_kind", lang, n=_grouped(report.keep_per_kind)))
    if report.keep_total is not None:
        caps.append(_grouped(report.keep_total))
    return word("omitted", lang, n=_grouped(n), keep=" / ".join(caps))


def _grouped(n: int) -> str:
    """``10000000`` → ``10 000 000``."""
    return f"{n:,}".replace(",", " ")


def detected_line(report: Report, lang: str) -> str:
    """``CSV, encodage windows-1252, séparateur point-virgule``."""
    from moisinno_data.report.labels import DELIMITERS, word

    d = report.detected or {}
    parts = []
    if d.get("format"):
        parts.append(str(d["format"]).upper())
    if d.get("encoding"):
        parts.append(f"{word('encoding', lang)} {d['encoding']}")
    if d.get("delimiter"):
        fr, en = DELIMITERS.get(d["delimiter"], (repr(d["delimiter"]), repr(d["delimiter"])))
        parts.append(f"{word('delimiter', lang)} {en if lang == 'en' else fr}")
    if d.get("sheet"):
        parts.append(f"{word('sheet', lang)} {d['sheet']}")
    if d.get("sheet_ignored"):
        parts.append(word("sheet_ignored", lang, sheet=d["sheet_ignored"]))
    return ", ".join(parts)


def header_mapping(report: Report) -> dict[str, str]:
    """Header as written → schema field, for the headers that were renamed."""
    mapping = (report.detected or {}).get("header_mapping") or {}
    return (
        {str(k): str(v) for k, v in mapping.items() if k != v} if isinstance(mapping, dict) else {}
    )


def unchecked_columns(report: Report, lang: str) -> list[str]:
    """Each column whose values were not checked, with the field it most resembles."""
    from moisinno_data.report.labels import word

    columns = (report.detected or {}).get("unchecked_columns") or {}
    if not isinstance(columns, dict):
        return []
    return [
        quoted(label, lang) + (f" ({word('resembles', lang)} {closest})" if closest else "")
        for label, closest in columns.items()
    ]


__all__ = ["FORMATS", "Group", "groups", "render", "render_many", "write"]
