"""Which schema field each column of a file is, and which table a file is: one answer for
every command.

``validate``, ``fix``, ``consolidate``, the web page and the Python API all read a header
through :func:`resolve_header` and pick a table through :func:`detect_table`, so the same
file gets the same mapping — and the same verdict — everywhere.

A label is mapped to a field (a warning shows the mapping, and the column's values are
checked) when it is the field's name or title up to case, accents, spaces and the
separators ``_ - .`` (where they are, how many, or none: ``X long`` is ``Xlong`` unless
another field's words run together the same), invisible characters (BOM, zero-width,
NBSP, C0/C1 controls), or an accented letter lost by an export (``?`` or U+FFFD). Anything
else is an unknown column: a warning, as Validata does, that says its values were *not*
checked and names the field it most resembles (``N° SIRET``: ``num_siret``, never read as
it: an abbreviation is a guess). Only a missing *required* column is an error.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data.errors import COMMAND_LINE, Asker, ConfigError
from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.package.schema_check import FIELDS_MATCH
from moisinno_data.package.text import (
    LOST_LETTER,
    lost_letters_match,
    normalise_label,
    strip_invisible,
)
from moisinno_data.reading.marks import cut
from moisinno_data.validation.report import Finding

Fields = Sequence[Mapping[str, Any]]


@dataclass
class Resolution:
    """How a header reads against one schema."""

    columns: dict[str, int] = field(default_factory=dict)
    """field name → 0-based position of its column in the file."""
    mapping: dict[str, str] = field(default_factory=dict)
    """label as written → field name, for labels that are not the field's exact name."""
    unknown: dict[int, str | None] = field(default_factory=dict)
    """position of each unknown column → the field it most resembles (or None)."""
    findings: list[Finding] = field(default_factory=list)
    copies: dict[int, str] = field(default_factory=dict)
    """position of each column that names again a field read in another column (the same
    label, or one differing only as a mapped label may: ``Nom`` beside ``nom``) → that
    field. Only the first is read: every command says so (``duplicate-label``), and
    consolidate refuses a copy holding other values rather than lose them."""

    @property
    def by_position(self) -> dict[int, str]:
        return {position: name for name, position in self.columns.items()}


# --- matching one label --------------------------------------------------------------------


def _required(f: Mapping[str, Any]) -> bool:
    return bool((f.get("constraints") or {}).get("required"))


_BETWEEN_WORDS = re.compile(r"(?<![0-9])_|_(?![0-9])")


def _run_together(form: str) -> str:
    """A normalised label's words run together, but not two numbers: ``champ 1 1`` is not
    ``champ_11``, nor ``taux 1 2`` the field ``taux_12``."""
    return _BETWEEN_WORDS.sub("", form)


