"""The official schema a table follows, by its name and version on schema.data.gouv.fr.

data.gouv.fr validates a resource against its schema, and gathers it into the national
consolidation of that schema, only when the resource's ``schema`` names a schema of its
catalog (``{"name": "etalab/schema-irve-statique", "version": "2.3.0"}``); a link to a
copy uploaded beside the table (``{"url": …}``) is shown, never checked. So a table names
its catalog schema when it is known, and links to its copy otherwise.

Known means said, never guessed: the resource's ``catalogSchema`` in ``datapackage.json``
(``false`` to keep the link to the copy), else a schema.data.gouv.fr address among the
schema's own ``$id``, ``path`` and ``homepage``. A GitHub address is not enough: a
repository may hold several schemas, each with its own catalog name, and data.gouv.fr
refuses a name that is not in its catalog.
"""

from __future__ import annotations

import re
from typing import Any

from moisinno_data.errors import MoisinnoError

AGAIN = (  # a package's setting is read from the version's archive, not from the folder
    "Corrigez datapackage.json, puis coupez une nouvelle version (moisinno release) : "
    "une version se publie telle que son archive la contient."
)
AGAIN_EN = (
    "Mend datapackage.json, then cut a new version (moisinno release): a version is "
    "published as its archive holds it."
)
SETTING = "catalogSchema"
SITE = re.compile(
    r"^https?://schema\.data\.gouv\.fr/(?:schemas/)?"
    r"(?P<name>(?!documentation/)[\w.-]+/[\w.-]+)(?:/(?P<version>[^/?#]+))?"
)
"""A schema's address on schema.data.gouv.fr: its page (``/<owner>/<name>/``) or a file of
one of its versions (``/schemas/<owner>/<name>/<version>/<file>``)."""
NAME = re.compile(r"[\w.-]+/[\w.-]+")
VERSION = re.compile(r"v?(\d+(?:\.\d+)*(?:[-+][\w.-]+)?)")
"""A version as tags write it (``v1.0.0``); the catalog writes it without the ``v``."""


class CatalogSchemaError(MoisinnoError):
    """``catalogSchema`` is not one the portal can take; said before anything is sent."""


def _version(text: Any) -> str | None:
    """``text`` as the catalog writes versions, or None when it is not one (``latest``)."""
    match = VERSION.fullmatch(str(text or "").strip())
    return match[1] if match else None


def _refuse(table: str, problem: str, problem_en: str) -> CatalogSchemaError:
    return CatalogSchemaError(
        f"datapackage.json, table {table} : « {SETTING} » {problem}. Attendu : "
        '{"name": "<propriétaire>/<schéma>", "version": "X.Y.Z"} (nom et version sur '
        "schema.data.gouv.fr), ou false pour lier la table à la copie de son schéma. " + AGAIN,
        en=f"datapackage.json, table {table}: “{SETTING}” {problem_en}. Expected: "
        '{"name": "<owner>/<schema>", "version": "X.Y.Z"} (name and version on '
        "schema.data.gouv.fr), or false to link the table to the copy of its schema. " + AGAIN_EN,
    )


def _declared(table: str, value: Any, schema: dict[str, Any]) -> dict[str, str] | None:
    """The publisher's ``catalogSchema``, checked: a bad one stops the publication."""
    if value is False:
        return None
    if not isinstance(value, dict) or set(value) - {"name", "version"}:
        raise _refuse(table, "n'est pas un objet name/version", "is not a name/version object")
    name = value.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise _refuse(table, f"a un nom invalide ({name!r})", f"has an invalid name ({name!r})")
    given = value.get("version")
    version = _version(given) if given is not None else _version(schema.get("version"))
    if given is not None and version is None:
        raise _refuse(
            table, f"a une version invalide ({given!r})", f"has an invalid version ({given!r})"
        )
    return _reference(name, version)


def _reference(name: str, version: str | None) -> dict[str, str]:
    """udata's ``schema`` of a catalog schema; without a version, its latest one."""
    return {"name": name, "version": version} if version else {"name": name}


def _found(schema: dict[str, Any]) -> dict[str, str] | None:
    """The catalog schema named by one of the schema's own addresses, if any."""
    for key in ("$id", "path", "homepage"):
        match = SITE.match(str(schema.get(key) or ""))
        if match:
            version = _version(schema.get("version")) or _version(match["version"])
            return _reference(match["name"], version)
    return None


def catalog_schema(resource: dict[str, Any], schema: dict[str, Any]) -> dict[str, str] | None:
    """``{"name", "version"}`` of the table's schema on schema.data.gouv.fr, or None
    (the table then links to the copy of its schema published beside it)."""
    table = str(resource.get("name", "?"))
    if SETTING in resource:
        return _declared(table, resource[SETTING], schema)
    return _found(schema)
