"""The page's bridge to the library: the same engine, renderers and fixer as the commands.

Nothing here validates, renders or fixes on its own; each function gives the upload a
temporary path (removed afterwards, see :mod:`.uploads`), calls the library function the
matching ``moisinno`` command calls, and returns what the page needs.

Two differences, for the server's memory and time: a report keeps at most
``findings_per_kind`` findings of each kind (the first ones in the file) and says how many
more there were (``omitted`` in its JSON form), so an error-dense upload costs kilobytes,
not gigabytes; and every file is read within the page's budget (``budget``, from
:meth:`.settings.Settings.budget`: sizes scaled to the upload limit, and a time), set here
with :func:`~moisinno_data.reading.budget.limits`, in the worker thread that reads (a
thread does not inherit it).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data import validate
from moisinno_data.errors import Asker, ConfigError, InputError, MoisinnoError
from moisinno_data.package import template
from moisinno_data.package.schemas import SchemaError, list_schemas, load_schema
from moisinno_data.package.schemas import table_names as _table_names
from moisinno_data.publishing.fix import fix_file
from moisinno_data.reading.budget import Budget, limits
from moisinno_data.report import ensure_language
from moisinno_data.report.html import render_html, shown_cell, shown_columns
from moisinno_data.report.samples import attach_samples
from moisinno_data.validation.messages import localize
from moisinno_data.web.downloads import changes_csv
from moisinno_data.web.texts import PAGE, human_size
from moisinno_data.web.uploads import ScratchArea, scratch_file
from moisinno_data.web.view import MAX_ROWS, rows_with_findings

BYTES_PER_FINDING = 1200
"""What one kept finding costs the server: the Finding and its dict form (measured about
1 KB for both on the bundled examples), rounded up."""


@dataclass
class Validation:
    report: Any
    """The library's Report object (renderers take it)."""
    data: dict[str, Any]
    """``report.to_dict()``: what the page and the API show."""
    header: list[tuple[int, str]] = field(default_factory=list)
    """The header's columns the page shows (:func:`.report.html.shown_columns`): (column
    number, label)."""
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    """The offending rows as read from the file: (line number, cells), the cells under
    :attr:`header`, then those past the header, each said with its column."""
    rows_error: str | None = None
    omitted: dict[tuple[str, str], int] = field(default_factory=dict)
    """Findings beyond the per-kind cap, by (severity, code): counted, not kept."""

    def cost(self) -> int:
        """Bytes this result keeps alive, for the store's budget."""
        findings = len(self.report.errors) + len(self.report.warnings)
        cells = sum(len(c) for _, row in self.rows for c in row)
        # the cells' texts, held by the report's columns and again by ``data``: a report
        # of 82 cells of 512,000 characters held 46 MB, counted as 0.1 MB
        values = 2 * self.report.value_bytes()
        return findings * BYTES_PER_FINDING + 2 * cells + values + 4096


def table_names() -> list[str]:
    return _table_names()


def table_choices() -> list[tuple[str, str]]:
    """(name, title) of each bundled table, for the page's drop-down list."""
    return [(info.name, info.title) for info in list_schemas()]


def check_table(schema: str | None) -> str | None:
    """Only bundled table names: a page open to a browser must not read paths on disk."""
    schema = (schema or "").strip() or None
    if schema is not None and schema not in table_names():
        known = ", ".join(table_names())
        raise ConfigError(
            f"Table inconnue : « {schema} ». Tables disponibles : {known}.",
            en=f'Unknown table: "{schema}". Available tables: {known}.',
        )
    return schema


def validate_upload(
    data: bytes,
    filename: str,
    *,
    schema: str | None,
    lang: str,
    sheet: str | None,
    scratch: ScratchArea,
    per_kind: int,
    budget: Budget,
    with_rows: bool = True,
    asker: Asker = PAGE,
) -> Validation:
    """``moisinno validate`` on the uploaded bytes; user mistakes raise MoisinnoError,
    whose sentence names ``asker``'s fields (the page's by default)."""
    schema = check_table(schema)
    with scratch_file(data, filename, scratch) as path, _user_paths(path, filename), limits(budget):
        try:
            # The engine keeps at most per_kind findings of each kind while it validates:
            # an error-dense upload never holds millions of findings, even briefly.
            report = validate(
                path, schema, lang=lang, sheet=sheet or None, keep_per_kind=per_kind, asker=asker
            )
        except SchemaError as exc:
            raise InputError(str(exc), en=exc.en) from None
        omitted = dict(report.omitted)
        _hide_scratch_path(report, path, filename)
        result = Validation(report=report, data=report.to_dict(), omitted=omitted)
        if with_rows:
            _attach_rows(result, path, sheet)
    return result


@contextlib.contextmanager
def _user_paths(path: Path, filename: str) -> Iterator[None]:
    """Errors name the file the steward chose, never our temporary copy."""
    try:
        yield
    except MoisinnoError as exc:
        hide = _hiding_our_paths(path, filename)
        exc.args = (hide(str(exc)),)
        exc.en = hide(exc.en) if exc.en else exc.en
        raise


def _hiding_our_paths(path: Path, filename: str) -> Callable[[str], str]:
    """A text mapper naming the steward's file, not our temporary copy, and the package's
    files from its folder (``schemas/x/schema.json``): a page open to a network does not
    show where the server keeps them. The folders are found once, not once per text."""
    from moisinno_data.package import paths

    scratch, folder, root = str(path), str(path.parent), f"{paths.bundle_root()}{os.sep}"

    def hide(text: str) -> str:
        return text.replace(scratch, filename).replace(folder, ".").replace(root, "")

    return hide


