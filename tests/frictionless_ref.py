"""Run the reference validator (frictionless) the way the differential tests need it.

A contributed file is validated inside a package that also holds the published tables it
refers to, so that foreign keys resolve exactly as in ``datapackage.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from frictionless import Package, Resource, Schema, system

from moisinno_data.package.datapackage import foreign_keys

ROOT = Path(__file__).resolve().parent.parent


def findings(table: str, csv_path: Path, schema_path: Path | None = None) -> list[tuple]:
    """(code, row, field) for every error frictionless finds, its error limit lifted."""
    schema_path = schema_path or ROOT / "schemas" / table / "schema.json"
    descriptor = json.loads(schema_path.read_text(encoding="utf-8"))
    # Keys between tables are the data package's (datapackage.json), as for our engine.
    if not descriptor.get("foreignKeys"):
        descriptor["foreignKeys"] = foreign_keys(descriptor.get("name"), ROOT)
    resources = [
        Resource(
            path=str(Path(csv_path).resolve()),
            name=table,
            schema=Schema.from_descriptor(descriptor),
        )
    ]
    referenced = {fk["reference"]["resource"] for fk in descriptor.get("foreignKeys", [])} - {
        "",
        table,
    }
    for other in sorted(referenced):
        resources.append(
            Resource(
                path=str(ROOT / "datasets" / f"{other}.csv"),
                name=other,
                schema=Schema.from_descriptor(str(ROOT / "schemas" / other / "schema.json")),
            )
        )
    with system.use_context(trusted=True):
        report = Package(resources=resources, basepath="/").validate(limit_errors=10_000_000)
    out = []
    for task in report.tasks:
        if task.name != table:
            continue
        for error in task.errors:
            out.append(
                (error.type, getattr(error, "row_number", None), getattr(error, "field_name", None))
            )
    return out
