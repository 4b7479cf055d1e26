"""Publication targets behind one interface (see :mod:`.base`).

``open_portal("local")`` is the embedded default (a folder, no account needed);
``open_portal("datagouv", url=..., api_key=...)`` talks to data.gouv.fr or any udata.
Submodules are imported on demand so ``import moisinno_data`` stays light.
"""

from __future__ import annotations

from typing import Any


def open_portal(target: str = "local", url: str | None = None, **options: Any):
    """A :class:`~.base.Portal` for ``target`` (``local`` or ``datagouv``)."""
    if target == "local":
        from moisinno_data.portals.local import LocalPortal

        return LocalPortal(url)
    if target in ("datagouv", "udata"):
        from moisinno_data.portals.udata import DEFAULT_URL, UdataPortal

        return UdataPortal(url or DEFAULT_URL, **options)
    from moisinno_data.errors import ConfigError

    raise ConfigError(
        f"Cible de publication inconnue : « {target} » (attendu : local ou datagouv).",
        en=f"Unknown publication target: “{target}” (expected: local or datagouv).",
    )
