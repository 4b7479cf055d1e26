"""What the report page shows, computed from the JSON report (the stable interface).

Working from ``Report.to_dict()`` rather than the objects keeps the page honest: it can
only show what ``moisinno validate --format json`` says. Large reports are cut for the
page (the downloads keep everything) so a file with 100,000 findings still loads.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from moisinno_data.reading.xlsx import column_letter
from moisinno_data.report.html import shown_cell
from moisinno_data.validation.report import shown_field
from moisinno_data.web.texts import kind_title

MAX_PER_KIND = 200
MAX_ROWS = 100


@dataclass
class Kind:
    code: str
    title: str
    severity: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.findings)

    @property
    def common_hint(self) -> str:
        """The hint, when every finding of the kind has the same one: shown once, not N times."""
        hints = {f.get("hint") or "" for f in self.findings}
        return hints.pop() if self.total > 1 and len(hints) == 1 else ""

    @property
    def anchor(self) -> str:
        return "type-" + "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in self.code)


def findings_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Errors and warnings in file order, as ``Report.findings`` sorts them."""
    items = list(report.get("errors", [])) + list(report.get("warnings", []))
    return sorted(
        items,
        key=lambda f: (
            f.get("row") or 0,
            f.get("column") or 0,
            f.get("severity") != "error",
            f.get("code") or "",
        ),
    )


def group_by_kind(report: dict[str, Any], lang: str, limit: int = MAX_PER_KIND) -> list[Kind]:
    """Errors first, then warnings; within each, kinds in order of first appearance
    (the order of the text and HTML reports)."""
    kinds: OrderedDict[tuple[str, str], Kind] = OrderedDict()
    for finding in findings_of(report):
        severity = finding.get("severity") or "error"
        code = finding.get("code") or "?"
        kind = kinds.get((severity, code))
        if kind is None:
            kind = kinds[(severity, code)] = Kind(code, kind_title(code, lang), severity)
        kind.total += 1
        if len(kind.findings) < limit:
            letter = column_letter(finding.get("column"))
            value = shown_cell(finding.get("value"))
            name = shown_field(code, finding.get("field"), finding.get("params"))
            kind.findings.append({**finding, "value": value, "letter": letter, "field": name})
    for item in report.get("omitted") or []:  # counted, not kept
        kind = kinds.get((item["severity"], item["code"]))
        if kind is not None:
            kind.total += item["count"]
    return sorted(kinds.values(), key=lambda k: k.severity != "error")


def header_marks(report: dict[str, Any]) -> dict[int | str, str]:
    """{column position and label: worst severity} for findings about the header (row 1)."""
    marks: dict[int | str, str] = {}
    for finding in findings_of(report):
        if finding.get("row") != 1:
            continue
        severity = finding.get("severity") or "error"
        for key in (finding.get("column"), finding.get("value")):
            if key:
                marks[key] = "error" if "error" in (marks.get(key), severity) else "warning"
    return marks


def rows_with_findings(report: dict[str, Any]) -> dict[int, dict[int | str, str]]:
    """Row number → {column position and field name: worst severity} for each finding.

    The page lights a cell by its position (1 = A) when the finding has one, else by its
    field name. A row-level finding (no cell) still lists the row, with no cell lit.
    """
    marks: dict[int, dict[int | str, str]] = {}
    for finding in findings_of(report):
        row = finding.get("row")
        if not row or row < 2:
            continue
        cells = marks.setdefault(row, {})
        severity = finding.get("severity") or "error"
        for key in (finding.get("column"), finding.get("field")):
            if key:
                cells[key] = "error" if "error" in (cells.get(key), severity) else "warning"
    return marks
