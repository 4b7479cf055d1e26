"""The licences this toolkit knows, in one table: what ``moisinno init`` writes into
``datapackage.json`` (a licence's name, title and address) and what ``release`` and
``publish`` give data.gouv.fr (its own id, found by the names a Data Package may use).

One table, so that the two cannot disagree: a licence ``init`` writes is one the portal
metadata maps (``tests/test_init.py`` holds it for every name of the table).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """One licence data.gouv.fr has an id for."""

    portal_id: str
    """data.gouv.fr's id (``lov2``, ``odc-odbl``…)."""
    names: tuple[str, ...]
    """The names (lower case) and address fragments a Data Package may give it by; the
    first is its Data Package name (Open Definition id), the one ``init`` proposes."""
    title: str = ""
    path: str = ""
    """Title and address ``init`` writes beside the name (none known: the name is the title)."""


LICENCES = (
    Licence(
        "lov2",
        ("etalab-2.0", "lov2", "lo-2.0", "etalab/licence-ouverte-open-licence"),
        "Licence Ouverte / Open Licence version 2.0",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    ),
    Licence("fr-lo", ("etalab-1.0", "fr-lo", "lo-1.0")),
    Licence(
        "odc-odbl",
        ("odc-odbl", "odbl-1.0", "odbl", "opendatacommons.org/licenses/odbl"),
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    Licence("odc-by", ("odc-by", "odc-by-1.0", "opendatacommons.org/licenses/by")),
    Licence("odc-pddl", ("odc-pddl", "pddl-1.0", "pddl", "opendatacommons.org/licenses/pddl")),
    Licence(
        "cc-by",
        ("cc-by", "cc-by-4.0", "creativecommons.org/licenses/by/"),
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    Licence("cc-by-sa", ("cc-by-sa", "cc-by-sa-4.0", "creativecommons.org/licenses/by-sa/")),
    Licence("cc-zero", ("cc-zero", "cc0", "cc0-1.0", "creativecommons.org/publicdomain/zero")),
    Licence("other-open", ("other-open",)),
    Licence("other-at", ("other-at",)),
    Licence("other-pd", ("other-pd",)),
    Licence("notspecified", ("notspecified",)),
)
DEFAULT = LICENCES[0]
"""The Licence Ouverte 2.0: ``init``'s licence, and data.gouv.fr's when a package names none."""
ETALAB_ADDRESS = "etalab.gouv.fr/licence-ouverte-open-licence"
SAID = "etalab-2.0, odc-odbl, odc-by, odc-pddl, cc-by, cc-by-sa, cc0"
"""The names an error message proposes (each one of the table's)."""


def find(name: str, path: str) -> Licence | None:
    """The licence a Data Package's ``licenses`` entry names: by its name (any case), or,
    without a name, by its address; None when data.gouv.fr has no id for it."""
    name, path = name.strip().lower(), path.strip().lower()
    for licence in LICENCES:
        if name in licence.names:
            return licence
    if not name and path:
        if ETALAB_ADDRESS in path:
            return DEFAULT
        for licence in LICENCES:
            if any("/" in n and n in path for n in licence.names):
                return licence
    return None


def entry(name: str) -> dict[str, str]:
    """The ``licenses`` entry ``init`` writes for ``name``: with its title and address when
    the table has them for that very name, else the name as its own title."""
    known = next((lic for lic in LICENCES if lic.title and lic.names[0] == name), None)
    title, path = (known.title, known.path) if known else (name, "")
    return {"name": name, "title": title, **({"path": path} if path else {})}
