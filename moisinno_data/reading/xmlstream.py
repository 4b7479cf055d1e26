"""Parse the XML inside a spreadsheet as a stream, safely.

Python's expat, driven chunk by chunk: memory stays that of one chunk whatever the size of
the document, and nothing a document declares can make it grow — a DTD (hence any entity,
internal or external) is refused outright, as defusedxml does. Text is only gathered where
the caller asks for it (cell values), up to a cap, so gigabytes of whitespace between
elements cost time proportional to their size and no memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from moisinno_data.reading.archive import fail


class Refused(Exception):
    """Raised from a handler: stops the parse, turned into one sentence by the caller."""


class Done(Exception):
    """Raised from a handler once it has what it wants: the rest is not parsed."""


def _refuse_dtd(*_args: Any) -> Any:
    raise Refused("déclarations XML (DTD, entités) refusées")


def new_parser() -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    return parser


def local(name: str) -> str:
    """``table:table-row`` → ``table-row``: prefixes vary between producers."""
    return name.rsplit(":", 1)[-1]


def feed(
    parser: Any,
    data: Iterable[bytes],
    out: list,
    path: Path,
    what: str,
    collecting: Callable[[], bool] | None = None,
) -> Iterator[Any]:
    """Feed ``data`` to ``parser``; yield what its handlers append to ``out`` as it comes.

    A chunk of pure whitespace while no value is being gathered (``collecting``) is fed as
    one space: between elements it means nothing, and gigabytes of it then cost a scan
    of the bytes, not expat's time.
    """
    try:
        for chunk in data:
            if collecting is not None and not chunk.strip() and not collecting():
                chunk = b" "
            parser.Parse(chunk, False)
            if out:
                yield from out
                out.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise fail(path, f"{what} illisible (XML invalide, ligne {exc.lineno}).") from None
    except Refused as exc:
        raise fail(path, f"{what} refusé : {exc}.") from None
    except Done:
        pass
    yield from out
    out.clear()
