"""The page's bridge to the library: the same engine, renderers and fixer as the commands.

Nothing here validates, renders or fixes on its own; each function gives the upload a
temporary path (removed afterwards, see :mod:`.uploads`), calls the library function the
matching ``moisinno`` command calls, and returns what the page needs.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from moisinno_data.web.uploads import scratch_file
from moisinno_data.web.view import MAX_ROWS, rows_with_findings

TmpRoot = str | os.PathLike | None


class Unavailable(Exception):
    """A download the installed library cannot produce (the message says why)."""


@dataclass
class Validation:
    report: Any
    """The library's Report object (renderers take it)."""
    data: dict[str, Any]
    """``report.to_dict()``: what the page and the API show."""
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    """The offending rows as read from the file: (line number, cells)."""
    rows_error: str | None = None


def table_names() -> list[str]:
    from moisinno_data.package.schemas import table_names as names

    return names()


def table_choices() -> list[tuple[str, str]]:
    """(name, title) of each bundled table, for the page's drop-down list."""
    from moisinno_data.package.schemas import list_schemas

    return [(info.name, info.title) for info in list_schemas()]


def check_table(schema: str | None) -> str | None:
    """Only bundled table names: a page open to a browser must not read paths on disk."""
    from moisinno_data.errors import ConfigError

    schema = (schema or "").strip() or None
    if schema is not None and schema not in table_names():
        known = ", ".join(table_names())
        raise ConfigError(f"Table inconnue : « {schema} ». Tables disponibles : {known}.")
    return schema


def validate_upload(
    data: bytes,
    filename: str,
    *,
    schema: str | None,
    lang: str,
    sheet: str | None,
    tmp_root: TmpRoot,
    with_rows: bool = True,
) -> Validation:
    """``moisinno validate`` on the uploaded bytes; user mistakes raise MoisinnoError."""
    from moisinno_data import validate
    from moisinno_data.errors import InputError
    from moisinno_data.package.schemas import SchemaError

    schema = check_table(schema)
    with scratch_file(data, filename, tmp_root) as path, _user_paths(path, filename):
        try:
            report = validate(path, schema, lang=lang, sheet=sheet or None)
        except SchemaError as exc:
            raise InputError(str(exc)) from None
        _hide_scratch_path(report, path, filename)
        result = Validation(report=report, data=report.to_dict())
        if with_rows:
            _attach_rows(result, path, sheet)
    return result


@contextlib.contextmanager
def _user_paths(path: Path, filename: str) -> Iterator[None]:
    """Errors name the file the steward chose, never our temporary copy."""
    from moisinno_data.errors import MoisinnoError

    try:
        yield
    except MoisinnoError as exc:
        text = str(exc)
        if str(path.parent) in text:
            exc.args = (text.replace(str(path), filename).replace(str(path.parent), "."),)
        raise


def relocalize(validation: Validation, lang: str) -> Validation:
    """The same findings in another language, without validating the file again."""
    import copy

    from moisinno_data.validation.messages import localize

    report = localize(copy.deepcopy(validation.report), lang)
    return Validation(
        report=report,
        data=report.to_dict(),
        header=validation.header,
        rows=validation.rows,
        rows_error=validation.rows_error,
    )


def _hide_scratch_path(report: Any, path: Path, filename: str) -> None:
    """The report names the file the steward chose, not our temporary copy."""
    report.file = filename
    folder = str(path.parent)
    report.map_texts(lambda text: text.replace(str(path), filename).replace(folder, "."))


def _attach_rows(result: Validation, path: Path, sheet: str | None) -> None:
    """Keep the first offending rows on the report while the scratch copy still exists:
    the page shows them with cells lit, and the HTML download renders them too."""
    from moisinno_data.report.samples import attach_samples

    wanted = sorted(rows_with_findings(result.data))[:MAX_ROWS]
    if not wanted:
        return
    report = result.report
    attach_samples(report, path, sheet=sheet or None, limit=MAX_ROWS)
    if not report.samples:  # the report itself is still right; only the preview is lost
        result.rows_error = "les lignes du fichier n'ont pas pu être relues"
        return
    result.header = [str(h) for h in report.header or []]
    result.rows = [(row, report.samples[row]) for row in wanted if row in report.samples]


def report_json(validation: Validation) -> str:
    """Exactly what ``moisinno validate --format json`` prints for this file."""
    try:
        render = import_module("moisinno_data.report").render
    except (ImportError, AttributeError):
        return json.dumps(validation.data, ensure_ascii=False, indent=2) + "\n"
    # the rows kept for the page and the HTML download are not part of the CLI's JSON
    report = validation.report.replace(header=None, samples={})
    return render(report, "json", lang=validation.data.get("lang", "fr"))


def report_html(validation: Validation, lang: str) -> str:
    """The self-contained HTML report of ``moisinno validate --format html``."""
    try:
        render = import_module("moisinno_data.report").render
    except (ImportError, AttributeError):
        raise Unavailable("le rendu HTML des rapports n'est pas installé") from None
    return render(validation.report, "html", lang=lang)


@dataclass
class Fixed:
    content: bytes
    """The canonical file (UTF-8, ``,``, ``\\n``, ISO dates) as ``moisinno fix`` writes it."""
    changes_csv: bytes
    """Every change (line, column, before → after), one per line, as CSV."""


def fix_upload(
    data: bytes, filename: str, *, schema: str | None, sheet: str | None, tmp_root: TmpRoot
) -> Fixed:
    """``moisinno fix`` on the upload: the canonical file and the list of its changes."""
    from moisinno_data.errors import ConfigError

    try:
        from moisinno_data.publishing.fix import fix_file
    except ImportError:
        raise Unavailable("la correction automatique (moisinno fix) n'est pas installée") from None
    from moisinno_data.package.schemas import load_schema

    table = check_table(schema)
    if table is None:
        raise ConfigError(
            "La table du fichier n'a pas pu être déterminée : choisissez-la dans la liste."
        )
    with scratch_file(data, filename, tmp_root) as path, _user_paths(path, filename):
        result = fix_file(path, load_schema(table), None, sheet=sheet or None)
    return Fixed(
        content=result.to_csv_text().encode("utf-8"),
        changes_csv=_changes_csv(result.changes, result.problems),
    )


def _changes_csv(changes: list[Any], problems: list[Any]) -> bytes:
    """The change list of ``moisinno fix`` as a CSV a steward opens in a spreadsheet."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["ligne", "colonne", "champ", "avant", "apres", "regle", "message"])
    for c in changes:
        writer.writerow([c.row, c.column, c.field, c.before, c.after, c.rule, c.message])
    for p in problems:
        writer.writerow(
            [p.row, p.column, p.field, p.value, "", p.rule, "À VÉRIFIER : " + p.message]
        )
    return buffer.getvalue().encode("utf-8")


def template_bytes(table: str) -> bytes:
    """The Excel template ``moisinno template --schema TABLE`` writes, as bytes."""
    try:
        build = import_module("moisinno_data.package.template").build
    except (ImportError, AttributeError):
        raise Unavailable("le modèle Excel (moisinno template) n'est pas installé") from None
    from moisinno_data.package.schemas import load_schema

    return build(load_schema(check_table(table) or ""))
