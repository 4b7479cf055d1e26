"""The validation report model: what every renderer (text, JSON, HTML, web page) reads.

A :class:`Finding` is one problem at one place. Its ``code`` is the frictionless error type
where one exists (``type-error``, ``constraint-error``, ``missing-cell``…) so findings can be
compared with the reference validator, and an own code for business rules
(``siret-checksum``, ``cog-mismatch``…). ``message`` and ``hint`` are already rendered in
the report's language; ``params`` keeps the raw facts (expected type, allowed values…) for
tools that want to render their own text.

The JSON form (:meth:`Report.to_dict`) is a stable, documented interface
(``docs/rapport-json.md``): add keys, never rename or remove them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from moisinno_data.package.descriptors import FindingDict

Severity = Literal["error", "warning"]
REPORT_FORMAT_VERSION = "1.0"

FRICTIONLESS_CODES = frozenset(
    {
        "type-error",
        "constraint-error",
        "unique-error",
        "primary-key",
        "foreign-key",
        "missing-cell",
        "extra-cell",
        "blank-row",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
        "incorrect-label",
    }
)
"""Codes that are frictionless error types: findings with these codes are the ones the
differential tests and the benchmark compare with the reference validator; every other
code is our own (business rules, header warnings)."""


@dataclass
class Finding:
    code: str
    severity: Severity = "error"
    row: int | None = None
    """Line number as a spreadsheet shows it: the header is 1, the first data row 2.
    For a CSV with quoted newlines it is the *record* number, like frictionless's rowNumber;
    ``line`` then holds the physical line where the record starts."""
    field: str | None = None
    column: int | None = None
    """1-based position of the column in the file (A = 1), None for row- or file-level findings."""
    value: str | None = None
    message: str = ""
    hint: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    line: int | None = None

    def to_dict(self) -> FindingDict:
        # Written out rather than dataclasses.asdict, which deep-copies recursively and
        # dominated the JSON report of a file with many findings. Same keys, same order.
        return {
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "field": self.field,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
            "params": dict(self.params),
            "line": self.line,
        }

    @property
    def key(self) -> tuple[str, int | None, str | None]:
        """(code, row, field): what the differential tests compare with frictionless."""
        return (self.code, self.row, self.field)


@dataclass
class Report:
    file: str
    schema: dict[str, Any]
    """{"name", "title", "version", "path", "detected_by": "option" | "header"}"""
    detected: dict[str, Any] = dataclasses.field(default_factory=dict)
    """{"format": "csv"|"xlsx"|"ods", "encoding", "delimiter", "sheet", "header_mapping": {...}}"""
    errors: list[Finding] = dataclasses.field(default_factory=list)
    warnings: list[Finding] = dataclasses.field(default_factory=list)
    rows: int = 0
    lang: str = "fr"
    limit: int | None = None
    limit_reached: bool = False
    header: list[str] | None = None
    """The file's header as written (optional): lets renderers show the offending rows."""
    samples: dict[int, list[str]] = dataclasses.field(default_factory=dict)
    """Cells of (some of) the offending rows, by row number (optional; the engine may cap
    how many it keeps). The HTML report shows them as a table with the bad cells lit."""

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def findings(self) -> list[Finding]:
        return sorted(
            self.errors + self.warnings,
            key=lambda f: (f.row or 0, f.column or 0, f.severity != "error", f.code),
        )

    def add(self, finding: Finding) -> None:
        (self.errors if finding.severity == "error" else self.warnings).append(finding)

    @property
    def stats(self) -> dict[str, int]:
        return {"rows": self.rows, "errors": len(self.errors), "warnings": len(self.warnings)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "valid": self.valid,
            "file": self.file,
            "schema": self.schema,
            "detected": self.detected,
            "stats": self.stats,
            "lang": self.lang,
            "limit": self.limit,
            "limit_reached": self.limit_reached,
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
            "header": self.header,
            "samples": {str(row): cells for row, cells in sorted(self.samples.items())},
        }