class _Targets:
    """The fields' names and titles, normalised once, for the four ways a label maps."""

    def __init__(self, fields: Fields) -> None:
        self.names = [str(f["name"]) for f in fields]
        self._named = set(self.names)
        self.by_name: dict[str, str] = {}
        for f in fields:
            self.by_name.setdefault(normalise_label(str(f["name"])), str(f["name"]))
        self.titled: dict[str, list[str]] = {}
        """Each title → the fields bearing it, in the schema's order."""
        for f in fields:
            if isinstance(f.get("title"), str) and f["title"].strip():
                self.titled.setdefault(normalise_label(f["title"]), []).append(str(f["name"]))
        self.by_title: dict[str, str] = {form: names[0] for form, names in self.titled.items()}
        self.by_joined: dict[str, set[str]] = {}
        for form, name in [*self.by_name.items(), *self.by_title.items()]:
            self.by_joined.setdefault(_run_together(form), set()).add(name)

    # Each strategy takes the label as written and as :func:`normalise_label` reads it
    # (normalised once per label, not once per strategy: 16,384 labels are allowed).

    def exact(self, label: str, _wanted: str, taken: set[str]) -> str | None:
        return label if label in self._named and label not in taken else None

    def spelling(self, _label: str, wanted: str, taken: set[str]) -> str | None:
        target = self.by_name.get(wanted)
        return target if target not in taken else None

    def title(self, _label: str, wanted: str, taken: set[str]) -> str | None:
        """A title several fields bear (« Rampe » for the ramp at the entrance, on the
        path, at the reception) is the first of them not yet in a column: columns
        headed by the same title are read in the schema's order."""
        return next((name for name in self.titled.get(wanted, ()) if name not in taken), None)

    def shared(self, wanted: str) -> bool:
        """Whether ``wanted`` (a normalised label) is the title of several fields."""
        return len(self.titled.get(wanted, ())) > 1

    def joined(self, _label: str, wanted: str, taken: set[str]) -> str | None:
        """A space or separator more or less (``X long`` for ``Xlong``, ``nbplaces`` for
        ``nb_places``): the README's « aux espaces près ». Only when the words run
        together are one field's name or title, never two (``a_bc`` and ``ab_c``)."""
        found = self.by_joined.get(_run_together(wanted), set())
        return next(iter(found)) if len(found) == 1 and not found & taken else None

    def damaged(self, _label: str, wanted: str, taken: set[str]) -> str | None:
        """A label with a lost letter maps only when it fits exactly one field."""
        if LOST_LETTER not in wanted:
            return None
        found = {
            name
            for table in (self.by_name, self.by_title)
            for form, name in table.items()
            if name not in taken and lost_letters_match(wanted, form)
        }
        return found.pop() if len(found) == 1 else None

    def closest(self, label: str, placed: set[str] | frozenset[str] = frozenset()) -> str | None:
        """The field an unknown label most resembles, by name or title: among those not
        ``placed`` in another column if one resembles it (a field already there is more
        likely a second copy of it), else among all."""
        unplaced = {f: n for f, n in self._forms.items() if n not in placed}
        return self._closest(label, unplaced) or self._closest(label, self._forms)

    @functools.cached_property
    def _forms(self) -> dict[str, str]:
        return {**self.by_title, **self.by_name}

    @staticmethod
    def _closest(label: str, forms: dict[str, str]) -> str | None:
        """The same words in another order first
        (``valeur_autres_egalim`` for ``valeur_egalim_autres``), then the one field whose
        words hold the label's (``valeur_viandes_volailles_france`` for
        ``valeur_viandes_france``), then a name inside the other, then a close spelling."""
        wanted = normalise_label(label)
        words = sorted(wanted.split("_"))
        if len(words) > 1:
            reordered = [f for f in forms if sorted(f.split("_")) == words]
            if reordered:
                return forms[reordered[0]]
            mine = set(words)  # one field whose words hold all of the label's, or the reverse
            wider = [f for f in forms if _words_nest(mine, set(f.split("_")))]
            if len(wider) == 1:
                return forms[wider[0]]
        inside = [f for f in forms if len(f) >= 4 and (f in wanted or wanted in f)]
        if inside:
            return forms[max(inside, key=len)]
        close = difflib.get_close_matches(wanted, list(forms), n=1, cutoff=0.75)
        return forms[close[0]] if close else None


def _words_nest(a: set[str], b: set[str]) -> bool:
    return len(a) > 1 and len(b) > 1 and (a <= b or b <= a)


STRATEGIES: tuple[tuple[str, str], ...] = (
    ("exact", ""),
    ("spelling", "spelling"),
    ("title", "title"),
    ("joined", "spelling"),
    ("damaged", "damaged"),
)
"""Tried in this order over the whole header, so an exact label is never taken by a loose
one earlier in the file."""


def _assign(header: Sequence[str], targets: _Targets, skip: set[int]) -> dict[int, tuple[str, str]]:
    """position → (field, how it matched), for every label that maps."""
    assigned: dict[int, tuple[str, str]] = {}
    taken: set[str] = set()
    wanted = [normalise_label(label) for label in header]
    for method, how in STRATEGIES:
        match: Callable[[str, str, set[str]], str | None] = getattr(targets, method)
        for position, label in enumerate(header):
            if position in skip or position in assigned:
                continue
            target = match(label, wanted[position], taken)
            if target is not None:
                assigned[position] = (target, how)
                taken.add(target)
    return assigned


# --- the whole header -----------------------------------------------------------------------


def _label_problems(header: Sequence[str], names: list[str]) -> tuple[list[Finding], set[int]]:
    """Blank and duplicate labels (frictionless's codes): they map to nothing."""
    findings: list[Finding] = []
    skip: set[int] = set()
    seen: dict[str, int] = {}
    for position, label in enumerate(header):
        positional = names[position] if position < len(names) else None
        params: dict[str, Any]
        if not strip_invisible(label).strip():
            code, params = "blank-label", {"label": label}
        elif label in seen:
            code, params = "duplicate-label", {"label": label, "first_column": seen[label] + 1}
        else:
            seen[label] = position
            continue
        skip.add(position)
        findings.append(
            Finding(
                code=code,
                row=1,
                column=position + 1,
                field=positional,
                value=label,
                params=params,
            )
        )
    return findings, skip


