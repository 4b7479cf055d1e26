"""The embedded default portal: a local folder with data.gouv.fr's semantics.

It lets a publisher rehearse a publication (and the demo run one) with no account and no
network, and it is what the tests of the shared planning logic run against. Layout::

    <folder>/<dataset>/dataset.json            metadata and the resource list
    <folder>/<dataset>/fichiers/<file>         stable resources, replaced in place
    <folder>/<dataset>/archives/<name>-X.Y.Z.zip  one immutable archive per version

Every write is atomic (file first, then ``dataset.json``), so an interrupted publish
leaves at worst a file that the rerun overwrites with the same bytes.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.package import paths
from moisinno_data.portals.base import Portal, PortalError, RemoteDataset, RemoteResource
from moisinno_data.portals.content import ResourceSpec


def _former_link(entry: dict[str, Any]) -> dict[str, str] | None:
    """The schema link as folders published before ``schema`` was written hold it
    (``schema_url``): read as the same link, so it is not rewritten for nothing."""
    return {"url": entry["schema_url"]} if entry.get("schema_url") else None


def default_folder() -> Path:
    """``portail/`` beside the data package (or the release store: see paths.portal_dir)."""
    return paths.portal_dir()


class LocalPortal(Portal):
    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.label = f"dossier local {self.folder}"
        self.label_en = f"local folder {self.folder}"

    def __repr__(self) -> str:
        return f"LocalPortal({str(self.folder)!r})"

    # --- state ---------------------------------------------------------------------------
    def _dir(self, dataset_id: str) -> Path:
        if not dataset_id or "/" in dataset_id or dataset_id.startswith("."):
            raise PortalError(
                f"Nom de jeu de données invalide : « {dataset_id} ».",
                en=f"Invalid dataset name: “{dataset_id}”.",
            )
        return self.folder / dataset_id

    def _read(self, dataset_id: str) -> dict[str, Any] | None:
        path = self._dir(dataset_id) / "dataset.json"
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise PortalError(
                f"{path} est illisible ({exc}) : réparez-le ou supprimez-le.",
                en=f"{path} cannot be read ({exc}): mend it or delete it.",
            ) from None

    def _write(self, state: dict[str, Any]) -> None:
        fsutil.write_text(
            self._dir(state["id"]) / "dataset.json",
            json.dumps(state, ensure_ascii=False, indent=2) + "\n",
        )

    @staticmethod
    def _remote_resource(entry: dict[str, Any]) -> RemoteResource:
        return RemoteResource(
            id=entry["id"],
            title=entry["title"],
            description=entry.get("description") or "",
            type=entry.get("type", "other"),
            sha1=entry.get("sha1"),
            url=entry["file"],
            stable_url=entry["file"],
            schema=entry.get("schema") or _former_link(entry),
            extras=dict(entry.get("extras") or {}),
        )

    def snapshot(self, dataset: str | None, package_name: str) -> RemoteDataset | None:
        self._target = dataset or package_name  # the folder a creation will use
        state = self._read(self._target)
        if state is None:
            return None
        return RemoteDataset(
            id=state["id"],
            slug=state["id"],
            page=str(self._dir(state["id"])),
            private=bool(state.get("private")),
            metadata=state.get("metadata", {}),
            resources=[self._remote_resource(e) for e in state.get("resources", [])],
        )

    # --- steps ---------------------------------------------------------------------------
    def _create_dataset(self, metadata: dict[str, Any], private: bool) -> RemoteDataset:
        dataset_id = getattr(self, "_target", None) or metadata["extras"]["moisinno:package"]
        state = self._read(dataset_id) or {"id": dataset_id, "resources": []}
        state.update(metadata=metadata, private=private)
        self._write(state)
        return self.snapshot(dataset_id, dataset_id)  # type: ignore[return-value]

    def _update_dataset(self, dataset_id: str, metadata: dict[str, Any], private: bool) -> None:
        state = self._read(dataset_id)
        assert state is not None
        state.update(metadata=metadata, private=private)
        self._write(state)

    def _store_file(self, dataset_id: str, spec: ResourceSpec) -> str:
        relative = f"{'archives' if spec.immutable else 'fichiers'}/{spec.filename}"
        fsutil.write_bytes(self._dir(dataset_id) / relative, spec.data)
        return relative

    def _entry(self, spec: ResourceSpec, relative: str, resource_id: str) -> dict[str, Any]:
        return {
            "id": resource_id,
            "title": spec.filename,  # like udata: a fresh upload is titled by its file name
            "type": spec.type,
            "format": spec.format,
            "file": relative,
            "sha1": spec.sha1,
            "sha256": spec.sha256,
            "bytes": len(spec.data),
            "extras": {},
        }

    def _upload(self, dataset_id: str, spec: ResourceSpec) -> RemoteResource:
        relative = self._store_file(dataset_id, spec)
        state = self._read(dataset_id)
        assert state is not None
        entry = self._entry(spec, relative, str(uuid.uuid4()))
        state["resources"].insert(0, entry)
        self._write(state)
        return self._remote_resource(entry)

    def _find(self, state: dict[str, Any], resource_id: str) -> dict[str, Any]:
        for entry in state["resources"]:
            if entry["id"] == resource_id:
                return entry
        raise PortalError(
            f"La ressource {resource_id} n'existe plus dans {self.folder}.",
            en=f"Resource {resource_id} no longer exists in {self.folder}.",
        )

    def _replace(self, dataset_id: str, resource_id: str, spec: ResourceSpec) -> RemoteResource:
        state = self._read(dataset_id)
        assert state is not None
        entry = self._find(state, resource_id)
        if spec.immutable:
            raise PortalError(
                f"{spec.filename} est une archive de version : jamais remplacée.",
                en=f"{spec.filename} is a version archive: never replaced.",
            )
        fsutil.write_bytes(self._dir(dataset_id) / entry["file"], spec.data)
        entry.update(sha1=spec.sha1, sha256=spec.sha256, bytes=len(spec.data))
        self._write(state)
        return self._remote_resource(entry)

    def _describe(
        self,
        dataset_id: str,
        resource_id: str,
        spec: ResourceSpec,
        schema: dict[str, str] | None,
        extras: dict[str, Any],
    ) -> RemoteResource:
        state = self._read(dataset_id)
        assert state is not None
        entry = self._find(state, resource_id)
        entry.update(title=spec.title, description=spec.description, type=spec.type)
        entry["extras"] = {**entry.get("extras", {}), **spec.extras}
        if schema:
            entry.pop("schema_url", None)
            entry["schema"] = schema
        self._write(state)
        return self._remote_resource(entry)

    def _delete(self, dataset_id: str, resource_id: str) -> None:
        state = self._read(dataset_id)
        assert state is not None
        state["resources"] = [e for e in state["resources"] if e["id"] != resource_id]
        self._write(state)

    def _download(self, resource: RemoteResource) -> bytes:
        return (self._dir(self._target) / resource.url).read_bytes()

    def _after_apply(self, dataset_id: str, plan) -> str:
        return str(self._dir(dataset_id))
