"""How rows are named to people: by their key, or, in a table without one, by a short label.

A table without a key (IRVE, many published schemas) knows a row by all its cells
(:func:`canonical.row_identity`): diff and consolidate must compare that whole identity,
but shown whole it is 600 characters to 2 KB, and the cell that tells IRVE's rows apart
(``id_pdc_itinerance``, the 16th column) was cut off in the changelog (sweep 11). Such a
row is shown by its cells in the columns that best tell the table's rows apart — the most
distinct values first —, as ``name=value``, cut at :data:`KEY_CHARS`; provenance adds a
digest of the whole row, so that its ``cle`` stays bounded and still names one row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from moisinno_data.package import canonical
from moisinno_data.reading.marks import cut

KEY_CHARS = 80
"""A row's key or label is cut there in the changelog and messages: a table without a key
names its rows by all their cells (an IRVE row, 50 of them, made a 24 KB line)."""

DIGEST_CHARS = 12


def telling_order(width: int, keys: Sequence[Sequence[str]]) -> list[int]:
    """The positions ``0..width-1``, the column with the most distinct values first (an
    identifier before the operator's name every row repeats); ties in column order."""
    counts = [len({key[i] if i < len(key) else "" for key in keys}) for i in range(width)]
    return sorted(range(width), key=lambda i: -counts[i])


def digest(key: Sequence[str]) -> str:
    """The first characters of the sha256 of a whole row (its cells as a composite key)."""
    text = canonical.format_key(tuple(key))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


class RowNames:
    """How the rows of one table are shown: a keyed table's by :func:`canonical.format_key`
    (exact, never cut here), a keyless one's by :meth:`label`."""

    def __init__(self, columns: Sequence[str], keys: Sequence[Sequence[str]], keyed: bool):
        self.columns = list(columns)
        self.keyed = keyed
        self.order = [] if keyed else telling_order(len(self.columns), keys)

    @classmethod
    def of_schema(cls, schema: Mapping[str, Any], keys: Sequence[Sequence[str]]) -> RowNames:
        """For keys in :func:`canonical.row_identity`'s columns of ``schema``."""
        keyed = bool(canonical.identity_key(schema))
        return cls(canonical.row_identity(schema), keys, keyed)

    def label(self, key: Sequence[str]) -> str:
        """The key, or the first non-empty cells in :attr:`order`, ``name=value; …``, cut."""
        if self.keyed:
            return canonical.format_key(tuple(key))
        cells = [(self.columns[i], key[i]) for i in self.order if i < len(key) and key[i]]
        text = "; ".join(f"{name}={value}" for name, value in cells)
        return cut(text, KEY_CHARS) if text else "(ligne vide)"

    def record(self, key: Sequence[str]) -> str:
        """The ``cle`` of provenance and messages: the key, or the label and ``#`` a digest
        of the whole row (two rows alike in the label's cells stay apart)."""
        if self.keyed:
            return self.label(key)
        return f"{self.label(key)} #{digest(key)}"
