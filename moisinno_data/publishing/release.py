"""Cut a version: diff against the previous release, pick the number, build and store it.

A release

1. compares the data package with the latest version of the local store (:mod:`.diff`)
   and picks the next number by the rules of :mod:`.semver` (``--bump`` overrides); the
   very first release takes the version written in ``datapackage.json``;
2. refuses a ``spatial`` or ``catalogSchema`` the portal would refuse
   (:mod:`~moisinno_data.package.portal_metadata`, which publish checks again), and a
   table with validation errors;
3. writes into ``datapackage.json`` the version, ``lastModified``, each resource's bytes,
   sha256 and row count, and the temporal coverage computed from the data's dates;
4. adds an entry on top of ``CHANGELOG.md`` (per table: rows added, removed, changed,
   with their ids; schema changes);
5. builds ``<name>-X.Y.Z.zip`` (``moisinno-data-X.Y.Z.zip`` here) — ``datapackage.json``,
   ``datasets/*.csv``, ``schemas/<table>/*`` (the generated documentation and Excel
   template regenerated if ``moisinno docs --check`` finds them stale: a schema update) —
   **byte-for-byte reproducible**: entries sorted, every timestamp
   set to the release's ``lastModified`` (the day of the release, or ``SOURCE_DATE_EPOCH``
   when set), fixed permissions, fixed compression level; so the same inputs give the
   same sha256, and anyone can rebuild a version from its commit with :func:`build_archive`;
6. stores it (the store refuses to replace a version), together with steps 3-5, in one
   transaction (:mod:`.transaction`): a failure or a kill leaves everything as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.errors import MoisinnoError
from moisinno_data.package import citation, paths, portal_metadata
from moisinno_data.package import datapackage as package
from moisinno_data.package.text import Said, in_lang, said_in
from moisinno_data.publishing import diff as diffmod
from moisinno_data.publishing import semver, transaction
from moisinno_data.publishing.row_labels import KEY_CHARS
from moisinno_data.publishing.store import ReleaseStore, archive_name
from moisinno_data.reading.marks import cut

CHANGELOG_TITLE = "# Journal des versions du jeu de données"
CHANGELOG_PREAMBLE = (
    f"{CHANGELOG_TITLE}\n\n"
    "Généré par `moisinno release` (ne pas modifier à la main) : une entrée par version, "
    "la plus récente en premier.\nRègles de numérotation : voir « Pour les éditeurs » dans "
    "le README.\n"
)
BUMPS = ("auto", "major", "minor", "patch")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


class ReleaseError(MoisinnoError):
    pass


class InvalidData(ReleaseError):
    exit_code = 1


@dataclass
class ReleaseResult:
    version: str | None
    previous: str | None
    level: str | None
    reason: str
    """Why this number, or why none: a :class:`~.text.Said` (French in the JSON's
    ``reason``, its English shown with ``--lang en``, :meth:`why`)."""
    diff: diffmod.PackageDiff | None
    changelog_entry: str = ""
    sha256: str | None = None
    archive: Path | None = None
    dry_run: bool = False
    recovered: bool = False
    descriptor: dict[str, Any] = field(default_factory=dict)
    regenerated: dict[str, bytes] = field(default_factory=dict)
    """The generated files (documentation.md, Excel template) that no longer matched
    their schema, by path in the package, with what the version holds instead."""

    def why(self, lang: str = "fr") -> str:
        """:attr:`reason` in ``lang``."""
        return said_in(self.reason, lang)


def release_time() -> datetime.datetime:
    """When the version is dated: a data version is dated by the day (or pinned by
    ``SOURCE_DATE_EPOCH`` to rebuild an old one), see :func:`.fsutil.stamp_time`."""
    return fsutil.stamp_time()


def iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def temporal_coverage(snapshot: diffmod.Snapshot) -> dict[str, str] | None:
    """Earliest and latest day found in any ``date``/``datetime`` field of the data."""
    days: list[str] = []
    for name, table in snapshot.tables.items():
        schema = snapshot.schemas.get(name, {})
        for spec in schema.get("fields", []):
            if spec.get("type") not in ("date", "datetime") or spec["name"] not in table.header:
                continue
            i = table.header.index(spec["name"])
            days += [r[i][:10] for r in table.rows if i < len(r) and _ISO_DAY.match(r[i])]
    return {"start": min(days), "end": max(days)} if days else None


# --- archive ---------------------------------------------------------------------------------


def archive_members(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """Relative paths of the files a release holds, besides ``datapackage.json``: no
    hidden file or folder (``.idea/``, ``.DS_Store``) nor editor backup (``schema.json~``),
    which one working copy has and another clone has not."""
    members = set()
    for resource in descriptor.get("resources", []):
        members.add(resource["path"])
        folder = (root / package.schema_file(resource)).parent
        if "schema" in resource and folder.is_dir():
            for p in folder.rglob("*"):
                inside = p.relative_to(folder).parts
                if p.is_file() and not _hidden(inside):
                    members.add(p.relative_to(root).as_posix())
    return sorted(members)


def _hidden(parts: tuple[str, ...]) -> bool:
    """Whether a path (its parts) is a hidden file, in a hidden folder, or a backup."""
    return any(part.startswith(".") for part in parts) or parts[-1].endswith("~")


def build_archive_bytes(
    root: Path, descriptor: dict[str, Any], replaced: dict[str, bytes] | None = None
) -> bytes:
    """The release zip, deterministic: same files and descriptor → same bytes;
    ``replaced``: files, by path in the package, to hold instead of what the disk has."""
    stamp = descriptor.get("lastModified") or "1980-01-01T00:00:00Z"
    moment = datetime.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
    date_time = (
        max(moment.year, 1980),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )
    entries = {
        "datapackage.json": (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()
    }
    for rel in archive_members(root, descriptor):
        entries[rel] = (root / rel).read_bytes()
    entries.update(replaced or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def build_archive(root: Path | None = None, dest: Path | None = None) -> bytes:
    """Rebuild the archive of the version described by ``root``'s ``datapackage.json``."""
    root = root or paths.bundle_root()
    data = build_archive_bytes(root, package.read(root))
    if dest is not None:
        fsutil.write_bytes(dest, data)
    return data