def _missing(fields: Fields, columns: dict[str, int], key: Sequence[str]) -> list[Finding]:
    """Each missing required column is an error, and so is a missing column of the primary
    key (no key could be checked without it); the missing optional ones, one warning."""
    findings = []
    optional = []
    for number, f in enumerate(fields, start=1):
        if f["name"] in columns:
            continue
        if _required(f) or f["name"] in key:
            findings.append(
                Finding(
                    code="missing-label",
                    row=1,
                    field=f["name"],
                    params={
                        "field_number": number,
                        "required": True,
                        **({"primary_key": True} if f["name"] in key else {}),
                    },
                )
            )
        else:
            optional.append(str(f["name"]))
    if optional:
        findings.append(
            Finding(
                code="missing-label",
                severity="warning",
                row=1,
                field=optional[0] if len(optional) == 1 else None,
                params={"fields": optional, "required": False},
            )
        )
    return findings


def _order(names: list[str], columns: dict[str, int]) -> list[Finding]:
    present = [n for n in names if n in columns]
    in_file = sorted(present, key=lambda n: columns[n])
    if present == in_file:
        return []
    return [
        Finding(
            code="column-order",
            severity="warning",
            row=1,
            params={"expected": present, "actual": in_file},
        )
    ]


CLOSEST_LABELS = 200
"""Unknown labels whose closest field is looked for (the others get none): difflib over
every field costs about a millisecond a label, and a header of 16,384 unknown labels
(77 KB) took 20 s for hints nobody reads. As many as a text report shows of a kind."""


def _copy_of(label: str, targets: _Targets, column_of: dict[str, int]) -> str | None:
    """The field already read in another column that ``label`` would map to were it free."""
    wanted = normalise_label(label)
    for method, _how in STRATEGIES:
        target = getattr(targets, method)(label, wanted, set())
        if target in column_of:
            return target
    return None


def _copies(
    header: Sequence[str], targets: _Targets, skip: set[int], assigned: dict[int, tuple[str, str]]
) -> tuple[dict[int, str], list[Finding]]:
    """Columns naming a field read elsewhere (:attr:`Resolution.copies`), and a
    ``duplicate-label`` for each one that is not the same label (those have theirs)."""
    column_of = {target: position for position, (target, _how) in assigned.items()}
    read_label: dict[str, str] = {}  # a label read in several columns: its first's field
    for field_name, at in sorted(column_of.items(), key=lambda fa: fa[1]):
        read_label.setdefault(header[at], field_name)
    copies: dict[int, str] = {}
    findings = []
    for position, label in enumerate(header):
        if position in assigned or not strip_invisible(label).strip():
            continue
        if position in skip:  # the same label again: a copy if its first is read
            if label in read_label:
                copies[position] = read_label[label]
            continue
        target = _copy_of(label, targets, column_of)
        if target is None:
            continue
        copies[position] = target
        first = column_of[target]
        findings.append(
            Finding(
                code="duplicate-label",
                row=1,
                column=position + 1,
                field=targets.names[position] if position < len(targets.names) else None,
                value=cut(label),
                params={
                    "label": cut(label),
                    "first_column": first + 1,
                    "first_label": cut(header[first]),
                    "copy_of": target,
                },
            )
        )
    return copies, findings


def _said_read(
    findings: list[Finding], assigned: dict[int, tuple[str, str]], copies: dict[int, str]
) -> None:
    """A label written again says how its column is read: as the next field bearing
    that title (``read_as``), or not at all, a copy of the first (``unread``)."""
    for finding in findings:
        if finding.code != "duplicate-label":
            continue
        position = (finding.column or 0) - 1
        if position in assigned:
            finding.params = {**(finding.params or {}), "read_as": assigned[position][0]}
        elif position in copies:
            finding.params = {**(finding.params or {}), "unread": copies[position]}


