"""What a portal takes from ``datapackage.json`` besides the files, checked by udata's rules:
the dataset's coverage (``spatial``: zones and granularity), its licence, and each table's
official schema on schema.data.gouv.fr (``catalogSchema``, or an address of the schema's
own).

:func:`portal_metadata` is the one place for these rules. ``moisinno release`` calls it on
the folder before anything is written, because a version is published as its archive holds
it: a setting data.gouv.fr refuses, found at publish time, would cost a new version.
``moisinno publish`` calls it again on the archive (one cut by hand, or before these rules).

**Coverage.** udata's ``SpatialCoverage``: ``granularity`` is the id of one of the portal's
geographic levels or udata's own ``poi`` and ``other`` (``udata.core.spatial``); each zone
is a GeoID, ``<level>:<code>`` (``country:fr``, ``fr:commune:69123``), that udata resolves
by level and code, lower-cased, and refuses when unknown (« Unknown geoid(s) »). The levels
are data.gouv.fr's (etalab/geozones); codes of the French levels are INSEE's (COG).

**Licence.** data.gouv.fr takes a licence by its own id (``lov2``, ``odc-odbl``, ``cc-by``…):
the package's first licence is given it under the names a Data Package uses for it (its
Open Definition or SPDX id, ``etalab-2.0``, ``ODbL-1.0``, ``CC-BY-4.0``…, or the licence's
address), the Licence Ouverte 2.0 when the package names none. A licence it has no id for
is refused: published as another, it would grant rights the producer never gave.

**Catalog schema.** data.gouv.fr validates a resource against its schema, and gathers it
into the national consolidation of that schema, only when the resource's ``schema`` names a
schema of its catalog (``{"name": "etalab/schema-irve-statique", "version": "2.3.0"}``); a
link to a copy uploaded beside the table (``{"url": …}``) is shown, never checked. So a
table names its catalog schema when it is known, and links to its copy otherwise.

Known means said, never guessed: the resource's ``catalogSchema`` in ``datapackage.json``
(``false`` to keep the link to the copy), else a schema.data.gouv.fr address among the
schema's own ``$id``, ``path`` and ``homepage``. A GitHub address is not enough: a
repository may hold several schemas, each with its own catalog name, and data.gouv.fr
refuses a name that is not in its catalog. A ``catalogSchema`` that names another schema,
or another version, than the schema's own schema.data.gouv.fr address is refused: one of
the two is wrong, and only the publisher knows which.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data.errors import ConfigError
from moisinno_data.package import datapackage, licences
from moisinno_data.package.text import Said

AGAIN = Said(  # a package's setting is read from the version's archive, not from the folder
    "Corrigez datapackage.json, puis coupez une nouvelle version (moisinno release) : "
    "une version se publie telle que son archive la contient.",
    "Mend datapackage.json, then cut a new version (moisinno release): a version is "
    "published as its archive holds it.",
)
AGAIN_EN = AGAIN.en
SETTING = "catalogSchema"
SITE = re.compile(
    r"^https?://schema\.data\.gouv\.fr/(?:schemas/)?"
    r"(?P<name>(?!documentation/)[\w.-]+/[\w.-]+)(?:/(?P<version>[^/?#]+))?"
)
"""A schema's address on schema.data.gouv.fr: its page (``/<owner>/<name>/``) or a file of
one of its versions (``/schemas/<owner>/<name>/<version>/<file>``)."""
NAME = re.compile(r"[\w-][\w.-]*/[\w-][\w.-]*")
VERSION = re.compile(r"v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)")
"""A catalog version: semver, as schema.data.gouv.fr lists a schema's versions (its tags,
``v2.3.0``, written without the ``v``)."""

FRANCE_ZONE = "country:fr"
"""udata's zone when the package does not give its own (``spatial.zones``: udata's zone
ids, ``fr:commune:69123`` for Lyon)."""
GRANULARITY = "other"
"""udata's granularity when the package does not give one (``spatial.granularity``: this
project's events are located by INSEE commune code, ``fr:commune``)."""
ZONE_LEVELS = (
    "country-group", "country", "country-subset", "fr:region", "fr:departement",
    "fr:collectivite", "fr:arrondissement", "fr:epci", "fr:commune", "fr:canton", "fr:iris",
)  # fmt: skip
"""data.gouv.fr's geographic levels (etalab/geozones), largest first."""
GRANULARITIES = (*ZONE_LEVELS, "poi", "other")
"""What udata takes as ``granularity``: a level, or its own ``poi`` and ``other``."""
_COMMUNE = r"(?:\d{5}|2[ab]\d{3})"
CODES = {
    "country": r"[a-z]{2}",  # ISO 3166-1
    "fr:region": r"\d{2}",
    "fr:departement": r"\d{2}|2[ab]|97\d",
    "fr:arrondissement": r"(?:\d{2}|2[ab])\d|97\d{2}",
    "fr:epci": r"\d{9}",  # its SIREN
    "fr:commune": _COMMUNE,
    "fr:iris": _COMMUNE + r"\d{4}",
}
"""A zone's code by level, where it has a fixed form (INSEE's COG, ISO's countries)."""
ANY_CODE = r"[a-z0-9][\w.-]*"
ZONES_SAID = Said(
    "<niveau>:<code>, le code INSEE du territoire : fr:commune:69123 (commune, 5 "
    "caractères), fr:departement:69, fr:region:84, fr:epci:200046977 (SIREN), ou country:fr",
    "<level>:<code>, the territory's INSEE code: fr:commune:69123 (commune, 5 characters), "
    "fr:departement:69, fr:region:84, fr:epci:200046977 (SIREN), or country:fr",
)
EXAMPLE = '{"zones": ["fr:commune:69123"], "granularity": "fr:commune"}'