# --- changelog -------------------------------------------------------------------------------


KEYLESS_NOTE = (
    "- Table sans identifiant (ni clé primaire, ni champ `unique` et `required`) : une "
    "ligne y est reconnue à toutes ses valeurs, une ligne modifiée figure donc retirée puis "
    "ajoutée, et la version est majeure comme pour tout retrait de ligne ; un identifiant "
    "déclaré dans le schéma la ferait voir modifiée."
)
"""Said under a table without a key where rows were both removed and added: some may be
edits, which only a key could tell (README « Couper une version »)."""


def _ids(
    keys: list[str],
    limit: int = 50,
    details: dict[str, str] | None = None,
    label: Callable[[str], str] = str,
) -> str:
    """Rows as the changelog lists them: by ``label`` (a keyless row's short one), cut."""
    details = details or {}
    shown = ", ".join(
        f"`{cut(label(k), KEY_CHARS)}`" + (f" ({details[k]})" if k in details else "")
        for k in keys[:limit]
    )
    return shown + (f" … et {len(keys) - limit} autre(s)" if len(keys) > limit else "")


def changelog_entry(
    version: str, day: str, d: diffmod.PackageDiff, level: str | None, first: bool
) -> str:
    lines = [f"## {version} — {day}", ""]
    if first:
        lines.append("Première version publiée.")
    else:
        lines.append(f"Changement {semver.level_label(level)} par rapport à la version {d.old}.")
    for t in d.tables:
        if t.empty:
            continue
        lines += ["", f"### {t.name} ({t.rows_before} → {t.rows_after} lignes)"]
        if t.status == "added" and not first:
            lines.append("- Table ajoutée.")
        if t.status == "removed":
            lines.append("- Table retirée.")
        lines += [f"- {len(t.added)} ligne(s)."] if first else _row_lines(t)
        for c in t.schema_changes:
            lines.append(f"- Schéma [{c.level}] : {c.text}")
    if d.metadata and not first:
        lines += ["", "### datapackage.json", f"- Métadonnées modifiées : {', '.join(d.metadata)}"]
    return "\n".join(lines) + "\n"


def _row_lines(t: diffmod.TableDiff) -> list[str]:
    """A table's rows added, removed and changed, as the changelog lists them."""
    lines = []
    if t.added:
        lines.append(f"- Ajoutées ({len(t.added)}) : {_ids(t.added, label=t.label)}")
    if t.removed:
        lines.append(f"- Retirées ({len(t.removed)}) : {_ids(t.removed, label=t.label)}")
    if t.changed:
        fields = {k: ", ".join(cells) for k, cells in t.changed.items()}
        shown = _ids(list(t.changed), details=fields, label=t.label)
        lines.append(f"- Modifiées ({len(t.changed)}) : {shown}")
    if t.keyless and t.added and t.removed:
        lines.append(KEYLESS_NOTE)
    return lines


