"""Validate a contributed file against a Table Schema: :func:`validate`.

The schema is a bundled table name (``"evenements"``), the path of any Table Schema JSON
file, a dict, or ``None`` — then the bundled table the file's header clearly is (most of
its columns, all the table's required ones) is chosen and the report says so
(``schema["detected_by"] == "header"``); with no clear match, a ConfigError (exit 2) names
the best candidates. Header and table resolution is :mod:`.resolution`, shared by every
command.

The engine (:mod:`.engine`) is columnar and batched; the findings it reports for the
Table Schema checks are frictionless's, and the business rules declared under
``custom_checks`` run on the same batches (:mod:`.rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from moisinno_data.errors import COMMAND_LINE, Asker, ConfigError
from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.validation.report import Finding, Report

__all__ = ["Finding", "Report", "validate"]


KEEP_TOTAL = 2_500_000
"""Findings a report keeps at most; later ones are counted, not kept. A million-row file
with two wrong cells a row has 2 million. Kept, they take about 65 bytes each, and more
while a report is written (a text report of 1.6 million findings, from a 2.4 MB file of
one-cell rows, peaked at 444 MB): 10 million would have taken gigabytes."""


def _schema_meta(
    schema: SchemaDescriptor, path: Any, detected_by: str, table: str | None = None
) -> dict[str, Any]:
    """The report's ``schema`` block. ``table``: the package's table the schema belongs
    to, if any — what fix and the web page's fixed file must use, not the schema's
    ``name``, which need not be a table's (``init`` makes « Arbres urbains » the table
    ``arbres-urbains``); a schema without a ``name`` is named by it (else the report
    shows its path)."""
    if table is None and path is not None:
        from moisinno_data.package.schemas import table_of

        table = table_of(Path(path))
    return {
        "name": schema.get("name") or table,
        "title": schema.get("title"),
        "version": schema.get("version"),
        "path": str(path) if path is not None else None,
        "detected_by": detected_by,
        "table": table,
    }


def resolve_schema(
    schema: str | Path | SchemaDescriptor | dict[str, Any] | None,
    header: list[str] | None = None,
    *,
    source: str = "",
    lang: str = "fr",
    below: Callable[[], Sequence[Sequence[str]]] | None = None,
    read: tuple[Path, dict[str, Any]] | None = None,
    asker: Asker = COMMAND_LINE,
) -> tuple[SchemaDescriptor, dict[str, Any]]:
    """(schema dict, report's ``schema`` block) for what the user gave; without a schema,
    the table the header clearly is (:func:`.resolution.detect_table`, exit 2 otherwise;
    ``below``: the file's first rows, where a header under a title is looked for;
    ``read``: the file and how it was read, whose other sheets a refusal names;
    ``asker``: who asks, whose words say how to choose)."""
    from moisinno_data.package.schemas import SchemaError, check_schema, load_schema, resolve

    if isinstance(schema, dict):
        check_schema(schema)  # a path's schema is checked by load_schema
        checked = cast(SchemaDescriptor, schema)
        return checked, _schema_meta(checked, None, "option")
    if schema is not None:
        try:
            path = resolve(schema)
            loaded = load_schema(path)
            return loaded, _schema_meta(loaded, path, "option")
        except SchemaError as exc:
            raise ConfigError(str(exc), en=exc.en) from None
    from moisinno_data.package import paths
    from moisinno_data.validation.resolution import detect_table

    found = detect_table(
        header or [], source=source, lang=lang, below=below, read=read, asker=asker
    )
    path = paths.schema_path(found.name)
    return found.schema, _schema_meta(found.schema, path, "header", found.name)


def validate(
    path: str | Path,
    schema: str | Path | SchemaDescriptor | dict[str, Any] | None = None,
    *,
    lang: str = "fr",
    limit: int | None = None,
    sheet: str | None = None,
    progress: bool | None = None,
    batch_rows: int | None = None,
    messages: bool = True,
    keep_per_kind: int | None = None,
    keep_total: int | None = KEEP_TOTAL,
    asker: Asker = COMMAND_LINE,
) -> Report:
    """Validate the file at ``path`` and return its :class:`Report`.

    ``limit`` stops after that many errors (``report.limit_reached`` says so); by default
    every error is reported. ``progress`` forces the progress bar on or off (default: on
    for files over a few MB when stderr is a terminal). ``messages=False`` leaves
    ``message``/``hint`` empty for a caller that renders them itself (the CLI's renderers
    fill them in the chosen language), which saves time on files with many findings.
    ``keep_per_kind`` keeps at most that many findings of each kind (the others are
    counted in ``report.omitted``): a server holding many reports sets it.
    ``keep_total`` (:data:`KEEP_TOTAL` by default, None: no cap) does the same for all
    findings together, so that no file, however wrong, can exhaust the memory.
    ``asker``: who asks (:class:`~moisinno_data.errors.Asker`), whose words a refusal uses
    to say how to choose the table or the sheet.
    """
    from moisinno_data import reading
    from moisinno_data.validation.engine import BATCH_ROWS, validate_file
    from moisinno_data.validation.rules import prepare

    path = Path(path)
    detected = reading.detect(path, sheet, full=False)
    header = None
    if schema is None:
        header, _ = reading.read_header(path, detected)
    schema_dict, meta = resolve_schema(
        schema,
        header,
        source=str(path),
        lang=lang,
        below=lambda: _first_rows(path, detected),
        read=(path, detected),  # the table may be on another sheet
        asker=asker,
    )
    schema_dict, schema_notes = prepare(schema_dict, meta.get("path"))  # exit 2 if wrong
    report = validate_file(
        path,
        cast(dict[str, Any], schema_dict),  # the engine's signature still says a plain dict
        meta,
        lang=lang,
        limit=limit,
        sheet=sheet,
        batch_rows=batch_rows or BATCH_ROWS,
        progress=progress,
        detected=detected,
        keep_per_kind=keep_per_kind,
        keep_total=keep_total,
    )
    if sheet is None:  # a sheet asked for by name: the others are left out knowingly
        _note_unread_sheets(report, path, detected, schema_dict, meta)
    if schema_notes:  # the schema's own warnings come first
        report.warnings = [*schema_notes, *report.warnings]
    if messages:
        localize(report, lang)
    return report


def _note_unread_sheets(
    report: Report, path: Path, detected: dict[str, Any], schema: Any, meta: dict[str, Any]
) -> None:
    """Warn (``unread-sheets``) of the workbook's other sheets that hold the table too:
    their rows are not validated (:mod:`.other_sheets`)."""
    from moisinno_data.validation.other_sheets import unread_sheets
    from moisinno_data.validation.report import Finding

    table = str(meta.get("name") or schema.get("name") or "")
    unread = unread_sheets(path, detected, table, schema)
    if unread:
        report.add(Finding(code="unread-sheets", severity="warning", params=unread.params))


def _first_rows(path: Path, detected: dict[str, Any]) -> list[list[str]]:
    from moisinno_data import reading
    from moisinno_data.validation.resolution import HEADER_SEARCH_ROWS

    return reading.first_rows(path, detected, HEADER_SEARCH_ROWS)


def localize(report: Report, lang: str) -> None:
    """Fill ``message``/``hint`` of every finding in ``lang``."""
    from moisinno_data.validation.messages import localize as fill

    fill(report, lang)
