"""Find a version of the data package and hand back a folder whose files are the ones published.

A researcher cites a version; this module makes sure that what they load *is* that
version. Where a version can come from, in the order tried:

1. ``version=None, source=None``: the data bundled with the installed package;
2. the local release store (:mod:`moisinno_data.publishing.store`, ``MOISINNO_STORE``);
3. the user's cache (:func:`moisinno_data.package.paths.cache_dir`) — a version downloaded
   once loads offline afterwards;
4. the bundled data again, when its version is the one asked for (installed wheel only:
   a checkout's working copy is not a release);
5. ``source=`` (or, when no source is given, the ``MOISINNO_SOURCE`` environment
   variable): a portal or a URL —

   - a udata dataset (data.gouv.fr, demo.data.gouv.fr, a local udata):
     ``https://www.data.gouv.fr/fr/datasets/<slug-or-id>/`` or its ``/api/1/datasets/…`` URL;
   - a release store served over HTTP (a mirror of ``<store>/``): ``https://host/releases/``;
   - a direct archive: ``https://host/moisinno-data-1.2.0.zip#sha256=<hex>`` (or
     ``sha256=`` argument, or a ``release.json`` beside it);
   - a local folder: a release store, a local portal (``moisinno publish``'s default
     target: its dataset folder, or the portal's folder when it holds one dataset), or an
     unpacked data package.

Every archive is checked against the sha256 its release metadata publishes *before* it is
opened; a mismatch (tampered, truncated, or the wrong file) raises
:class:`ReleaseIntegrityError` and nothing is loaded or cached. Verified archives are
unpacked once under ``<cache>/extracted/<sha256>/``, so the same bytes always give the
same folder; a copy whose files no longer match the archive is unpacked again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

from moisinno_data import fsutil
from moisinno_data.errors import MoisinnoError
from moisinno_data.package import paths
from moisinno_data.portals.content import KEY_EXTRA, SHA256_EXTRA  # set by the publisher
from moisinno_data.publishing.semver import InvalidVersion, semver_key
from moisinno_data.publishing.store import ReleaseStore, StoreError, archive_name
from moisinno_data.reading.http_body import shown

ARCHIVE_RE = re.compile(r"[a-z0-9][a-z0-9._-]*?-(\d+\.\d+\.\d+)\.zip")
"""A release archive's name, ``<package>-X.Y.Z.zip`` (:func:`.store.archive_name`)."""
SHA256_RE = re.compile(r"\b[0-9a-f]{64}\b")
TIMEOUT = (10, 120)  # connect, read (seconds)
RETRY_DELAYS = (0.5, 2.0)  # waits between tries on a dropped connection, 5xx or 429


class VersionError(MoisinnoError):
    """The version asked for cannot be found where we looked."""


class SourceError(MoisinnoError):
    """A portal or URL could not be read (network, HTTP error, not a udata dataset…)."""


class ReleaseIntegrityError(MoisinnoError):
    """An archive does not match the checksum its release metadata publishes: never loaded."""


@dataclass(frozen=True)
class ResolvedVersion:
    """A folder holding ``datapackage.json``, ``datasets/`` and ``schemas/`` of one version."""

    version: str
    root: Path
    origin: str
    sha256: str | None = None
    verified: bool = False  # True when the files came from an archive whose sha256 we checked
    origin_en: str | None = None
    """``origin`` in English, when it says more than a path or an address."""


@dataclass(frozen=True)
class VersionInfo:
    """One version seen in a place (``moisinno versions``)."""

    version: str
    origin: str
    sha256: str | None = None
    created: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    origin_en: str | None = None
    """``origin`` in English, when it says more than a path or an address."""


ORIGINS: dict[str, dict[str, str]] = {
    "fr": {
        "checkout": "état actuel du paquet ({})",
        "bundled": "embarquée ({})",
        "store": "dépôt local {}",
        "store_archive": "{} (dépôt local)",
        "cache": "cache ({})",
        "cache_archive": "{} (cache {})",
        "folder": "{} (dossier)",
        "portal_archive": "{} (portail local)",
    },
    "en": {
        "checkout": "current state of the package ({})",
        "bundled": "bundled ({})",
        "store": "local store {}",
        "store_archive": "{} (local store)",
        "cache": "cache ({})",
        "cache_archive": "{} (cache {})",
        "folder": "{} (folder)",
        "portal_archive": "{} (local portal)",
    },
}
"""Where a version comes from, in each language of ``--lang`` (``origin``, ``origin_en``)."""