def insert_changelog(existing: str | None, entry: str) -> str:
    """``entry`` on top of the journal's entries; an entry of the same version already
    there is replaced, not repeated: a version cut again (its release store removed, as
    when a pending version is cut anew after more data) listed ``## 0.1.0`` twice."""
    text = existing if existing and existing.startswith(CHANGELOG_TITLE) else CHANGELOG_PREAMBLE
    if existing and not existing.startswith(CHANGELOG_TITLE):
        entry = entry + "\n" + existing  # keep whatever was there, below the generated entries
    heading = re.match(r"## (\S+) ", entry)
    if heading:
        same = re.compile(rf"^## {re.escape(heading.group(1))} .*?(?=^## |\Z)", re.M | re.S)
        text = same.sub("", text)
    cut = text.find("\n## ")
    if cut == -1:
        return text.rstrip("\n") + "\n\n" + entry
    return text[:cut].rstrip("\n") + "\n\n" + entry + "\n" + text[cut + 1 :].lstrip("\n")


# --- the release -----------------------------------------------------------------------------


def _validate_tables(root: Path) -> list[tuple[str, str]]:
    """What keeps the package's tables from being a version, in French and English."""
    from moisinno_data.validation import validate
    from moisinno_data.validation.messages import message

    problems = []
    for resource in package.read(root).get("resources", []):
        path = resource["path"]
        report = validate(root / path, schema=resource["name"])
        absent = ", ".join(
            f for w in report.warnings if w.code == "missing-label" for f in _fields(w)
        )
        if absent:  # a warning for a contributor; a version without them would not load
            problems.append((
                f"{path} n'a pas la colonne ou les colonnes {absent} du schéma : ajoutez-les "
                "(vides si besoin) en tête du fichier, ou consolidez une contribution "
                "(« moisinno consolidate » ajoute les colonnes nouvelles du schéma)",
                f"{path} lacks the schema's column(s) {absent}: add them (empty if need be) "
                "to the file's header, or consolidate a contribution (“moisinno consolidate” "
                "adds the schema's new columns)",
            ))  # fmt: skip
        if report.errors:
            f = report.errors[0]
            fr, en = _where(f)
            problems.append((
                f"{path} : {report.error_count} erreur(s), dont {fr} : {message(f, 'fr')} "
                f"— détail : moisinno validate {path}",
                f"{path}: {report.error_count} error(s), among them {en}: {message(f, 'en')} "
                f"— details: moisinno validate {path}",
            ))  # fmt: skip
    return problems


def _where(finding: Any) -> tuple[str, str]:
    """Where the first error is, in French and English: a finding about the whole file (an
    unknown check of the schema) has no line to name."""
    if finding.row is not None:
        field = finding.field or "-"
        return f"ligne {finding.row} ({field})", f"line {finding.row} ({field})"
    if finding.field:
        return f"colonne {finding.field}", f"column {finding.field}"
    return "une sur tout le fichier", "one about the whole file"


def _fields(finding: Any) -> list[str]:
    fields = (finding.params or {}).get("fields")
    return [str(f) for f in fields] if isinstance(fields, list) else [str(finding.field)]


