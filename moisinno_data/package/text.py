"""Text normalisation, in one place: what two spellings of a name have in common.

A header from the field may be ``Date début``, ``date_debut``, `` DATE-DEBUT ``, carry a
BOM, a zero-width space or a non-breaking space from a word processor, or have lost its
accent in an export (``D?but``, ``D\ufffdbut``). Every command compares names through
these functions, so that ``validate``, ``fix``, ``consolidate`` and the web page read a
header the same way; enumeration values, region names and portal tags are folded here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, TypeVar

from moisinno_data.package.french import SPACES as CELL_SPACES

INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
"""Characters a header can carry without anyone seeing them: BOM, zero-width spaces and
joiners, direction marks, soft hyphen, C0 and C1 control characters."""
SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
SEPARATORS = re.compile(r"[\s\u00a0\u2007\u202f_.\-'\u2018\u2019\u02bc`\u00b4]+")
"""What separates the words of a label: spaces, ``_ . -`` and apostrophes, straight or
typographic (« Date d’installation » is the schema's "Date d'installation")."""
LOST_LETTER = "\ufffd"
"""What a name's lost accented letter becomes once normalised (``?`` or U+FFFD)."""


_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def visible(text: str) -> str:
    """One line fit for a terminal: a cell holding an escape sequence must not recolour or
    rewrite the steward's screen, nor a direction override reorder it. Newlines and tabs
    are shown as ``\\n``/``\\t``, other controls as ``\\x1b``, overrides as ``\\u202e``."""

    def spell(match: re.Match[str]) -> str:
        char = match[0]
        if char in _NAMED:
            return _NAMED[char]
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _TERMINAL.sub(spell, text)


def fold_accents(text: str, form: Literal["NFKD", "NFD"] = "NFKD") -> str:
    """``Région`` → ``Region``: the letters without their accents; by default in their
    compatibility form too (``７５`` → ``75``, ``ﬁ`` → ``fi``), not with ``form="NFD"``."""
    if text.isascii():  # nothing to fold (the usual case, and hints fold every wrong cell)
        return text
    text = unicodedata.normalize(form, text)
    return "".join(c for c in text if not unicodedata.combining(c))


def strip_accents(text: str) -> str:
    """:func:`fold_accents` without the compatibility forms: ``７５`` stays as it is."""
    return fold_accents(text, form="NFD")


def strip_invisible(text: str) -> str:
    """The text without invisible characters; non-breaking and odd spaces become spaces."""
    return SPACES.sub(" ", INVISIBLE.sub("", text))


NO_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""C0 controls but tab and line ends, and DEL: bytes of a damaged export, which validate
reports (``control-character``) and no value means, so fix removes them. C1 controls
(U+0080–U+009F) are left: often a Windows-1252 character read as Latin-1, a sign to look
at, not to drop."""


def holds_value(cell: str | None) -> bool:
    """Whether something is left of a cell once what no value means is gone (the control
    characters of :data:`NO_VALUE`, surrounding spaces): the cells fix empties are the others."""
    return bool(cell and NO_VALUE.sub("", cell).strip(CELL_SPACES))


def blank_row(cells: Iterable[str | None]) -> bool:
    """A row where no cell :func:`holds_value`: a blank line, a spreadsheet's formatted but
    empty row, a line of NULs from a damaged export. The one decision of every command:
    fix leaves such a row out, consolidate does not count it received, and validate says
    ``blank-row`` for it — validate keeps frictionless's blank row (every cell empty) for a
    row without control characters, so a row of spaces is still data there."""
    return not any(holds_value(cell) for cell in cells)


def normalise_label(label: str) -> str:
    """``" Date-Début\u200b "`` → ``"date_debut"``: what a header means.

    Case, accents, invisible characters and the separators (:data:`SEPARATORS`) do not count,
    nor quotes around the whole label (``"int", "number"``: a writer that puts a space
    after each comma leaves the quotes in the label); a ``?`` or U+FFFD standing for a
    lost letter stays, as U+FFFD (see :func:`lost_letters`).
    """
    text = fold_accents(strip_invisible(label)).casefold().replace("?", LOST_LETTER).strip()
    if len(text) > 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return SEPARATORS.sub("_", text).strip("_")


def lost_letters_match(damaged: str, name: str) -> bool:
    """True when ``damaged`` is ``name`` with some letters lost, both already normalised.

    ``montant_(\ufffd)`` matches ``montant_(€)``, ``d\ufffdbut`` matches ``debut``: a run
    of U+FFFD (one lost letter may leave one or two, one per byte of its UTF-8 form) stands
    for exactly one character of the name.
    """
    if LOST_LETTER not in damaged:
        return False
    runs = re.sub(f"{LOST_LETTER}+", LOST_LETTER, damaged)
    pattern = "".join("." if c == LOST_LETTER else re.escape(c) for c in runs)
    return re.fullmatch(pattern, name) is not None


def slug(text: str) -> str:
    """Lower case, no accents, no surrounding spaces, inner spaces/underscores as ``-``:
    how enumeration values and place names are compared (``Île de France`` → ``ile-de-france``)."""
    text = fold_accents(strip_invisible(text).strip().lower())
    return re.sub(r"[\s_]+", "-", text)


def ascii_slug(text: str, keep: str = "") -> str:
    """``Innovation publique !`` → ``innovation-publique``: ASCII letters, digits and dashes
    (portal tags); with ``keep="_"``, underscores too (table and package names, as
    schema.data.gouv.fr writes them: ``irve_statique``)."""
    ascii_text = fold_accents(text).encode("ascii", "ignore").decode()
    return re.sub(f"[^a-z0-9{re.escape(keep)}]+", "-", ascii_text.lower()).strip("-")


V = TypeVar("V")


class Said(str):
    """A French sentence that knows its English (``en``): kept, written and compared as
    the French one (a rejects file, the JSON, the journal are French), shown in English
    with ``--lang en`` (:func:`said_in`). For reasons made far from where they are shown.
    The English may be given as a function, called once if ever asked for: a finding's
    English message and hint cost 0.1 ms, and a contribution may have 100,000."""

    _en: str | Callable[[], str]

    def __new__(cls, fr: str, en: str | Callable[[], str]) -> Said:
        said = super().__new__(cls, fr)
        said._en = en
        return said

    @property
    def en(self) -> str:
        if callable(self._en):
            self._en = self._en()
        return self._en

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return str(self), self.en  # copied or pickled with its English


def said_in(text: str, lang: str) -> str:
    """``text`` in ``lang``: its English if it is a :class:`Said` and English is asked for."""
    return str(getattr(text, "en", text)) if lang == "en" else str(text)


def quoted(value: object, lang: str) -> str:
    """``value`` quoted as each language quotes it: French guillemets with their spaces
    (which keep a value's own leading and trailing spaces visible), English double quotes.
    Every sentence that quotes a cell or a label quotes it here."""
    return f'"{value}"' if lang == "en" else f"« {value} »"


def in_lang(table: Mapping[str, V], lang: str) -> V:
    """The entry of ``table`` (keyed ``fr`` and ``en``) for ``--lang``: French unless
    English is asked for, as every command speaks."""
    return table["en" if lang == "en" else "fr"]


def version_label(version: object) -> str:
    """``v1.2.0`` for a schema's or package's version, written ``1.2.0`` or ``v1.2.0`` (both
    are published: etalab's IRVE schema says ``v2.3.0``)."""
    text = str(version)
    return text if text[:1] in ("v", "V") else f"v{text}"


__all__ = [
    "ascii_slug",
    "fold_accents",
    "lost_letters_match",
    "normalise_label",
    "quoted",
    "slug",
    "strip_invisible",
    "version_label",
]