class PortalMetadataError(ConfigError):
    """A ``spatial``, licence or ``catalogSchema`` the portal would refuse (or publish as
    another); said before anything is written or sent."""


@dataclass(frozen=True)
class PortalMetadata:
    """What the portal gets of the package's own metadata, checked."""

    zones: tuple[str, ...]
    granularity: str
    catalog_schemas: dict[str, dict[str, str] | None] = field(default_factory=dict)
    """Each table's catalog schema by table name (None: it links to its copy)."""
    license: str = "lov2"
    """data.gouv.fr's id of the package's licence."""


def portal_metadata(
    descriptor: dict[str, Any], read: Callable[[str], bytes | str], advice: Said = AGAIN
) -> PortalMetadata:
    """The package's coverage and each table's catalog schema, or a
    :class:`PortalMetadataError` naming the key, what it holds and what is expected, then
    ``advice`` (what to do next, which depends on who asks). ``read`` gives a file of the
    package (the folder, or a version's archive) by relative path."""
    zones, granularity = spatial(descriptor.get("spatial"), advice)
    schemas = {}
    for resource in descriptor.get("resources", []):
        schema = _schema(resource, read)
        schemas[str(resource.get("name", "?"))] = catalog_schema(resource, schema, advice)
    return PortalMetadata(zones, granularity, schemas, licence(descriptor.get("licenses"), advice))


def check_folder(root: Path, advice: Said) -> PortalMetadata:
    """:func:`portal_metadata` of the package in the folder ``root``, as it stands."""
    return portal_metadata(datapackage.read(root), lambda rel: (root / rel).read_bytes(), advice)


def _schema(resource: dict[str, Any], read: Callable[[str], bytes | str]) -> dict[str, Any]:
    """The table's schema file, or nothing to read addresses from (its absence is said by
    the commands that read the table)."""
    try:
        schema = json.loads(read(datapackage.schema_file(resource)))
    except (OSError, ValueError):
        return {}
    return schema if isinstance(schema, dict) else {}


# --- licence ---------------------------------------------------------------------------------


def licence(value: Any, advice: Said = AGAIN) -> str:
    """data.gouv.fr's id of the package's first licence (``licenses``), ``lov2`` when it
    names none; one data.gouv.fr has no id for stops here."""
    if not value:
        return licences.DEFAULT.portal_id
    first = value[0] if isinstance(value, list) else value
    first = first if isinstance(first, dict) else {"name": first}
    known = licences.find(str(first.get("name") or ""), str(first.get("path") or ""))
    if known:
        return known.portal_id
    said = first.get("name") or first.get("path") or repr(value)
    raise _licence_refused(str(said), advice)


