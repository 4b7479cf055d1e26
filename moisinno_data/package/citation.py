"""How to cite a version: the text researchers paste, and ``CITATION.cff`` kept in step.

A citation is only useful with the exact version (and, for proof, the archive's sha256),
so the text is built from the loaded version's own ``datapackage.json`` rather than typed
by hand; :func:`refresh_cff` lets the release step move ``CITATION.cff`` to the version it
cuts, keeping every other line (and comment) of the file as written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from moisinno_data import fsutil


def citation_text(descriptor: dict[str, Any], sha256: str | None = None) -> str:
    """« Auteurs (année). Titre, version X [jeu de données]. Licence. Adresse. sha256 … »"""
    authors = ", ".join(
        c.get("title", "")
        for c in descriptor.get("contributors", [])
        if c.get("role", "author") in ("author", "creator", "publisher") and c.get("title")
    )
    stamp = str(descriptor.get("lastModified") or descriptor.get("created") or "")
    year = f" ({stamp[:4]})" if stamp[:4].isdigit() else ""
    licenses = ", ".join(
        lic.get("title") or lic.get("name", "") for lic in descriptor.get("licenses", [])
    )
    parts = [
        f"{authors or descriptor.get('name', 'moisinno-data')}{year}.",
        f"{descriptor.get('title', descriptor.get('name', ''))}, version "
        f"{descriptor.get('version', '?')} [jeu de données].",
    ]
    if licenses:
        parts.append(f"{licenses}.")
    if descriptor.get("homepage"):
        parts.append(str(descriptor["homepage"]))
    if sha256:
        parts.append(f"Archive sha256 {sha256}.")
    return " ".join(parts)


def cff_text(text: str, version: str, date: str) -> str:
    """``text`` of a CITATION.cff with ``version`` and ``date-released`` (YYYY-MM-DD) set."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError(f"date attendue AAAA-MM-JJ, reçu {date!r}")
    updated = re.sub(r"(?m)^version:.*$", f"version: {version}", text)
    return re.sub(r"(?m)^date-released:.*$", f'date-released: "{date}"', updated)


def refresh_cff(path: Path, version: str, date: str) -> bool:
    """Set ``version`` and ``date-released`` in the CITATION.cff at ``path``; True if changed."""
    text = path.read_text(encoding="utf-8")
    updated = cff_text(text, version, date)
    if updated != text:
        fsutil.write_text(path, updated)
    return updated != text