BINDING: dict[str, frozenset[str]] = {
    "exact": frozenset({"extra-label", "missing-label", "column-order"}),
    "equal": frozenset({"extra-label", "missing-label"}),
    "subset": frozenset({"missing-label"}),
    "superset": frozenset({"extra-label"}),
    "partial": frozenset(),
}
"""Table Schema v2's ``fieldsMatch``: which header findings each mode makes errors (an
unknown column, a missing optional one, another order: warnings otherwise). ``exact``:
the schema's columns, all and only, in its order; ``equal``: in any order; ``subset``: all
of them, others allowed; ``superset``: only them, not all; ``partial``: at least one."""


def fields_match(schema: dict[str, Any]) -> str | None:
    """The schema's ``fieldsMatch`` mode, None when it has none or an unknown one (which
    :mod:`.schema_check` reports). Without one, the header is read tolerantly, as
    frictionless 5 does (it has no ``fieldsMatch``)."""
    mode = schema.get("fieldsMatch")
    return mode if isinstance(mode, str) and mode in FIELDS_MATCH else None  # schema_check's


def _bound(findings: list[Finding], mode: str | None) -> None:
    """The warnings ``mode`` forbids made errors, the mode in their params (said)."""
    binding = BINDING.get(mode or "", frozenset())
    for finding in findings:
        if finding.severity == "warning" and finding.code in binding:
            finding.severity = "error"
            finding.params = {**(finding.params or {}), "fieldsMatch": mode}


def resolve_header(
    header: Sequence[str], fields: Fields, key: Sequence[str] = (), mode: str | None = None
) -> Resolution:
    """Map ``header`` to ``fields`` (see the module's docstring) and list what it found.
    ``key``: the primary key's fields, required as columns; ``mode``: the schema's
    :func:`fields_match`, which makes some of what is found errors."""
    targets = _Targets(fields)
    findings, skip = _label_problems(header, targets.names)
    # The same title again may be another field bearing it: read in the schema's order.
    titled = {p for p in skip if header[p].strip() and targets.shared(normalise_label(header[p]))}
    assigned = _assign(header, targets, skip - titled)
    skip -= {p for p in titled if p in assigned}
    copies, copy_findings = _copies(header, targets, skip, assigned)
    _said_read(findings, assigned, copies)
    findings += copy_findings
    result = Resolution(findings=findings, copies=copies)
    placed = {target for target, _how in assigned.values()}
    for finding in findings:  # named by position as frictionless does, unless the field
        if finding.field in placed:  # is found elsewhere by its name: then by none
            finding.field = None
    for position, label in enumerate(header):
        if position in skip or position in copies:
            continue
        if position not in assigned:
            looked = len(result.unknown) < CLOSEST_LABELS
            closest = targets.closest(label, placed) if looked else None
            result.unknown[position] = closest
            result.findings.append(
                Finding(
                    code="extra-label",
                    severity="warning",
                    row=1,
                    column=position + 1,
                    value=cut(label),  # a file without line ends: one label of megabytes
                    params={"label": cut(label), "closest": closest},
                )
            )
            continue
        target, how = assigned[position]
        result.columns[target] = position
        if how:
            result.mapping[label] = target
            result.findings.append(
                Finding(
                    code="incorrect-label",
                    severity="warning",
                    row=1,
                    column=position + 1,
                    field=target,
                    value=label,
                    params={"label": label, "expected": target, "mapped": True, "how": how},
                )
            )
    if fields and not result.columns:
        # One cause, one error: a field-by-field "missing" list would bury it (a title
        # above the header made 23 missing-label errors of a real IRVE export).
        result.findings.insert(0, _nothing_matched(header))
        return result
    result.findings += _missing(fields, result.columns, key)
    result.findings += _order(targets.names, result.columns)
    _bound(result.findings, mode)
    return result


def _nothing_matched(header: Sequence[str]) -> Finding:
    """No column of the file is a field of the schema: nothing could be checked, which a
    valid verdict would hide (a blank first row, no header row, another table)."""
    labels = [label for label in header if label.strip()]
    return Finding(
        code="no-matching-column",
        row=1,
        params={"labels": [cut(label) for label in labels[:10]], "count": len(labels)},
    )


# --- which table --------------------------------------------------------------------------