def _licence_refused(said: str, advice: Said) -> PortalMetadataError:
    return PortalMetadataError(
        f"datapackage.json : licence « {said} » inconnue de data.gouv.fr, qui la publierait "
        f"sous une autre. Attendu dans « licenses » : {licences.SAID} (ou leur identifiant "
        "SPDX : ODbL-1.0, CC-BY-4.0…), ou un identifiant de data.gouv.fr (other-open, "
        f"other-at, other-pd, notspecified). {advice}",
        en=f"datapackage.json: licence “{said}” unknown to data.gouv.fr, which would publish "
        f"it as another. Expected in “licenses”: {licences.SAID} (or their SPDX id: "
        "ODbL-1.0, CC-BY-4.0…), or an id of data.gouv.fr (other-open, other-at, other-pd, "
        f"notspecified). {advice.en}",
    )


# --- spatial ---------------------------------------------------------------------------------


def spatial(value: Any, advice: Said = AGAIN) -> tuple[tuple[str, ...], str]:
    """The package's ``spatial`` (zones and granularity, udata's ids), France and
    ``other`` for what it leaves out; one udata would refuse stops here, rather than
    publish a coverage the publisher did not write."""
    given = {} if value is None else value
    shaped = isinstance(given, dict)
    zones = given.get("zones", [FRANCE_ZONE]) if shaped else None
    granularity = given.get("granularity", GRANULARITY) if shaped else None
    if not (isinstance(zones, list) and zones and all(map(_an_id, [*zones, granularity]))):
        raise _spatial_error(
            Said(repr(value), repr(value)),
            Said(
                "une liste non vide d'identifiants de zones de data.gouv.fr et un niveau ; "
                f"sans « zones », la France ({FRANCE_ZONE})",
                "a non-empty list of data.gouv.fr zone ids and a level; without “zones”, "
                f"France ({FRANCE_ZONE})",
            ),
            advice,
        )
    granularity = str(granularity).strip()
    if granularity not in GRANULARITIES:
        raise _spatial_error(
            Said(
                f"« spatial.granularity » vaut {granularity!r}, niveau inconnu de data.gouv.fr",
                f"“spatial.granularity” is {granularity!r}, a level data.gouv.fr does not know",
            ),
            Said(
                f"pour « granularity », l'un de : {', '.join(GRANULARITIES)}",
                f"for “granularity”, one of: {', '.join(GRANULARITIES)}",
            ),
            advice,
        )
    for zone in zones:
        problem = _zone_problem(zone)
        if problem:
            raise _spatial_error(problem, Said(f"pour chaque zone, {ZONES_SAID}",
                                               f"for each zone, {ZONES_SAID.en}"), advice)  # fmt: skip
    return tuple(z.strip() for z in zones), granularity


def _an_id(value: Any) -> bool:
    """A zone or level id as udata takes it: a non-empty string."""
    return isinstance(value, str) and bool(value.strip())


def _zone_problem(zone: str) -> Said | None:
    """What makes ``zone`` no GeoID of data.gouv.fr, read as udata reads one
    (``udata.core.spatial.geoids.parse``: lower-cased, ``@validity`` ignored, the code after
    the last ``:``, after the first for ``country-subset``), or None."""
    geoid = zone.strip().lower().split("@", 1)[0].replace("/", ":")
    if geoid.startswith("country-subset:"):
        level, _, code = geoid.partition(":")
    else:
        level, _, code = geoid.rpartition(":")
    if level not in ZONE_LEVELS:
        return Said(
            f"« spatial.zones » : {zone!r} n'est pas un identifiant de zone de data.gouv.fr "
            f"(niveau {level or '(aucun)'!r} inconnu ; niveaux : {', '.join(ZONE_LEVELS)})",
            f"“spatial.zones”: {zone!r} is no data.gouv.fr zone id (unknown level "
            f"{level or '(none)'!r}; levels: {', '.join(ZONE_LEVELS)})",
        )
    if not re.fullmatch(CODES.get(level, ANY_CODE), code):
        return Said(
            f"« spatial.zones » : {zone!r} n'est pas un identifiant de zone de data.gouv.fr "
            f"(code {code!r} mal formé pour le niveau {level})",
            f"“spatial.zones”: {zone!r} is no data.gouv.fr zone id (code {code!r} malformed "
            f"for level {level})",
        )
    return None