class _Placed(Protocol):
    @property
    def origin(self) -> str: ...
    @property
    def origin_en(self) -> str | None: ...


def origin_in(placed: _Placed, lang: str) -> str:
    """Where a version comes from (``origin``), in the language of ``--lang``."""
    return placed.origin_en if lang == "en" and placed.origin_en else placed.origin


def _origin(kind: str, *where: object) -> tuple[str, str]:
    """The French and the English ``origin`` of a version found in a place of ``kind``."""
    return ORIGINS["fr"][kind].format(*where), ORIGINS["en"][kind].format(*where)


# --------------------------------------------------------------------------- helpers


def _bundled_version() -> str:
    descriptor = json.loads(paths.datapackage_path().read_text(encoding="utf-8"))
    return str(descriptor.get("version", ""))


def bundled() -> ResolvedVersion:
    fr, en = _current_label()
    return ResolvedVersion(_bundled_version(), paths.bundle_root(), fr, origin_en=en)


def _current_label() -> tuple[str, str]:
    """Where the current state comes from: the user's package (its working copy, maybe
    with unreleased changes) or, outside any, the one installed with the library."""
    return _origin("checkout" if paths.is_checkout() else "bundled", paths.bundle_root())


def _check_version(version: str) -> None:
    try:
        semver_key(version)
    except InvalidVersion as exc:
        raise VersionError(str(exc), en=exc.en) from None


def verify_archive(archive: Path, expected: str, where: str, where_en: str | None = None) -> None:
    """Refuse an archive whose sha256 differs from the published one (``where``: how the
    message names it, in French and, when it differs, in English)."""
    actual = fsutil.sha256_file(archive)
    if actual != expected.lower():
        raise ReleaseIntegrityError(
            f"L'archive {where} ne correspond pas à son empreinte publiée : sha256 attendu "
            f"{expected}, obtenu {actual}. Le fichier est altéré ou incomplet ; il n'a pas été "
            "chargé. Téléchargez-le de nouveau ou signalez-le aux éditeurs du jeu de données.",
            en=f"The archive {where_en or where} does not match its published checksum: expected sha256 "
            f"{expected}, got {actual}. The file is altered or incomplete; it was not loaded. "
            "Download it again or report it to the dataset's publishers.",
        )


def _package_root(folder: Path) -> Path:
    if (folder / "datapackage.json").is_file():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and (p / "datapackage.json").is_file()]
    if len(inner) == 1:
        return inner[0]
    raise ReleaseIntegrityError(
        f"L'archive dépaquetée dans {folder} ne contient pas de datapackage.json.",
        en=f"The archive unpacked in {folder} holds no datapackage.json.",
    )


