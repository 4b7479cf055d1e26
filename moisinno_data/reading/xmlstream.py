"""Parse the XML inside a spreadsheet as a stream, safely.

Python's expat, driven chunk by chunk: memory stays that of one chunk whatever the size of
the document, and nothing a document declares can make it grow — a DTD (hence any entity,
internal or external) is refused outright, as defusedxml does. Text is only gathered where
the caller asks for it (cell values), up to a cap, so gigabytes of whitespace between
elements cost time proportional to their size and no memory. Elements may nest
``Budget.max_depth`` levels deep, no more: expat keeps every open element, so 37 KB of
compressed ``<b><b><b>…`` would otherwise hold hundreds of megabytes. One piece of markup (a
tag and its attributes, a comment, an element's name) may be as long as a cell, no longer:
expat holds it whole and scans it again with every chunk until it ends, so 400 KB of
compressed ``<x a="aaa…`` held a worker a minute. A document may declare any encoding
expat reads, no other (Python's codecs were asked, and their error was a crash).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from moisinno_data.reading.archive import CHUNK, fail
from moisinno_data.reading.budget import Budget, human_bytes


class Refused(Exception):
    """Raised from a handler: stops the parse, turned into one sentence by the caller
    (its arguments: the reason in French, then in English)."""


class Done(Exception):
    """Raised from a handler once it has what it wants: the rest is not parsed."""


class TooDeep(Exception):
    """Raised when elements nest deeper than the budget allows (:func:`feed` counts them,
    unless the handlers do: the sheets' own, for speed)."""


class TooLong(Exception):
    """Raised when one piece of markup outgrows :func:`markup_limit` (expat holds it whole)."""


def _refuse_dtd(*_args: Any) -> Any:
    raise Refused(
        "déclarations XML (DTD, entités) refusées", "XML declarations (DTD, entities) refused"
    )


def new_parser() -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.XmlDeclHandler = _check_declared
    return parser


def local(name: str) -> str:
    """``table:table-row`` → ``table-row``: prefixes vary between producers."""
    return name.rsplit(":", 1)[-1]


def markup_limit(budget: Budget) -> int:
    """Bytes one piece of markup may take: as many as a cell's text (an attribute may
    hold one, as ``office:string-value`` does; a real tag takes a few hundred)."""
    return max(budget.max_cell_bytes, CHUNK)


def cell_too_long(path: Path, sheet: str, budget: Budget) -> Exception:
    """What a workbook's reader (XLSX, ODS) says of a cell whose text outgrows
    ``max_cell_bytes``: one sentence, whichever format the sheet comes in."""
    cap = budget.max_cell_bytes
    return fail(
        path,
        f"feuille « {sheet} » : une cellule dépasse {cap} caractères.",
        f"sheet “{sheet}”: a cell exceeds {cap} characters.",
    )


_EXPAT_OWN = frozenset({"utf-8", "utf-16", "utf-16le", "utf-16be", "iso-8859-1", "us-ascii"})


def _check_declared(_version: str, encoding: str | None, _standalone: int) -> None:
    """Refuse a declared encoding expat cannot read, before it tries (expat reports the
    declaration first): beyond its own, pyexpat asks Python's codecs for a single-byte
    table and lets their error out of the parse (LookupError for ``x-martien``,
    ValueError for ``EUC-JP``: an HTTP 500 on the page)."""
    if encoding is None or encoding.lower() in _EXPAT_OWN:
        return
    try:
        single_byte = len(bytes(range(256)).decode(encoding, "replace")) == 256
    except (LookupError, ValueError, TypeError):
        single_byte = False
    if not single_byte:
        raise Refused(
            f"encodage « {encoding[:40]} » non pris en charge (UTF-8 attendu)",
            f"encoding “{encoding[:40]}” not supported (UTF-8 expected)",
        )


def _bound_depth(parser: Any, limit: int) -> None:
    """Wrap the parser's element handlers (set by the caller) with a count of the open
    elements, refused beyond ``limit``."""
    start, end = parser.StartElementHandler, parser.EndElementHandler
    depth = 0

    def on_start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise TooDeep
        if start is not None:
            start(name, attrs)

    def on_end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if end is not None:
            end(name)

    parser.StartElementHandler, parser.EndElementHandler = on_start, on_end


def feed(
    parser: Any,
    data: Iterable[bytes],
    out: list,
    path: Path,
    what: str,
    collecting: Callable[[], bool] | None = None,
    *,
    entry: str,
    budget: Budget,
    counted: bool = False,
) -> Iterator[Any]:
    """Feed ``data`` (archive entry ``entry``) to ``parser``, whose handlers are set; yield
    what they append to ``out`` as it comes.

    A chunk of pure whitespace while no value is being gathered (``collecting``) is fed as
    one space: between elements it means nothing, and gigabytes of it then cost a scan
    of the bytes, not expat's time. ``counted``: the handlers count the open elements
    themselves and raise :class:`TooDeep` (a wrapper's call per element made reading a
    sheet a third slower).
    """
    if not counted:
        _bound_depth(parser, budget.max_depth)
    limit, fed = markup_limit(budget), 0
    try:
        for chunk in data:
            if collecting is not None and not chunk.strip() and not collecting():
                chunk = b" "
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - parser.CurrentByteIndex > limit:  # what expat holds, not parsed yet
                raise TooLong
            if out:
                yield from out
                out.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise fail(
            path,
            f"{what} illisible (XML invalide, ligne {exc.lineno}).",
            f"{_PART_EN.get(what, what)} unreadable (invalid XML, line {exc.lineno}).",
        ) from None
    except Refused as exc:
        fr, en = exc.args  # Refused(french, english)
        raise fail(
            path, f"{what} illisible : {fr}.", f"{_PART_EN.get(what, what)} unreadable: {en}."
        ) from None
    except (TooDeep, TooLong) as exc:
        raise _unusual(path, entry, budget, exc) from None
    except Done:
        pass
    yield from out
    out.clear()


_PART_EN = {"classeur": "workbook", "feuille": "sheet"}
"""The English of the part :func:`feed` names (its ``what``)."""


def _unusual(path: Path, entry: str, budget: Budget, exc: Exception) -> Exception:
    """The sentence for markup no spreadsheet program writes (too deep, too long)."""
    if isinstance(exc, TooDeep):
        what = f"imbrique plus de {budget.max_depth} niveaux d'éléments XML"
        what_en = f"nests more than {budget.max_depth} levels of XML elements"
    else:
        limit = markup_limit(budget)
        what = f"contient une balise XML (ou un commentaire) de plus de {human_bytes(limit)}"
        what_en = f"holds an XML tag (or comment) of more than {human_bytes(limit, 'en')}"
    return fail(
        path,
        f"l'élément « {entry} » de l'archive {what} ; ce n'est pas un classeur ordinaire, "
        "réenregistrez-le depuis votre tableur.",
        f"entry “{entry}” of the archive {what_en}; this is not an ordinary workbook, save "
        "it again from your spreadsheet.",
    )


def sheet_rows(
    handler: Any,
    data: Iterable[bytes],
    path: Path,
    collecting: Callable[[], bool],
    *,
    entry: str,
    budget: Budget,
) -> Iterator[Any]:
    """The rows a sheet's ``handler`` (``start``, ``end``, ``on_text``; rows appended to
    ``out``) parses from ``data``, as they come. The sheets' handlers count their open
    elements themselves (:class:`TooDeep`): a wrapper's call per element cost a third."""
    parser = new_parser()
    parser.StartElementHandler, parser.EndElementHandler = handler.start, handler.end
    parser.CharacterDataHandler = handler.on_text
    yield from feed(
        parser, data, handler.out, path, "feuille", collecting,
        entry=entry, budget=budget, counted=True,
    )  # fmt: skip
