"""The portal interface: plan what a release needs on a portal, then carry the plan out.

Modelled on ckanapi (``RemoteCKAN`` / ``LocalCKAN``): callers hold a :class:`Portal` and
never care whether it is a local folder or data.gouv.fr. A portal only has to *describe*
what it holds (:meth:`Portal.snapshot`) and *perform* single steps (``_create_dataset``,
``_upload``…); the planning — what to create, replace, skip and why — is shared here, so
both targets behave identically and a ``--dry-run`` shows exactly what apply will do.

Convergence: each resource carries its key (``moisinno:key``) on the portal. A rerun after
an interruption finds what already landed (by key, else by the title or file name an
interrupted upload left), skips what matches by checksum, and deletes duplicates that an
interrupted retry may have created, so the final state is the same as an uninterrupted
run's.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moisinno_data.errors import MoisinnoError
from moisinno_data.package.text import Said, said_in
from moisinno_data.portals.content import KEY_EXTRA, SHA256_EXTRA, ReleaseContent, ResourceSpec

CREATE_DATASET = "create_dataset"
UPDATE_DATASET = "update_dataset"
UPLOAD = "upload"
REPLACE = "replace"
UPDATE_RESOURCE = "update_resource"
SKIP = "skip"
DELETE_DUPLICATE = "delete_duplicate"

VERBS = {
    CREATE_DATASET: "créer",
    UPDATE_DATASET: "mettre à jour",
    UPLOAD: "envoyer",
    REPLACE: "remplacer",
    UPDATE_RESOURCE: "décrire",
    SKIP: "inchangé",
    DELETE_DUPLICATE: "supprimer",
}
VERBS_EN = {
    CREATE_DATASET: "create",
    UPDATE_DATASET: "update",
    UPLOAD: "upload",
    REPLACE: "replace",
    UPDATE_RESOURCE: "describe",
    SKIP: "unchanged",
    DELETE_DUPLICATE: "delete",
}
DATASET = "jeu de données"
"""The dataset's own step's target (a resource's step names its file)."""
ABSENT = Said("absent du portail", "not on the portal")
SCHEMA_LINK = Said("lien vers le schéma", "link to the schema")


class PortalError(MoisinnoError):
    """The portal refused or could not be reached; the message says what to do."""


@dataclass
class RemoteResource:
    id: str
    title: str
    description: str
    type: str
    sha1: str | None
    url: str
    stable_url: str  # the address that never changes across replacements
    schema: dict[str, str] | None  # udata's shape: {"url"} or {"name", "version"}
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str | None:
        return self.extras.get(KEY_EXTRA)


@dataclass
class RemoteDataset:
    id: str
    slug: str
    page: str
    private: bool
    metadata: dict[str, Any]
    resources: list[RemoteResource]
    quality: dict[str, Any] | None = None


@dataclass
class Action:
    kind: str
    target: str  # DATASET or a resource's file name
    reason: str
    """Why: a :class:`~.text.Said`, French in the JSON's ``reason``, its English shown
    with ``--lang en``."""
    key: str | None = None
    resource_id: str | None = None
    changes: list[str] = field(default_factory=list)
    stable_url: str | None = None  # of the matched resource, for links to untouched ones
    extras: dict[str, Any] = field(default_factory=dict, repr=False)  # the portal's, kept

    def line(self, lang: str = "fr") -> str:
        if lang != "en":
            return f"  {VERBS[self.kind]:<14} {self.target:<34} {self.reason}"
        target = "dataset" if self.target == DATASET else self.target
        return f"  {VERBS_EN[self.kind]:<14} {target:<34} {said_in(self.reason, lang)}"


@dataclass
class Plan:
    portal: str
    version: str
    dataset_id: str | None
    private: bool
    content: ReleaseContent = field(repr=False)
    actions: list[Action]
    metadata: dict[str, Any] = field(repr=False, default_factory=dict)
    published: list[str] = field(default_factory=list)
    """Versions whose archive the portal already holds (see :attr:`newer`)."""
    portal_en: str = ""
    """:attr:`portal` in English (``Portal.label_en``)."""

    @property
    def newer(self) -> list[str]:
        """Published versions newer than this one: applying the plan would put an older
        version's tables at the stable addresses (a rollback)."""
        from moisinno_data.publishing.semver import InvalidVersion, semver_key

        def above(v: str) -> bool:
            try:
                return semver_key(v) > semver_key(self.version)
            except InvalidVersion:  # not one of ours: no order to keep
                return False

        return sorted((v for v in self.published if above(v)), key=semver_key)

    @property
    def uploads(self) -> int:
        return sum(a.kind in (UPLOAD, REPLACE) for a in self.actions)

    @property
    def changes(self) -> int:
        return sum(a.kind != SKIP for a in self.actions)

    def render(self, lang: str = "fr") -> str:
        counts = {k: sum(a.kind == k for a in self.actions) for k in VERBS}
        meta = counts[UPDATE_RESOURCE] + counts[UPDATE_DATASET] + counts[CREATE_DATASET]
        dupes, same = counts[DELETE_DUPLICATE], counts[SKIP]
        if lang == "en":
            where = f"dataset {self.dataset_id}" if self.dataset_id else "new dataset"
            head = (
                f"Plan to publish version {self.version} on {self.portal_en or self.portal} "
                f"({where}{', private' if self.private else ''}):"
            )
            summary = (
                f"In all: {self.uploads} file(s) to upload, {meta} metadata update(s), "
                f"{dupes} duplicate(s) to delete, {same} item(s) unchanged."
            )
        else:
            where = (
                f"jeu de données {self.dataset_id}" if self.dataset_id else "nouveau jeu de données"
            )
            head = (
                f"Plan de publication de la version {self.version} sur {self.portal} "
                f"({where}{', privé' if self.private else ''}) :"
            )
            summary = (
                f"Bilan : {self.uploads} fichier(s) à envoyer, {meta} mise(s) à jour de "
                f"métadonnées, {dupes} doublon(s) à supprimer, {same} élément(s) inchangé(s)."
            )
        return "\n".join([head, *(a.line(lang) for a in self.actions), summary])

    def to_dict(self) -> dict[str, Any]:
        return {
            "portal": self.portal,
            "version": self.version,
            "dataset": self.dataset_id,
            "private": self.private,
            "actions": [
                {"action": a.kind, "target": a.target, "reason": a.reason, "changes": a.changes}
                for a in self.actions
            ],
        }


@dataclass
class PublishResult:
    """What :meth:`Portal.apply` did: all of the plan, or, carried by
    :class:`PublishInterrupted`, the part done before it stopped."""

    plan: Plan
    dataset_id: str | None
    page: str | None
    stable_urls: dict[str, str]
    done: list[Action] = field(default_factory=list)
    """The steps carried out (and confirmed by the portal), in order."""
    step: Action | None = None
    """The step under way: the one that failed, when the run stopped."""

    def to_dict(self, error: str | None = None) -> dict[str, Any]:
        """The plan, what was done, and ``error`` (``None`` for a run that went through):
        the one shape ``publish --format json`` prints, whether the run ends or stops."""
        step = self.step if error is not None else None
        return {
            **self.plan.to_dict(),
            "dataset": self.dataset_id,
            "page": self.page,
            "stable_urls": self.stable_urls,
            "done": [{"action": a.kind, "target": a.target} for a in self.done],
            "error": None
            if error is None
            else {
                "message": error,
                "step": {"action": step.kind, "target": step.target} if step else None,
            },
        }


SHOWN_STEPS = 4
"""Steps named in :class:`PublishInterrupted`'s sentence (the JSON lists them all)."""


def _named(action: Action, lang: str) -> str:
    """``envoyer editions.csv``: a step in a few words."""
    if lang == "en":
        target = "dataset" if action.target == DATASET else action.target
        return f"{VERBS_EN[action.kind]} {target}"
    return f"{VERBS[action.kind]} {action.target}"


class PublishInterrupted(PortalError):
    """A publish that stopped midway (:func:`interrupted`): ``result`` holds what had been
    done on the portal, also what ``--format json`` prints. A rerun resumes where it
    stopped (see the module docstring)."""

    def __init__(self, message: str, *, en: str, result: PublishResult) -> None:
        super().__init__(message, en=en)
        self.result = result


def interrupted(cause: MoisinnoError, result: PublishResult) -> PublishInterrupted:
    """The portal's sentence, then what had been done on the portal and that nothing local
    changed: what a publisher needs to decide to rerun."""
    done, total = result.done, result.plan.changes
    named = {lang: [_named(a, lang) for a in done[:SHOWN_STEPS]] for lang in ("fr", "en")}
    if len(done) > SHOWN_STEPS:
        more = len(done) - SHOWN_STEPS
        named["fr"].append(f"et {more} autre(s)")
        named["en"].append(f"and {more} more")
    if done:
        fr = (
            f"Déjà fait sur le portail : {len(done)} étape(s) sur {total} "
            f"({', '.join(named['fr'])}) ; le dépôt local des versions est intact."
        )
        en = (
            f"Already done on the portal: {len(done)} of {total} step(s) "
            f"({', '.join(named['en'])}); the local release store is intact."
        )
    else:
        fr = "Rien n'a encore été modifié sur le portail ; le dépôt local des versions est intact."
        en = "Nothing was changed on the portal yet; the local release store is intact."
    return PublishInterrupted(f"{cause} {fr}", en=f"{cause.text('en')} {en}", result=result)


def _planned(value: str | None, what: str) -> str:
    """An id a step of the plan needs; :meth:`Portal.plan` always records it.

    Only a plan edited or built by hand can lack one: say so rather than send the portal
    a request about no resource at all.
    """
    if value is None:
        raise PortalError(
            f"Plan de publication incohérent : identifiant manquant pour {what}. "
            "Refaites le plan (moisinno publish --dry-run), puis relancez.",
            en=f"Inconsistent publication plan: no identifier for {what}. Plan again "
            "(moisinno publish --dry-run), then rerun.",
        )
    return value


def _short(sha: str | None) -> str:
    return (sha or "?")[:8]


def _resource_changes(
    spec: ResourceSpec, remote: RemoteResource, schema_url: str | None
) -> list[str]:
    """The parts of a published resource to mend, each a :class:`~.text.Said` where the
    English differs (the JSON's ``changes`` keep the French)."""
    changes: list[str] = []
    if remote.title != spec.title:
        changes.append(Said("titre", "title"))
    if (remote.description or "") != spec.description:
        changes.append("description")
    if remote.type != spec.type:
        changes.append("type")
    link = spec.schema_link(schema_url)
    if link and remote.schema != link:
        changes.append(SCHEMA_LINK)
    if any(remote.extras.get(k) != v for k, v in spec.extras.items()):
        changes.append(Said("clé d'identification", "identification key"))
    return changes


def _foreign_action(res: RemoteResource) -> Action:
    """A resource titled like one of ours but holding another file, without our key:
    someone added it on the portal. Said, and kept as it is."""
    sha = _short(res.sha1)
    return Action(
        SKIP,
        res.title,
        Said(
            f"laissé tel quel : ajouté hors de moisinno (sha1 {sha}), pas un doublon",
            f"left as it is: added outside moisinno (sha1 {sha}), not a duplicate",
        ),
        resource_id=res.id,
        stable_url=res.stable_url,
    )


def dataset_changes(wanted: dict[str, Any], current: dict[str, Any]) -> list[str]:
    names = []
    for key, value in wanted.items():
        have = current.get(key)
        if key == "extras":
            have = {k: (have or {}).get(k) for k in value}
        if key == "tags":
            have = sorted(have or [])
        if have != value:
            names.append(key)
    return names


def _dataset_action(
    wanted: dict[str, Any], remote: RemoteDataset | None, private: bool
) -> tuple[Action, bool]:
    """The dataset's own step, and whether it stays private (never made public by us).

    ``wanted`` gains the portal's other extras: udata replaces the whole extras dict on
    PUT (only its own reserved keys survive), so what a colleague or another tool put
    there is sent back with ours.
    """
    if remote is None:
        return Action(CREATE_DATASET, DATASET, ABSENT), private
    keep_private = private or remote.private
    wanted["extras"] = {**remote.metadata.get("extras", {}), **wanted["extras"]}
    changed = dataset_changes(wanted, remote.metadata)
    if keep_private != remote.private:
        changed.append("private")
    if not changed:
        same = Action(SKIP, DATASET, Said("métadonnées identiques", "same metadata"))
        return same, keep_private
    fields = ", ".join(changed)
    update = Action(
        UPDATE_DATASET,
        DATASET,
        Said(f"champs modifiés : {fields}", f"fields changed: {fields}"),
        changes=changed,
    )
    return update, keep_private


class Portal(ABC):
    """A publication target. Subclasses describe their state and perform single steps."""

    label: str = "portail"
    label_en: str = "portal"

    # --- what subclasses provide -------------------------------------------------------
    @abstractmethod
    def snapshot(self, dataset: str | None, package_name: str) -> RemoteDataset | None:
        """The dataset as the portal holds it now (``None`` if it does not exist yet)."""

    @abstractmethod
    def _create_dataset(self, metadata: dict[str, Any], private: bool) -> RemoteDataset: ...

    @abstractmethod
    def _update_dataset(self, dataset_id: str, metadata: dict[str, Any], private: bool): ...

    @abstractmethod
    def _upload(self, dataset_id: str, spec: ResourceSpec) -> RemoteResource:
        """Add a new resource holding ``spec``'s file (must not duplicate on retry)."""

    @abstractmethod
    def _replace(self, dataset_id: str, resource_id: str, spec: ResourceSpec) -> RemoteResource:
        """Replace a resource's file in place: same id, same stable address."""

    @abstractmethod
    def _describe(
        self,
        dataset_id: str,
        resource_id: str,
        spec: ResourceSpec,
        schema: dict[str, str] | None,
        extras: dict[str, Any],
    ) -> RemoteResource:
        """Set title, description, type, schema link (``ResourceSpec.schema_link``) and
        extras (``extras`` = the portal's current ones, to be kept beside ours)."""

    @abstractmethod
    def _delete(self, dataset_id: str, resource_id: str) -> None: ...

    @abstractmethod
    def _download(self, resource: RemoteResource) -> bytes: ...

    # --- shared behaviour ---------------------------------------------------------------
    def plan(
        self,
        content: ReleaseContent,
        dataset: str | None = None,
        private: bool = False,
    ) -> Plan:
        """Compare the release with the portal; read-only."""
        remote = self.snapshot(dataset, content.package_name)
        wanted = content.dataset.metadata()
        first, keep_private = _dataset_action(wanted, remote, private)
        actions = [first]
        matches, duplicates, foreign = self._match(content, remote)
        for spec in content.resources:
            schema_url = None
            if spec.schema_of and matches.get(spec.schema_of):
                schema_url = matches[spec.schema_of].stable_url
            actions.append(self._resource_action(spec, matches.get(spec.key), schema_url))
        actions += [self._duplicate_action(spec, dup) for spec, dup in duplicates]
        actions += [_foreign_action(res) for _, res in foreign]
        return Plan(
            portal=self.label,
            portal_en=self.label_en,
            version=content.version,
            dataset_id=remote.id if remote else None,
            private=keep_private,
            content=content,
            actions=actions,
            metadata=wanted,
            published=[
                key[len("archive:") :]
                for key in (r.key or "" for r in (remote.resources if remote else []))
                if key.startswith("archive:")
            ],
        )

    def _resource_action(
        self, spec: ResourceSpec, found: RemoteResource | None, schema_url: str | None
    ) -> Action:
        """What one wanted file needs: upload, replace, describe, or nothing."""
        if found is None:
            new = Said("nouvelle archive de version", "new version archive")
            return Action(UPLOAD, spec.filename, new if spec.immutable else ABSENT, key=spec.key)
        if found.sha1 != spec.sha1:
            if spec.immutable:
                raise PortalError(
                    f"L'archive {spec.filename} publiée sur {self.label} diffère de celle du "
                    f"dépôt local (sha1 {_short(found.sha1)} au lieu de {_short(spec.sha1)}) : "
                    "une version publiée ne change jamais. Publiez un nouveau numéro de "
                    "version.",
                    en=f"The archive {spec.filename} published on {self.label_en} differs from "
                    f"the local store's (sha1 {_short(found.sha1)} instead of "
                    f"{_short(spec.sha1)}): a published version never changes. Publish a new "
                    "version number.",
                )
            shas = f"sha1 {_short(found.sha1)} → {_short(spec.sha1)}"
            return Action(
                REPLACE,
                spec.filename,
                Said(f"contenu modifié ({shas})", f"content changed ({shas})"),
                key=spec.key,
                resource_id=found.id,
                extras=found.extras,
            )
        changes = _resource_changes(spec, found, schema_url)
        if spec.schema_of and spec.schema_link(schema_url) is None:
            changes.append(SCHEMA_LINK)  # its schema's copy is not on the portal yet
        if not changes:
            return Action(
                SKIP,
                spec.filename,
                Said(
                    f"inchangé (sha1 {_short(spec.sha1)} identique)",
                    f"unchanged (same sha1 {_short(spec.sha1)})",
                ),
                key=spec.key,
                resource_id=found.id,
                stable_url=found.stable_url,
            )
        return Action(
            UPDATE_RESOURCE,
            spec.filename,
            Said(
                "fichier identique ; à corriger : " + ", ".join(changes),
                "same file; to mend: " + ", ".join(said_in(c, "en") for c in changes),
            ),
            key=spec.key,
            resource_id=found.id,
            changes=changes,
            stable_url=found.stable_url,
            extras=found.extras,
        )

    def _duplicate_action(self, spec: ResourceSpec, dup: RemoteResource) -> Action:
        if spec.immutable and dup.sha1 != spec.sha1:
            raise PortalError(
                f"Deux ressources {spec.filename} de contenus différents sont publiées sur "
                f"{self.label} (dont {dup.id}) : une archive de version ne change jamais. "
                "Retirez à la main celle qui n'est pas la bonne, puis relancez.",
                en=f"Two resources {spec.filename} with different contents are published on "
                f"{self.label_en} ({dup.id} among them): a version archive never changes. "
                "Remove the wrong one by hand, then rerun.",
            )
        return Action(
            DELETE_DUPLICATE,
            dup.title,
            Said(
                "doublon laissé par une publication interrompue",
                "duplicate left by an interrupted publication",
            ),
            key=dup.key,
            resource_id=dup.id,
        )

    @staticmethod
    def _match(content: ReleaseContent, remote: RemoteDataset | None):
        """Pair each wanted resource with the portal's; extra copies of its file are
        duplicates, and a resource of another content that only bears its name (added by
        hand, without our key) is someone else's, left alone."""
        matches: dict[str, RemoteResource] = {}
        duplicates: list[tuple[ResourceSpec, RemoteResource]] = []
        foreign: list[tuple[ResourceSpec, RemoteResource]] = []
        if remote is None:
            return matches, duplicates, foreign
        for spec in content.resources:
            keyed = [r for r in remote.resources if r.key == spec.key]
            loose = [
                r
                for r in remote.resources
                if r.key is None and r.title in (spec.title, spec.filename)
            ]
            candidates = keyed + loose
            if not candidates:
                continue
            # Prefer a keyed resource, then one already holding the wanted file.
            candidates.sort(key=lambda r: (r.key != spec.key, r.sha1 != spec.sha1))
            found = matches[spec.key] = candidates[0]
            for extra in candidates[1:]:
                # A copy an interrupted run left holds the file it was sending (this one,
                # or the one adopted); a file of another content titled like ours was put
                # there by someone else: never deleted.
                ours = extra.key == spec.key or extra.sha1 in (spec.sha1, found.sha1)
                (duplicates if ours else foreign).append((spec, extra))
        return matches, duplicates, foreign

    def apply(self, plan: Plan, progress: Callable[[Action], None] | None = None) -> PublishResult:
        """Carry out ``plan``. Safe to rerun after any interruption (see module docstring).

        ``progress`` is called after each step that changed something, so a long publish
        shows where it is. If the portal fails midway, :class:`PublishInterrupted` says
        what was done before (and carries it, for ``--format json``).
        """
        result = PublishResult(plan, plan.dataset_id, None, {})

        def done(action: Action) -> None:
            result.done.append(action)
            if progress is not None:
                progress(action)

        try:
            return self._carry_out(plan, result, done)
        except PortalError as exc:
            raise interrupted(exc, result) from None

    def _carry_out(
        self, plan: Plan, result: PublishResult, done: Callable[[Action], None]
    ) -> PublishResult:
        """:meth:`apply`'s steps, each recorded in ``result`` as it starts and ends."""
        content = plan.content
        dataset_id = plan.dataset_id
        first = result.step = plan.actions[0]
        if first.kind == CREATE_DATASET:
            created = self._create_dataset(plan.metadata, plan.private)
            dataset_id = result.dataset_id = created.id
            done(first)
        elif first.kind == UPDATE_DATASET:
            self._update_dataset(_planned(dataset_id, DATASET), plan.metadata, plan.private)
            done(first)
        dataset_id = _planned(dataset_id, DATASET)
        stable = result.stable_urls
        by_key = {a.key: a for a in plan.actions if a.key and a.kind != DELETE_DUPLICATE}
        # Schemas first: tables link to their schema's stable address.
        order = sorted(content.resources, key=lambda s: not s.key.startswith("schema:"))
        for spec in order:
            action = result.step = by_key[spec.key]
            link = spec.schema_link(stable.get(spec.schema_of) if spec.schema_of else None)
            if action.kind == UPLOAD:
                res = self._upload(dataset_id, spec)
                res = self._describe(dataset_id, res.id, spec, link, res.extras)
            elif action.kind == REPLACE:
                res = self._replace(dataset_id, _planned(action.resource_id, spec.filename), spec)
                res = self._describe(dataset_id, res.id, spec, link, res.extras)
            elif action.kind == UPDATE_RESOURCE:
                resource_id = _planned(action.resource_id, spec.filename)
                res = self._describe(dataset_id, resource_id, spec, link, action.extras)
            else:
                res = None
            if res is not None:
                done(action)
            stable[spec.key] = res.stable_url if res else (action.stable_url or "")
        for action in plan.actions:
            if action.kind == DELETE_DUPLICATE:
                result.step = action
                self._delete(dataset_id, _planned(action.resource_id, action.target))
                done(action)
        result.step = None
        result.page = self._after_apply(dataset_id, plan)
        return result

    def _after_apply(self, dataset_id: str, plan: Plan) -> str:
        """Hook: e.g. re-assert privacy. Returns the dataset's page."""
        return ""

    def publish(
        self, content: ReleaseContent, dataset: str | None = None, private: bool = False
    ) -> PublishResult:
        """Plan and apply in one call (what the CLI does without ``--dry-run``)."""
        return self.apply(self.plan(content, dataset, private))

    def fetch_archive(
        self, version: str, dataset: str | None = None, package_name: str = "moisinno-data"
    ) -> tuple[bytes, str]:
        """The archive of ``version`` as published, and its expected SHA-256 (verified).

        For researchers' loaders: the archive resource is found by its key
        (``archive:X.Y.Z``), its expected SHA-256 is the one recorded beside it at publish
        time, and a mismatch raises rather than returning corrupted data.
        """
        remote = self.snapshot(dataset, package_name)
        if remote is None:
            raise PortalError(
                f"Aucun jeu de données {dataset or package_name} sur {self.label}.",
                en=f"No dataset {dataset or package_name} on {self.label_en}.",
            )
        for res in remote.resources:
            if res.key == f"archive:{version}":
                data = self._download(res)
                expected = res.extras.get(SHA256_EXTRA) or ""
                actual = hashlib.sha256(data).hexdigest()
                if expected and actual != expected:
                    raise PortalError(
                        f"L'archive de la version {version} téléchargée depuis {self.label} est "
                        f"corrompue (sha256 {actual[:12]}… au lieu de {expected[:12]}…).",
                        en=f"The archive of version {version} downloaded from {self.label_en} "
                        f"is corrupted (sha256 {actual[:12]}… instead of {expected[:12]}…).",
                    )
                return data, expected or actual
        keys = [r.key or "" for r in remote.resources]
        known = sorted(key[8:] for key in keys if key.startswith("archive:"))
        raise PortalError(
            f"La version {version} n'est pas publiée sur {self.label} "
            f"(versions publiées : {', '.join(known) or 'aucune'}).",
            en=f"Version {version} is not published on {self.label_en} "
            f"(published versions: {', '.join(known) or 'none'}).",
        )