def relocalize(validation: Validation, lang: str, budget: Budget | None = None) -> Validation:
    """The same findings in another language, without validating the file again; within
    ``budget``'s time, as the first language was (past it, hints seek no correction)."""
    with limits(budget or Budget()):
        report = localize(copy.deepcopy(validation.report), lang)
        return dataclasses.replace(validation, report=report, data=report.to_dict())


def _hide_scratch_path(report: Any, path: Path, filename: str) -> None:
    """The report names the file the steward chose, not our temporary copy."""
    report.file = filename
    hide = _hiding_our_paths(path, filename)
    report.map_texts(hide)
    if isinstance(report.schema.get("path"), str):
        report.schema = {**report.schema, "path": hide(report.schema["path"])}


def _attach_rows(result: Validation, path: Path, sheet: str | None) -> None:
    """Keep the first offending rows on the report while the scratch copy still exists:
    the page shows them with cells lit, and the HTML download renders them too."""
    wanted = sorted(rows_with_findings(result.data))[:MAX_ROWS]
    if not wanted:
        return
    report = result.report
    attach_samples(report, path, sheet=sheet or None, limit=MAX_ROWS)
    if not report.samples:  # the report itself is still right; only the preview is lost
        result.rows_error = "les lignes du fichier n'ont pas pu être relues"
        return
    report.header = [shown_cell(str(h)) for h in report.header or []]
    report.samples = {row: [shown_cell(c) for c in cells] for row, cells in report.samples.items()}
    columns, width = shown_columns(report.header, report.samples.values()), len(report.header)
    result.header = [(c + 1, report.header[c]) for c in columns]
    for row in (row for row in wanted if row in report.samples):
        cells = report.samples[row]
        shown = [cells[c] if c < len(cells) else "" for c in columns]
        result.rows.append((row, shown + cells[width:]))


def report_json(validation: Validation) -> Iterator[str]:
    """What ``moisinno validate --format json`` prints for this file, in pieces: the answer
    is streamed, never built as one string. (The rows kept for the page and the HTML
    download are not part of the command's JSON.)"""
    data = {**validation.data, "header": None, "samples": {}}
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    batch: list[str] = []
    size = 0
    for piece in encoder.iterencode(data):
        batch.append(piece)
        size += len(piece)
        if size >= 64 * 1024:
            yield "".join(batch)
            batch, size = [], 0
    batch.append("\n")
    yield "".join(batch)


def report_html(validation: Validation, lang: str) -> str:
    """The self-contained HTML report of ``moisinno validate --format html``, with the rows
    :func:`validate_upload` kept while the upload existed.

    Not :func:`~moisinno_data.report.render`: for a report without rows it reads them
    back from ``report.file`` — here the name the *client* chose, resolved against the
    server's working folder. An upload named like a file there (``contacts.csv``) would
    have had that file's rows put in its report, and a name longer than the system
    allows made the download an internal error."""
    return render_html(ensure_language(validation.report, lang), lang=lang)


@dataclass
class Fixed:
    content: bytes
    """The canonical file (UTF-8, ``,``, ``\\n``, ISO dates) as ``moisinno fix`` writes it."""
    changes_csv: bytes
    """Every change (line, column, before → after), one per line, as CSV (French)."""
    changes_csv_en: bytes = b""
    """The same list in English, for the page in English."""

    def changes_in(self, lang: str) -> bytes:
        """``corrections.csv`` in the page's language."""
        return self.changes_csv_en if lang == "en" and self.changes_csv_en else self.changes_csv

    def cost(self) -> int:
        return len(self.content) + len(self.changes_csv) + len(self.changes_csv_en)


def fix_upload(
    data: bytes,
    filename: str,
    *,
    schema: str | None,
    sheet: str | None,
    scratch: ScratchArea,
    budget: Budget,
    max_bytes: int | None = None,
) -> Fixed:
    """``moisinno fix`` on the upload: the canonical file and the list of its changes.

    ``max_bytes``: the fixed file the page may hold, at most. A workbook's repeats can make
    a 2 KB upload a 500 MB file (bounded by the reading budget), which the page would keep
    in memory beside everybody's reports: past it, the file is refused with a sentence
    (``moisinno fix`` on one's own machine has no such bound)."""
    table = check_table(schema)
    if table is None:
        raise ConfigError(
            "La table du fichier n'a pas pu être déterminée : choisissez-la dans la liste.",
            en="The file's table could not be determined: choose it in the list.",
        )
    with scratch_file(data, filename, scratch) as path, _user_paths(path, filename), limits(budget):
        # the page shows the fixed file and its changes, never what validating it again
        # would count: that second validation is not run
        out = path.with_name(f"{path.name}.corrige.csv")
        try:
            result = fix_file(
                path, load_schema(table), out, sheet=sheet or None, revalidate=False, asker=PAGE
            )
            _check_fixed_size(out.stat().st_size, max_bytes)
            content = out.read_bytes()
        finally:
            out.unlink(missing_ok=True)
    return Fixed(content, changes_csv(result), changes_csv(result, "en"))


def _check_fixed_size(size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise InputError(
            f"le fichier corrigé ferait {human_size(size)}, au-delà des "
            f"{human_size(max_bytes)} que cette page peut garder : corrigez-le sur votre "
            "poste avec « moisinno fix », ou envoyez-le en plusieurs parties.",
            en=f"the fixed file would be {human_size(size, 'en')}, past the "
            f"{human_size(max_bytes, 'en')} this page can keep: fix it on your own machine "
            'with "moisinno fix", or send it in parts.',
        )


def template_bytes(table: str, lang: str = "fr") -> bytes:
    """The Excel template ``moisinno template --schema TABLE --lang LANG`` writes, as bytes."""
    return template.build(load_schema(check_table(table) or ""), table, lang)