def extract(archive: Path, sha256: str) -> Path:
    """Unpack a *verified* archive once into the cache; return its package root.

    A copy unpacked before is used only if it still holds the archive's files, byte for
    byte: one edited, removed or added since (a schema changed by hand, a file a cache
    cleaner deleted) would be loaded as the version whose checksum was just verified.
    It is unpacked again from the archive."""
    target = paths.cache_dir() / "extracted" / sha256
    if target.is_dir():
        if _unpacked_intact(archive, target):
            return _package_root(target)
        stale = target.with_name(f".{sha256[:12]}.stale.{os.getpid()}")
        with contextlib.suppress(OSError):  # another process moved it first
            target.rename(stale)
        shutil.rmtree(stale, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{sha256[:12]}.", dir=target.parent))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                for member in zf.namelist():
                    parts = Path(member).parts
                    if Path(member).is_absolute() or ".." in parts:
                        raise ReleaseIntegrityError(
                            f"L'archive {archive} contient un chemin dangereux : {member}",
                            en=f"The archive {archive} holds an unsafe path: {member}",
                        )
                zf.extractall(staging)
        except zipfile.BadZipFile as exc:
            raise ReleaseIntegrityError(
                f"L'archive {archive} n'est pas un zip lisible ({exc}).",
                en=f"The archive {archive} is not a readable zip ({exc}).",
            ) from None
        root = _package_root(staging)
        try:
            staging.rename(target)
        except OSError:  # another process unpacked it first: same bytes, keep theirs
            shutil.rmtree(staging, ignore_errors=True)
        return target / root.relative_to(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _unpacked_intact(archive: Path, folder: Path) -> bool:
    """Whether ``folder`` holds exactly the files of ``archive``, with the same bytes."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = {i.filename: i for i in zf.infolist() if not i.is_dir()}
            found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}
            if found != set(members):
                return False
            return all((folder / name).read_bytes() == zf.read(name) for name in members)
    except (OSError, zipfile.BadZipFile):
        return False


def _resolved_from_archive(
    archive: Path, sha256: str, origin: str, version: str | None, origin_en: str | None = None
):
    verify_archive(archive, sha256, origin, origin_en)
    root = extract(archive, sha256)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    found = str(descriptor.get("version", ""))
    if version and found != version:
        raise ReleaseIntegrityError(
            f"L'archive {origin} contient la version {found or '(sans numéro)'}, "
            f"pas la version {version} demandée.",
            en=f"The archive {origin_en or origin} holds version {found or '(unnumbered)'}, "
            f"not version {version} as asked.",
        )
    return ResolvedVersion(
        found or (version or ""), root, origin, sha256, verified=True, origin_en=origin_en
    )


# --------------------------------------------------------------------------- local store


def _from_store(store: ReleaseStore, version: str | None) -> ResolvedVersion:
    if version is None:
        latest = store.latest()
        if latest is None:
            raise VersionError(
                f"Le dépôt de versions {store.root} ne contient aucune version.",
                en=f"The release store {store.root} holds no version.",
            )
        version = latest.version
    try:
        release = store.get(version)
    except StoreError as exc:
        raise VersionError(str(exc), en=exc.en) from None
    if not release.archive.is_file():
        raise ReleaseIntegrityError(
            f"La version {version} du dépôt {store.root} n'a pas d'archive ({release.archive}).",
            en=f"Version {version} of the store {store.root} has no archive ({release.archive}).",
        )
    fr, en = _origin("store_archive", release.archive)
    return _resolved_from_archive(release.archive, release.sha256, fr, version, en)


# --------------------------------------------------------------------------- cache of downloads


def _source_key(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _downloads() -> Path:
    return paths.cache_dir() / "downloads"


def _cached(
    version: str, source: str | None, expected: str | None = None
) -> ResolvedVersion | None:
    """A version downloaded earlier (from ``source``, or from any source if None).

    ``expected``: a sha256 the caller insists on; a cached copy with another one is an error
    rather than a silent substitute.
    """
    base = _downloads()
    folders = (
        [base / _source_key(source) / version]
        if source
        else sorted(base.glob(f"*/{version}"), key=lambda p: p.stat().st_mtime, reverse=True)
    )
    for folder in folders:
        meta_path = folder / "release.json"
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        archive = folder / archive_name(version)
        if archive.is_file():
            if expected and expected.lower() != meta["sha256"]:
                raise ReleaseIntegrityError(
                    f"La version {version} en cache ({folder}) a l'empreinte sha256 "
                    f"{meta['sha256']}, pas {expected} comme demandé : vérifiez l'empreinte "
                    f"ou videz le cache {paths.cache_dir()}.",
                    en=f"Version {version} in the cache ({folder}) has sha256 {meta['sha256']}, "
                    f"not {expected} as asked: check the checksum or empty the cache "
                    f"{paths.cache_dir()}.",
                )
            fr, en = _origin("cache_archive", meta.get("url", archive), folder)
            return _resolved_from_archive(archive, meta["sha256"], fr, version, en)
    return None


def _retrying(url: str, attempt: Callable[[], Any]) -> Any:
    """Run one HTTP exchange, again after a short wait on a dropped connection, 5xx or 429.

    A researcher's ``load`` on a flaky network should not fail on the first hiccup, nor
    hang: a few tries (the project's one HTTP layer, :mod:`moisinno_data.portals.http`),
    then a clear :class:`SourceError`.
    """
    import requests

    from moisinno_data.portals import http

    def wait(attempt_number: int, exc: BaseException | None) -> float:
        delay = RETRY_DELAYS[min(attempt_number, len(RETRY_DELAYS)) - 1]
        after = http.retry_after(exc.response) if isinstance(exc, http.Transient) else None
        return max(delay, min(after or 0.0, 30.0))

    try:
        return http.call(attempt, attempts=len(RETRY_DELAYS) + 1, wait=wait)
    except http.BodyRefused as exc:
        said, said_en = exc.said()
        raise SourceError(
            f"Impossible de lire {shown(url)} : {said}. Vérifiez que l'adresse est bien "
            "celle d'une source de versions (portail, miroir, archive), ou chargez la "
            "version depuis un autre miroir.",
            en=f"Cannot read {shown(url)}: {said_en}. Check that the address is really a "
            "source of versions (portal, mirror, archive), or load the version from another "
            "mirror.",
        ) from None
    except http.RedirectRefused as exc:
        raise SourceError(
            f"Impossible de lire {shown(url)} : redirection ({exc.status}) {exc.reason} "
            f"({shown(exc.location)}). Vérifiez l'adresse.",
            en=f"Cannot read {shown(url)}: redirect ({exc.status}) {exc.reason_en} "
            f"({shown(exc.location)}). Check the address.",
        ) from None
    except http.Transient as exc:
        last, last_en = f"réponse {exc.status}", f"response {exc.status}"
    except http.NETWORK_ERRORS as exc:
        last = last_en = type(exc).__name__  # requests' own text repeats the query
    except requests.RequestException as exc:
        kind = type(exc).__name__
        raise SourceError(
            f"Impossible de lire {shown(url)} ({kind}).", en=f"Cannot read {shown(url)} ({kind})."
        ) from None
    raise SourceError(
        f"Impossible de joindre {shown(url)} après {len(RETRY_DELAYS) + 1} essais ({last}). Vérifiez "
        "l'adresse et la connexion ; une version déjà téléchargée se charge hors ligne.",
        en=f"Cannot reach {shown(url)} after {len(RETRY_DELAYS) + 1} tries ({last_en}). Check the "
        "address and the connection; a version downloaded before loads offline.",
    )


def _raise_transient(response: Any) -> None:
    from moisinno_data.portals import http

    http.raise_transient(response)


def _get(url: str, headers: dict[str, str] | None = None) -> Any:
    """``url``'s answer, its body not read yet (:func:`.http.read_body` reads it), redirects
    followed by hand to any host (a release host hands its files to another), their own
    bodies never read."""
    import requests

    from moisinno_data.portals import http

    def send(method: str, target: str) -> requests.Response:
        return requests.request(
            method,
            target,
            stream=True,
            timeout=TIMEOUT,
            headers=headers,
            allow_redirects=False,
            hooks=http.REDIRECT_HOOKS,
        )

    return http.follow(send, "GET", url, any_origin=True)


def _download(url: str, dest: Path) -> None:
    """``url``'s body into ``dest``, whole or not at all, within :data:`.http.FILE_LIMIT`."""
    from moisinno_data.portals import http

    dest.parent.mkdir(parents=True, exist_ok=True)

    def attempt() -> None:
        with _get(url) as response:
            _raise_transient(response)
            if response.status_code != 200:
                raise SourceError(
                    f"Téléchargement impossible : {shown(url)} a répondu {response.status_code}.",
                    en=f"Download failed: {shown(url)} answered {response.status_code}.",
                )
            with fsutil.atomic_write(dest, "wb", None) as fh:
                http.read_body(response, http.FILE_LIMIT, into=fh)

    _retrying(url, attempt)


def _get_json(url: str) -> Any:
    """``url``'s answer, its body read within :data:`.http.ANSWER_LIMIT`."""
    from moisinno_data.portals import http

    def attempt() -> Any:
        with _get(url, {"Accept": "application/json"}) as response:
            http.read_body(response, http.ANSWER_LIMIT)
        _raise_transient(response)
        return response

    response = _retrying(url, attempt)
    if response.status_code == 404:
        raise VersionError(
            f"{shown(url)} est introuvable (404).", en=f"{shown(url)} was not found (404)."
        )
    if response.status_code != 200:
        raise SourceError(
            f"{shown(url)} a répondu {response.status_code} : {response.text[:200]}",
            en=f"{shown(url)} answered {response.status_code}: {response.text[:200]}",
        )
    try:
        return response.json()
    except ValueError:
        raise SourceError(
            f"{shown(url)} n'a pas renvoyé de JSON.", en=f"{shown(url)} did not return JSON."
        ) from None


def _fetch_release(
    source: str,
    version: str,
    url: str,
    sha256: str,
    meta: dict[str, Any],
    check: Callable[[Path], None] | None = None,
) -> ResolvedVersion:
    """Download ``url`` into the cache, verify it, then keep it for offline use."""
    folder = _downloads() / _source_key(source) / version
    archive = folder / archive_name(version)
    partial = folder / (archive.name + ".part")
    _download(url, partial)
    try:
        if check is not None:
            check(partial)
        verify_archive(partial, sha256, url)
        resolved = _resolved_from_archive(partial, sha256, url, version)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(archive)
    record = {**meta, "version": version, "sha256": sha256, "url": url, "source": source}
    fsutil.write_text(
        folder / "release.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    )
    return ResolvedVersion(resolved.version, resolved.root, url, sha256, verified=True)


# --------------------------------------------------------------------------- remote sources


@dataclass(frozen=True)
class RemoteRelease:
    version: str
    url: str
    sha256: str | None
    meta: dict[str, Any]


def _udata_dataset_url(source: str) -> str | None:
    """The API URL of a udata dataset given its page or API URL, or None if not one."""
    parts = urlsplit(source)
    match = re.search(
        r"^(?P<prefix>.*?)(?:/api/1)?(?:/[a-z]{2})?/datasets/(?P<id>[^/]+)/?$", parts.path
    )
    if not match:
        return None
    return f"{parts.scheme}://{parts.netloc}{match['prefix']}/api/1/datasets/{match['id']}/"


def _sha256_in(resource: dict[str, Any]) -> str | None:
    """The archive's sha256 as the publisher recorded it on the resource, if anywhere."""
    checksum = resource.get("checksum") or {}
    if str(checksum.get("type", "")).lower() in ("sha256", "sha2") and checksum.get("value"):
        return str(checksum["value"]).lower()
    extras = resource.get("extras") or {}
    if SHA256_RE.fullmatch(str(extras.get(SHA256_EXTRA, ""))):
        return extras[SHA256_EXTRA]
    for key, value in extras.items():
        if "sha256" in key.lower() and isinstance(value, str) and SHA256_RE.fullmatch(value):
            return value.lower()
    description = resource.get("description") or ""
    marked = re.search(r"sha-?256\W{0,5}([0-9a-fA-F]{64})", description)
    return marked[1].lower() if marked else None


def _udata_releases(api_url: str) -> dict[str, RemoteRelease]:
    dataset = _get_json(api_url)
    resources = dataset.get("resources") if isinstance(dataset, dict) else None
    return _releases_in(resources if isinstance(resources, list) else [], _get_json)


def _releases_in(resources: list[Any], read_json: Callable[[str], Any]) -> dict[str, RemoteRelease]:
    """The release archives among a udata dataset's ``resources`` (``read_json`` reads a
    ``release.json`` published beside one, by its ``url``)."""
    resources = [res for res in resources if isinstance(res, dict)]
    metas: dict[str, dict[str, Any]] = {}
    for res in resources:  # release.json published beside an archive, if any
        title = f"{res.get('title', '')} {res.get('url', '')}"
        found = re.search(r"(\d+\.\d+\.\d+)", title)
        if found and re.search(r"release[^/]*\.json", title):
            metas[found[1]] = res
    releases: dict[str, RemoteRelease] = {}
    for res in resources:
        name = res.get("title") or ""
        url = res.get("url") or ""
        key = re.fullmatch(
            r"archive:(\d+\.\d+\.\d+)", str((res.get("extras") or {}).get(KEY_EXTRA))
        )
        match = key or ARCHIVE_RE.search(name) or ARCHIVE_RE.search(urlsplit(url).path)
        if not match:
            continue
        version = match[1]
        sha256 = _sha256_in(res)
        if sha256 is None and version in metas:
            published = read_json(metas[version]["url"])
            sha256 = published.get("sha256") if isinstance(published, dict) else None
        meta = {
            "portal_resource": res.get("id"),
            "portal_checksum": res.get("checksum"),
            "created": res.get("created_at"),
        }
        releases.setdefault(version, RemoteRelease(version, url, sha256, meta))
    return releases


def _mirror_releases(base: str) -> dict[str, RemoteRelease]:
    base = base if base.endswith("/") else base + "/"
    index = _get_json(urljoin(base, "index.json"))
    releases = {}
    for version in index.get("versions", []) if isinstance(index, dict) else []:
        releases[version] = RemoteRelease(version, urljoin(base, f"{version}/"), None, {})
    return releases


def _mirror_release(base: str, version: str) -> RemoteRelease:
    folder = (base if base.endswith("/") else base + "/") + f"{version}/"
    meta = _get_json(urljoin(folder, "release.json"))
    if not isinstance(meta, dict) or "sha256" not in meta:
        raise ReleaseIntegrityError(
            f"{folder}release.json ne donne pas l'empreinte sha256.",
            en=f"{folder}release.json gives no sha256 checksum.",
        )
    url = urljoin(folder, meta.get("archive", archive_name(version)))
    return RemoteRelease(version, url, meta["sha256"], meta)


def _check_udata_checksum(release: RemoteRelease, archive_sha1: str) -> None:
    checksum = release.meta.get("portal_checksum") or {}
    declared = str(checksum.get("value") or "").lower()
    if str(checksum.get("type", "")).lower() == "sha1" and declared and declared != archive_sha1:
        raise ReleaseIntegrityError(
            f"L'archive {release.url} ne correspond pas à l'empreinte sha1 que le portail "
            f"a calculée ({declared}) : fichier altéré ou incomplet, non chargé.",
            en=f"The archive {release.url} does not match the sha1 checksum the portal "
            f"computed ({declared}): the file is altered or incomplete, not loaded.",
        )


def _pick(releases: dict[str, RemoteRelease], version: str | None, source: str) -> RemoteRelease:
    if not releases:
        raise VersionError(
            f"Aucune archive de version moisinno-data n'est publiée sur {source}.",
            en=f"No moisinno-data release archive is published at {source}.",
        )
    if version is None:
        version = max(releases, key=semver_key)
    if version not in releases:
        known = ", ".join(sorted(releases, key=semver_key))
        raise VersionError(
            f"La version {version} n'est pas publiée sur {source} (versions publiées : {known}).",
            en=f"Version {version} is not published at {source} (published versions: {known}).",
        )
    return releases[version]


def _from_remote(source: str, version: str | None, sha256: str | None) -> ResolvedVersion:
    url, fragment = urldefrag(source)
    if fragment.startswith("sha256="):
        sha256 = sha256 or fragment.removeprefix("sha256=")
    source = url  # the cache is keyed by address; the checksum is checked separately
    if version:
        cached = _cached(version, source, sha256)
        if cached is not None:  # published versions never change: no network needed
            return cached
    api = _udata_dataset_url(url)
    if urlsplit(url).path.endswith(".zip"):
        match = ARCHIVE_RE.search(urlsplit(url).path)
        found = match[1] if match else None
        if version and found and version != found:
            raise VersionError(
                f"{shown(url)} est l'archive de la version {found}, pas {version}.",
                en=f"{shown(url)} is the archive of version {found}, not {version}.",
            )
        version = version or found
        if version is None:
            raise VersionError(
                f"Version inconnue pour {shown(url)} : précisez version= (nom attendu "
                "<paquet>-X.Y.Z.zip, par exemple moisinno-data-1.2.0.zip).",
                en=f"Unknown version for {shown(url)}: give version= (expected name "
                "<package>-X.Y.Z.zip, for example moisinno-data-1.2.0.zip).",
            )
        cached = _cached(version, source, sha256)
        if cached is not None:
            return cached
        meta: dict[str, Any] = {}
        if sha256 is None:  # a release.json beside the archive (store layout)
            try:
                meta = _get_json(urljoin(url, "release.json"))
            except (SourceError, VersionError):
                meta = {}
            sha256 = meta.get("sha256") if isinstance(meta, dict) else None
        if not sha256:
            raise ReleaseIntegrityError(
                f"Aucune empreinte sha256 connue pour {shown(url)} : ajoutez #sha256=<empreinte> à "
                "l'adresse ou passez sha256=…, comme l'indique la page de la version.",
                en=f"No sha256 checksum known for {shown(url)}: add #sha256=<checksum> to the "
                "address or pass sha256=…, as the version's page says.",
            )
        return _fetch_release(source, version, url, sha256, meta)
    if api:
        release = _pick(_udata_releases(api), version, source)
    else:
        found = _mirror_release(url, version) if version else None
        release = found or _mirror_release(url, _pick(_mirror_releases(url), None, source).version)
    cached = _cached(release.version, source, sha256)
    if cached is not None:
        return cached
    expected = sha256 or release.sha256
    if not expected:
        raise ReleaseIntegrityError(
            f"Le portail {source} ne publie pas d'empreinte sha256 pour l'archive de la "
            f"version {release.version} ({release.url}) : impossible de prouver qu'elle est "
            "intacte, elle n'est pas chargée. Passez sha256=… si vous la connaissez.",
            en=f"The portal {source} publishes no sha256 checksum for the archive of "
            f"version {release.version} ({release.url}): there is no proof it is intact, "
            "it is not loaded. Pass sha256=… if you know it.",
        )
    check = None
    if api:

        def check(archive: Path) -> None:
            sha1 = hashlib.sha1(archive.read_bytes()).hexdigest()
            _check_udata_checksum(release, sha1)

    return _fetch_release(source, release.version, release.url, expected, release.meta, check)


# --------------------------------------------------------------------------- local portal


PORTAL_STATE = "dataset.json"
"""The resource list of a dataset in a local portal (:mod:`moisinno_data.portals.local`)."""


def _local_dataset(folder: Path) -> Path | None:
    """The dataset folder of a local portal, given it or the portal's own folder when that
    holds one dataset (``moisinno publish`` prints the first; people remember the second).
    None: not a local portal."""
    try:
        if (folder / PORTAL_STATE).is_file():
            return folder
        datasets = sorted(d for d in folder.iterdir() if (d / PORTAL_STATE).is_file())
    except OSError:  # a folder we may not list: not a portal of ours
        return None
    if len(datasets) > 1:
        names = ", ".join(str(d) for d in datasets)
        raise SourceError(
            f"Le portail local {folder} contient plusieurs jeux de données ({names}) : "
            "donnez le dossier de l'un d'eux comme source.",
            en=f"The local portal {folder} holds several datasets ({names}): give the "
            "folder of one of them as the source.",
        )
    return datasets[0] if datasets else None


def _local_portal_releases(dataset: Path) -> dict[str, RemoteRelease]:
    """The archives a local portal publishes, read as a udata dataset's resources."""
    state_path = dataset / PORTAL_STATE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(
            f"{state_path} est illisible ({exc}) : publiez la version à nouveau.",
            en=f"{state_path} cannot be read ({exc}): publish the version again.",
        ) from None
    entries = state.get("resources") if isinstance(state, dict) else None
    resources = [
        {**entry, "url": entry.get("file") or "", "checksum": None}
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
    ]
    return _releases_in(resources, lambda _url: None)


def _from_local_portal(dataset: Path, version: str | None, sha256: str | None) -> ResolvedVersion:
    """A version published to a local portal (``moisinno publish``'s default target): its
    archive, checked against the sha256 the portal recorded (or the one given)."""
    release = _pick(_local_portal_releases(dataset), version, str(dataset))
    archive = (dataset / release.url).resolve()
    if not archive.is_relative_to(dataset.resolve()) or not archive.is_file():
        raise ReleaseIntegrityError(
            f"L'archive de la version {release.version} ({release.url}) manque dans le "
            f"portail local {dataset} : publiez la version à nouveau.",
            en=f"The archive of version {release.version} ({release.url}) is missing from "
            f"the local portal {dataset}: publish the version again.",
        )
    expected = sha256 or release.sha256
    if not expected:
        raise ReleaseIntegrityError(
            f"Le portail local {dataset} ne donne pas d'empreinte sha256 pour {archive.name} : "
            "passez sha256=… si vous la connaissez.",
            en=f"The local portal {dataset} gives no sha256 checksum for {archive.name}: "
            "pass sha256=… if you know it.",
        )
    fr, en = _origin("portal_archive", archive)
    return _resolved_from_archive(archive, expected, fr, release.version, en)


# --------------------------------------------------------------------------- public API


def resolve(
    version: str | None = None, source: str | Path | None = None, sha256: str | None = None
) -> ResolvedVersion:
    """Where to read ``version`` from, verified. See the module docstring for the order."""
    if version is not None:
        _check_version(version)
    if source is None:
        if version is None:
            return bundled()
        store = ReleaseStore()
        if store.has(version):
            return _from_store(store, version)
        cached = _cached(version, None)
        if cached is not None:
            return cached
        if not paths.is_checkout() and _bundled_version() == version:
            return bundled()
        default = os.environ.get("MOISINNO_SOURCE")
        if default:  # where this user's versions are published, set once
            return resolve(version, default, sha256)
        versions = ", ".join(store.versions())
        raise VersionError(
            f"La version {version} n'est ni dans le dépôt local {store.root} (versions : "
            f"{versions or 'aucune'}) ni dans le cache {paths.cache_dir()}. Indiquez où la "
            "trouver avec source=… (par exemple l'adresse du jeu de données sur data.gouv.fr), "
            "ou une fois pour toutes dans la variable d'environnement MOISINNO_SOURCE.",
            en=f"Version {version} is neither in the local store {store.root} (versions: "
            f"{versions or 'none'}) nor in the cache {paths.cache_dir()}. Say where to find "
            "it with source=… (for example the dataset's address on data.gouv.fr), or once "
            "and for all in the environment variable MOISINNO_SOURCE.",
        )
    text = str(source)
    if re.match(r"^https?://", text):
        return _from_remote(text, version, sha256)
    local = Path(text).expanduser()
    if local.is_file() and local.suffix == ".zip":
        match = ARCHIVE_RE.search(local.name)
        meta_path = local.parent / "release.json"
        if sha256 is None and meta_path.is_file():
            sha256 = json.loads(meta_path.read_text(encoding="utf-8")).get("sha256")
        if not sha256:
            raise ReleaseIntegrityError(
                f"Aucune empreinte sha256 pour {local} : passez sha256=… ou gardez son "
                "release.json à côté.",
                en=f"No sha256 checksum for {local}: pass sha256=… or keep its release.json "
                "beside it.",
            )
        return _resolved_from_archive(
            local, sha256, str(local), version or (match[1] if match else None)
        )
    if local.is_dir() and (local / "datapackage.json").is_file():
        descriptor = json.loads((local / "datapackage.json").read_text(encoding="utf-8"))
        found = str(descriptor.get("version", ""))
        if version and version != found:
            raise VersionError(
                f"{local} contient la version {found}, pas {version}.",
                en=f"{local} holds version {found}, not {version}.",
            )
        fr, en = _origin("folder", local)
        return ResolvedVersion(found, local.resolve(), fr, origin_en=en)
    if local.is_dir():
        dataset = _local_dataset(local)
        if dataset is not None:
            return _from_local_portal(dataset, version, sha256)
        return _from_store(ReleaseStore(local), version)
    raise SourceError(
        f"Source inconnue : « {text} ». Attendu : l'adresse d'un jeu de données udata "
        "(https://www.data.gouv.fr/fr/datasets/…), d'une archive .zip, d'un dépôt de "
        "versions, ou un dossier local.",
        en=f'Unknown source: "{text}". Expected: the address of a udata dataset '
        "(https://www.data.gouv.fr/fr/datasets/…), of a .zip archive, of a release store, "
        "or a local folder.",
    )


def available(source: str | Path | None = None) -> list[VersionInfo]:
    """Versions one can load: bundled, store and cache — or those published on ``source``."""
    if source is not None:
        text = str(source)
        if re.match(r"^https?://", text):
            url, _ = urldefrag(text)
            api = _udata_dataset_url(url)
            if api:
                releases = _udata_releases(api)
            else:
                releases = {v: _mirror_release(url, v) for v in _mirror_releases(url)}
            return [
                VersionInfo(r.version, r.url, r.sha256, r.meta.get("created"))
                for r in sorted(releases.values(), key=lambda r: semver_key(r.version))
            ]
        folder = Path(text).expanduser()
        dataset = _local_dataset(folder) if folder.is_dir() else None
        if dataset is not None:
            releases = _local_portal_releases(dataset)
            return [
                VersionInfo(r.version, str(dataset / r.url), r.sha256)
                for r in sorted(releases.values(), key=lambda r: semver_key(r.version))
            ]
        store = ReleaseStore(folder)
        return [
            VersionInfo(v, str(store.root), store.get(v).sha256, store.get(v).meta.get("created"))
            for v in store.versions()
        ]
    fr, en = _current_label()
    infos = [VersionInfo(_bundled_version(), fr, origin_en=en)]
    store = ReleaseStore()
    for v in store.versions():
        release = store.get(v)
        fr, en = _origin("store", store.root)
        created = release.meta.get("created")
        infos.append(VersionInfo(v, fr, release.sha256, created, origin_en=en))
    seen = {(i.version, i.sha256) for i in infos}
    for meta_path in sorted(_downloads().glob("*/*/release.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        key = (meta.get("version"), meta.get("sha256"))
        if key not in seen:
            seen.add(key)
            fr, en = _origin("cache", meta.get("url", ""))
            infos.append(VersionInfo(meta["version"], fr, meta.get("sha256"), origin_en=en))
    return infos