def _spatial_error(found: Said, expected: Said, advice: Said) -> PortalMetadataError:
    return PortalMetadataError(
        f"datapackage.json : « spatial » invalide — {found}. Attendu : {EXAMPLE} — "
        f"{expected}. {advice}",
        en=f"datapackage.json: invalid “spatial” — {found.en}. Expected: {EXAMPLE} — "
        f"{expected.en}. {advice.en}",
    )


# --- catalogSchema ---------------------------------------------------------------------------


def _version(text: Any) -> str | None:
    """``text`` as the catalog writes versions, or None when it is not one (``latest``)."""
    match = VERSION.fullmatch(str(text or "").strip())
    return match[1] if match else None


def _refuse(table: str, problem: Said, advice: Said) -> PortalMetadataError:
    return PortalMetadataError(
        f"datapackage.json, table {table} : « {SETTING} » {problem}. Attendu : "
        '{"name": "<propriétaire>/<schéma>", "version": "X.Y.Z"} (nom et version sur '
        "schema.data.gouv.fr), ou false pour lier la table à la copie de son schéma. " + advice,
        en=f"datapackage.json, table {table}: “{SETTING}” {problem.en}. Expected: "
        '{"name": "<owner>/<schema>", "version": "X.Y.Z"} (name and version on '
        "schema.data.gouv.fr), or false to link the table to the copy of its schema. " + advice.en,
    )


def _declared(table: str, value: Any, schema: dict[str, Any], advice: Said) -> dict | None:
    """The publisher's ``catalogSchema``, checked: a bad one stops the release or the
    publication."""
    if value is False:
        return None
    if not isinstance(value, dict) or set(value) - {"name", "version"}:
        shape = Said("n'est pas un objet name/version", "is not a name/version object")
        raise _refuse(table, shape, advice)
    name = value.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        bad = Said(f"a un nom invalide ({name!r})", f"has an invalid name ({name!r})")
        raise _refuse(table, bad, advice)
    given = value.get("version")
    version = _version(given) if given is not None else _version(schema.get("version"))
    if given is not None and version is None:
        bad = Said(
            f"a une version invalide ({given!r}, pas de la forme X.Y.Z)",
            f"has an invalid version ({given!r}, not of the form X.Y.Z)",
        )
        raise _refuse(table, bad, advice)
    _agrees(table, _reference(name, version if given is not None else None), schema, advice)
    return _reference(name, version)


def _agrees(table: str, declared: dict[str, str], schema: dict[str, Any], advice: Said) -> None:
    """Refuse a ``catalogSchema`` that names another schema, or another version, than the
    schema's own schema.data.gouv.fr address."""
    for key in ("$id", "path", "homepage"):
        match = SITE.match(str(schema.get(key) or ""))
        if not match:
            continue
        at = _version(match["version"])
        if match["name"] != declared["name"] or (at and declared.get("version", at) != at):
            said = f"{match['name']}, version {at}" if at else match["name"]
            named = ", version ".join(declared.values())
            raise _refuse(
                table,
                Said(
                    f"nomme {named} mais le schéma de la table dit autre chose : son "
                    f"« {key} » ({schema[key]}) est l'adresse de {said} ; corrigez l'un "
                    "ou l'autre",
                    f"names {named} but the table's schema says otherwise: its “{key}” "
                    f"({schema[key]}) is the address of {said}; mend one or the other",
                ),
                advice,
            )


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


def catalog_schema(
    resource: dict[str, Any], schema: dict[str, Any], advice: Said = AGAIN
) -> dict[str, str] | None:
    """``{"name", "version"}`` of the table's schema on schema.data.gouv.fr, or None
    (the table then links to the copy of its schema published beside it)."""
    table = str(resource.get("name", "?"))
    if SETTING in resource:
        return _declared(table, resource[SETTING], schema, advice)
    return _found(schema)