@dataclass
class Candidate:
    name: str
    schema: SchemaDescriptor
    resolution: Resolution
    labels: int
    """Non-blank labels in the file."""

    @property
    def matched(self) -> int:
        return len(self.resolution.columns)

    @property
    def missing_required(self) -> list[str]:
        return [
            str(f["name"])
            for f in self.schema.get("fields", [])
            if _required(f) and f["name"] not in self.resolution.columns
        ]

    @property
    def clear(self) -> bool:
        """Most of the file's columns are this table's, and all its required ones are there."""
        return not self.missing_required and self.matched * 2 > self.labels

    def describe(self, lang: str = "fr") -> str:
        missing = ", ".join(self.missing_required)
        if lang == "en":
            text = f"{self.name} ({self.matched} of {self.labels} columns recognised"
            return text + (f", required missing: {missing})" if missing else ")")
        text = f"{self.name} ({self.matched} colonne(s) reconnue(s) sur {self.labels}"
        return text + (f", obligatoires absentes : {missing})" if missing else ")")


def candidates(header: Sequence[str], schemas: Mapping[str, SchemaDescriptor]) -> list[Candidate]:
    """Every table, best match first (clear ones, then most columns recognised)."""
    labels = sum(1 for h in header if strip_invisible(h).strip())
    found = [
        Candidate(name, schema, resolve_header(header, schema.get("fields", [])), labels)
        for name, schema in schemas.items()
    ]
    return sorted(found, key=lambda c: (not c.clear, -c.matched, len(c.missing_required)))


def bundled_schemas() -> dict[str, SchemaDescriptor]:
    """The data package's tables, by name."""
    from moisinno_data.package.schemas import load_schema, table_names

    return {name: load_schema(name) for name in table_names()}


HEADER_SEARCH_ROWS = 20
"""Rows searched for a header that a title, notes or blank rows push below row 1."""


def _clear_one(found: list[Candidate]) -> Candidate | None:
    clear = [c for c in found if c.clear]
    if len(clear) == 1 or (len(clear) > 1 and clear[0].matched > clear[1].matched):
        return clear[0]
    return None


def header_below(
    rows: Sequence[Sequence[str]], schemas: Mapping[str, SchemaDescriptor]
) -> tuple[int, Candidate] | None:
    """The first row under row 1 of ``rows`` (a file's first rows) that is clearly one
    table's header, and that table: an office file often carries a title, notes or blank
    rows above its header, which no Table Schema tool reads as data. Row numbers are the
    file's (row 1 is ``rows[0]``)."""
    for number, cells in enumerate(rows[1:HEADER_SEARCH_ROWS], start=2):
        if sum(1 for cell in cells if str(cell).strip()) < 2:
            continue  # a blank row, a title: not a header of a table of several columns
        found = _clear_one(candidates([str(cell) for cell in cells], schemas))
        if found is not None:
            return number, found
    return None


def header_row(
    rows: Sequence[Sequence[str]], schemas: Mapping[str, SchemaDescriptor]
) -> int | None:
    """The row of ``rows`` (a sheet's first rows) that is clearly the header of one of
    ``schemas``: row 1, or one under a title (:func:`header_below`); None if none is. How a
    command takes a table for the sheet it reads, asked of the other sheets of a workbook
    (:mod:`.other_sheets`)."""
    if not rows:
        return None
    if _clear_one(candidates([str(cell) for cell in rows[0]], schemas)) is not None:
        return 1
    found = header_below(rows, schemas)
    return found[0] if found is not None else None


def header_row_text(number: int, lang: str, table: str = "", command: str = "") -> str:
    """What to do when the header is on row ``number`` (of ``table``; ``command``: the
    fix to run): the same words for detection (exit 2) and for the no-matching-column
    finding's hint."""
    above = number - 1
    of_en, of_fr = (f" of table {table}", f" de la table {table}") if table else ("", "")
    if lang == "en":
        fix = f'"{command}"' if command else '"moisinno fix"'
        return (
            f"the header{of_en} is on row {number}, under {above} row(s) of title, notes "
            f"or blank: the header must be on row 1 — delete the row(s) above it, or let "
            f"{fix} do it"
        )
    fix = f"« {command} »" if command else "« moisinno fix »"
    return (
        f"l'en-tête{of_fr} est en ligne {number}, sous {above} ligne(s) de titre, de notes "
        f"ou vide(s) : l'en-tête doit être en ligne 1 — supprimez la ou les lignes "
        f"au-dessus, ou laissez {fix} le faire"
    )


