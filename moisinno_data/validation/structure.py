"""Match a file's header to the schema's fields, the way a steward needs it.

frictionless matches columns by position and reports any difference as an error. Files
from the field often have ``Date``, `` titre `` or ``Région`` for ``date``, ``titre`` and
``region``, or columns in another order: we map each label to its field by name
(ignoring case, accents and surrounding spaces, with a warning that shows the mapping)
and only report what really blocks: a missing required column is an error, a missing
optional column, an unknown column or another order are warnings. Blank and duplicate
labels keep frictionless's codes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from moisinno_data.validation.report import Finding


def normalise_label(label: str) -> str:
    """``" Région "`` → ``"region"``: what a header means once case and accents are gone."""
    text = unicodedata.normalize("NFKD", label.strip())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


@dataclass
class HeaderMatch:
    columns: dict[str, int]
    """field name → 0-based position of its column in the file."""
    findings: list[Finding] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    """label as written → field name, for labels that needed normalising."""


def match_header(header: list[str], fields: list[dict[str, Any]]) -> HeaderMatch:
    names = [f["name"] for f in fields]
    by_name = {n: i for i, n in enumerate(names)}
    by_norm: dict[str, str] = {}
    for n in names:
        by_norm.setdefault(normalise_label(n), n)
    columns: dict[str, int] = {}
    result = HeaderMatch(columns=columns)
    seen_labels: dict[str, int] = {}
    for position, label in enumerate(header):
        number = position + 1
        positional = names[position] if position < len(names) else None
        if not label.strip():
            result.findings.append(
                Finding(
                    code="blank-label",
                    row=1,
                    column=number,
                    field=positional,
                    value=label,
                    params={"label": label},
                )
            )
            continue
        if label in seen_labels:
            result.findings.append(
                Finding(
                    code="duplicate-label",
                    row=1,
                    column=number,
                    field=positional,
                    value=label,
                    params={"label": label, "first_column": seen_labels[label] + 1},
                )
            )
            continue
        seen_labels[label] = position
        target = label if label in by_name else by_norm.get(normalise_label(label))
        if target is None or target in columns:
            result.findings.append(
                Finding(
                    code="extra-label",
                    severity="warning",
                    row=1,
                    column=number,
                    value=label,
                    params={"label": label},
                )
            )
            continue
        columns[target] = position
        if target != label:
            result.mapping[label] = target
            result.findings.append(
                Finding(
                    code="incorrect-label",
                    severity="warning",
                    row=1,
                    column=number,
                    field=target,
                    value=label,
                    params={"label": label, "expected": target, "mapped": True},
                )
            )
    for number, f in enumerate(fields, start=1):
        if f["name"] in columns:
            continue
        required = bool((f.get("constraints") or {}).get("required"))
        result.findings.append(
            Finding(
                code="missing-label",
                severity="error" if required else "warning",
                row=1,
                field=f["name"],
                params={"field_number": number, "required": required},
            )
        )
    present = [n for n in names if n in columns]
    in_file = sorted(present, key=lambda n: columns[n])
    if present != in_file:
        result.findings.append(
            Finding(
                code="column-order",
                severity="warning",
                row=1,
                params={"expected": present, "actual": in_file},
            )
        )
    return result