def release(
    bump: str = "auto",
    *,
    dry_run: bool = False,
    store: ReleaseStore | None = None,
    validate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ReleaseResult:
    """Cut the next version of the data package at :func:`paths.bundle_root` (module doc)."""
    if bump not in BUMPS:
        raise ReleaseError(
            f"--bump {bump!r} inconnu (attendu : {', '.join(BUMPS)}).",
            en=f"unknown --bump {bump!r} (expected: {', '.join(BUMPS)}).",
        )
    root = transaction.writable_root()
    with transaction.exclusive(root):
        return _release(root, bump, dry_run, store or ReleaseStore(), validate, progress)


@dataclass
class _Next:
    """The version to cut, and why (what :func:`_next_version` decides)."""

    version: str
    diff: diffmod.PackageDiff
    level: str | None
    first: bool
    reason: Said


def _next_version(current, previous, bump: str) -> _Next | ReleaseResult:
    """The next number by the versioning rules, or a result saying there is nothing to cut."""
    if previous is None:
        base = current.descriptor.get("version") or "0.1.0"
        version = base if bump == "auto" else semver.bump(base, bump)
        empty = diffmod.Snapshot("(aucune)", {}, {}, {})
        d = diffmod.diff_snapshots(empty, current)
        d.old = "(aucune)"
        reason = Said(
            f"première version du dépôt local : {version} (version de datapackage.json)",
            f"first version of the local store: {version} (datapackage.json's version)",
        )
        return _Next(version, d, None, True, reason)
    if not previous.archive.is_file() or fsutil.sha256_file(previous.archive) != previous.sha256:
        raise ReleaseError(
            f"L'archive de la version {previous.version} ({previous.archive}) est absente ou "
            "altérée (son sha256 ne correspond plus à release.json) : restaurez-la avant "
            "de publier une nouvelle version.",
            en=f"The archive of version {previous.version} ({previous.archive}) is missing or "
            "altered (its sha256 no longer matches release.json): restore it before cutting "
            "a new version.",
        )
    d = diffmod.diff_snapshots(diffmod.load_snapshot(previous.archive), current)
    d.old, d.new = previous.version, "état actuel"
    level = d.level() if bump == "auto" else bump
    if level is None:
        reason = Said(
            f"aucun changement depuis la version {previous.version} : rien à publier",
            f"no change since version {previous.version}: nothing to release",
        )
        return ReleaseResult(None, previous.version, None, reason, d)
    version = semver.bump(previous.version, level)
    forced = bump != "auto"
    reason = Said(
        f"{previous.version} → {version} : changement {semver.level_label(level)}"
        + (" (imposé par --bump)" if forced else ""),
        f"{previous.version} → {version}: {semver.level_label(level, 'en')} change"
        + (" (set by --bump)" if forced else ""),
    )
    return _Next(version, d, level, False, reason)


def _descriptor(current, root: Path, version: str, moment: datetime.datetime) -> dict[str, Any]:
    """``datapackage.json`` as the version states it: facts, number, date, coverage."""
    descriptor = package.refresh(current.descriptor, root)
    descriptor["version"] = version
    descriptor["lastModified"] = iso(moment)
    coverage = temporal_coverage(current)
    if coverage:
        descriptor["temporal"] = {**descriptor.get("temporal", {}), **coverage}
    return descriptor


def _store_meta(result: ReleaseResult, data: bytes) -> dict[str, Any]:
    descriptor = result.descriptor
    return {
        "version": result.version,
        "sha256": result.sha256,
        "bytes": len(data),
        "created": descriptor["lastModified"],
        "previous": result.previous,
        "level": result.level,
        "tables": {
            r["name"]: {"rows": r["count"], "sha256": r["hash"].removeprefix("sha256:")}
            for r in descriptor.get("resources", [])
        },
    }


def _commit(root: Path, store: ReleaseStore, result: ReleaseResult, data: bytes, day: str):
    """Store the version and update the package's files in one transaction."""
    version, descriptor = result.version, result.descriptor
    assert version is not None
    changelog_path = root / "CHANGELOG.md"
    old_log = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else None
    txn = transaction.Transaction(root)
    try:
        txn.note(store.root)  # before staging there: recovery will know where to look
        with tempfile.TemporaryDirectory(prefix="moisinno-release-") as tmp:
            archive = Path(tmp) / "archive.zip"
            archive.write_bytes(data)
            staged = store.stage(
                version, archive, _store_meta(result, data), descriptor.get("name")
            )
        txn.add_dir(staged, store.root / version)
        txn.write(store.root / "index.json", store.index_text((version,)))
        txn.write(
            root / "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        )
        txn.write(changelog_path, insert_changelog(old_log, result.changelog_entry))
        for rel, data in result.regenerated.items():
            txn.write(root / rel, data)
        cff = root / "CITATION.cff"
        if cff.is_file():  # the checkout's citation follows the version it cuts
            text = cff.read_text(encoding="utf-8")
            txn.write(cff, citation.cff_text(text, version, day))
        txn.commit()
    except BaseException:
        txn.discard()
        raise


def _regenerated(root: Path) -> dict[str, bytes]:
    """The generated files out of date with their schema (what ``moisinno docs --check``
    finds), by path in the package: the version ships them regenerated, and the release
    writes them back, as ``moisinno docs`` would (they are never edited by hand)."""
    from moisinno_data.package.documentation import stale_files

    return {path.relative_to(root).as_posix(): data for path, data in stale_files().items()}


def _release(root, bump, dry_run, store, validate, progress) -> ReleaseResult:
    say = progress or (lambda _m: None)
    recovered = transaction.recover(root)
    if recovered:
        say(RECOVERED["fr"])
    current = diffmod.load_snapshot(root)
    portal_metadata.check_folder(root, PORTAL_AGAIN)
    previous = store.latest()
    nxt = _next_version(current, previous, bump)
    if isinstance(nxt, ReleaseResult):
        nxt.dry_run, nxt.recovered = dry_run, recovered
        return nxt
    version = nxt.version
    if store.has(version):
        raise ReleaseError(
            f"La version {version} existe déjà dans le dépôt local {store.root}.",
            en=f"Version {version} already exists in the local store {store.root}.",
        )
    if validate:
        problems = _validate_tables(root)
        if problems:
            raise InvalidData(
                "Version refusée : les données ne sont pas valides.\n  "
                + "\n  ".join(fr for fr, _en in problems),
                en="Version refused: the data are not valid.\n  "
                + "\n  ".join(en for _fr, en in problems),
            )
    moment = release_time()
    descriptor = _descriptor(current, root, version, moment)
    entry = changelog_entry(version, moment.date().isoformat(), nxt.diff, nxt.level, nxt.first)
    regenerated = _regenerated(root)
    data = build_archive_bytes(root, descriptor, regenerated)
    result = ReleaseResult(
        version, previous.version if previous else None, nxt.level, nxt.reason, nxt.diff, entry,
        hashlib.sha256(data).hexdigest(),
        store.root / version / archive_name(version, descriptor.get("name")),
        dry_run, recovered, descriptor, regenerated,
    )  # fmt: skip
    if dry_run:
        return result
    _commit(root, store, result, data, moment.date().isoformat())
    say(f"Version {version} enregistrée dans {store.root}")
    return result


PORTAL_AGAIN = Said(  # found at publish time, the same mistake would cost a new version
    "Corrigez datapackage.json, puis relancez moisinno release : rien n'a été écrit.",
    "Mend datapackage.json, then run moisinno release again: nothing was written.",
)

RECOVERED = {
    "fr": "Une opération interrompue a été annulée : état précédent rétabli.",
    "en": "An interrupted operation was undone: the previous state is back.",
}

DESCRIBED = {
    "fr": {
        "dry_run": "Simulation (--dry-run) : ",
        "version": "Version : ",
        "planned": "Archive prévue : {name}, sha256 {sha256} (rien n'a été écrit)",
        "archive": "Archive : {archive}",
        "sha256": "sha256  : {sha256}",
        "updated": "datapackage.json et CHANGELOG.md mis à jour.",
        "entry": "Entrée du journal (CHANGELOG.md, en français comme les données) :",
        "regenerated": "Régénéré d'après le schéma (il était périmé, comme le dit "
        "« moisinno docs --check ») : {path}",
        "to_regenerate": "Sera régénéré d'après le schéma (périmé, comme le dit "
        "« moisinno docs --check ») : {path}",
    },
    "en": {
        "dry_run": "Dry run (--dry-run): ",
        "version": "Version: ",
        "planned": "Planned archive: {name}, sha256 {sha256} (nothing written)",
        "archive": "Archive: {archive}",
        "sha256": "sha256:  {sha256}",
        "updated": "datapackage.json and CHANGELOG.md updated.",
        "entry": "Changelog entry (CHANGELOG.md, in French as the data are):",
        "regenerated": "Regenerated from the schema (it was out of date, as "
        "“moisinno docs --check” says): {path}",
        "to_regenerate": "Will be regenerated from the schema (out of date, as "
        "“moisinno docs --check” says): {path}",
    },
}
"""The words of :func:`describe`, in each language of ``--lang``."""


def describe(result: ReleaseResult, lang: str = "fr") -> str:
    """What ``moisinno release`` prints: the number and why, the changelog entry (always
    in French, as the package's CHANGELOG.md), the archive and its hash."""
    words = in_lang(DESCRIBED, lang)
    lines = []
    if result.recovered:
        lines.append(in_lang(RECOVERED, lang))
    if result.version is None:
        reason = result.why(lang)
        lines.append(reason[:1].upper() + reason[1:] + ".")
        return "\n".join(lines)
    lines.append(words["dry_run" if result.dry_run else "version"] + result.why(lang))
    lines.append("")
    if lang == "en":
        lines.append(words["entry"])
    lines.append(result.changelog_entry.rstrip())
    lines.append("")
    said = words["to_regenerate" if result.dry_run else "regenerated"]
    lines += [said.format(path=path) for path in result.regenerated]
    name = result.archive.name if result.archive else ""
    if result.dry_run:
        lines.append(words["planned"].format(name=name, sha256=result.sha256))
    else:
        lines.append(words["archive"].format(archive=result.archive))
        lines.append(words["sha256"].format(sha256=result.sha256))
        lines.append(words["updated"])
    return "\n".join(lines)