def detect_table(
    header: Sequence[str],
    schemas: Mapping[str, SchemaDescriptor] | None = None,
    *,
    source: str = "",
    lang: str = "fr",
    below: Callable[[], Sequence[Sequence[str]]] | None = None,
    read: tuple[Path, dict[str, Any]] | None = None,
    asker: Asker = COMMAND_LINE,
) -> Candidate:
    """The one table ``header`` clearly is, or the one whose header ``below`` (the file's
    first rows, read only then) clearly shows further down, under a title: every command
    takes that table alike — validate then says the header is not on row 1 (INVALIDE, as
    with ``--schema``), fix and consolidate remove the rows above it. Otherwise a
    ConfigError (exit 2) naming the best candidates and how ``asker``'s user names the
    table. ``read``: the file and how it was read (:func:`reading.detect`), so that the
    refusal names a workbook's other sheets, where the table may be."""
    schemas = bundled_schemas() if schemas is None else schemas
    found = candidates(header, schemas)
    clear = _clear_one(found)
    if clear is not None:
        return clear
    lower = header_below(below(), schemas) if below is not None else None
    if lower is not None:
        return lower[1]
    fr, en = _no_clear_table(found, source, asker)
    if read is not None:
        from moisinno_data.reading import other_sheets_said

        fr_sheets, en_sheets = other_sheets_said(*read, asker)
        if fr_sheets:
            fr, en = f"{fr.rstrip('.')}{fr_sheets}.", f"{en.rstrip('.')}{en_sheets}."
    # Both languages: a caller that keeps the reason (consolidate) shows either later.
    raise ConfigError(en if lang == "en" else fr, en=en)


def _no_clear_table(
    found: Sequence[Candidate], source: str, asker: Asker = COMMAND_LINE
) -> tuple[str, str]:
    """Why no table was taken (:func:`detect_table`), in French and English."""
    where, where_en = (f"{source} : ", f"{source}: ") if source else ("", "")
    best = "; ".join(c.describe("fr") for c in found[:3] if c.matched) or "aucune"
    best_en = "; ".join(c.describe("en") for c in found[:3] if c.matched) or "none"
    return (
        f"{where}aucune table ne correspond clairement à l'en-tête (meilleures candidates : "
        f"{best}) ; {asker.says('schema')}.",
        f"{where_en}no table clearly matches the header (best candidates: {best_en}); "
        f"{asker.says('schema', 'en')}.",
    )


def no_field_said(
    read: tuple[Path, dict[str, Any]],
    first: Sequence[Sequence[str]],
    name: str,
    schema: SchemaDescriptor,
    asker: Asker = COMMAND_LINE,
) -> tuple[str, str]:
    """Why a file none of whose columns is a field of table ``name`` is refused, and what
    to do (its header lower down, another sheet), in French and English: the words of
    ``fix`` and ``consolidate``, which must not write or publish a file that is not the
    table. ``read``: the file and how it was read; ``first``: its header and first rows;
    ``name``: the table's ("": a schema without a name, said « du schéma »)."""
    from moisinno_data.package.text import visible
    from moisinno_data.reading import other_sheets_said

    shown = ", ".join(visible(label) for label in first[0][:5] if label.strip())
    lower = header_below(first, {name: schema})
    command = f"moisinno fix FICHIER --schema {name or 'TABLE'}"
    todo, todo_en = (
        (
            header_row_text(lower[0], "fr", name, command),
            header_row_text(lower[0], "en", name, command.replace("FICHIER", "FILE")),
        )
        if lower is not None
        else (
            "mettez l'en-tête en ligne 1, avec les noms des champs",
            "put the header on line 1, with the fields' names",
        )
    )
    fr, en = other_sheets_said(*read, asker)
    of, of_en = (
        (f"de la table {name}", f"of table {name}") if name else ("du schéma", "of the schema")
    )
    return (
        f"aucune colonne du fichier n'est un champ {of} (en-tête lu : {shown or 'vide'}) — "
        f"{todo}{fr}",
        f"no column of the file is a field {of_en} (header read: {shown or 'empty'}) — "
        f"{todo_en}{en}",
    )


__all__ = [
    "Candidate",
    "Resolution",
    "candidates",
    "detect_table",
    "header_below",
    "header_row",
    "no_field_said",
    "resolve_header",
]
