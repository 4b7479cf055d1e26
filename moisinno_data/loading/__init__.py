"""Researcher access: find a published version (store, cache, mirror, udata), check its
checksum, and hand back typed pandas DataFrames; ``overview`` summarises one in figures.

The names are re-exported lazily so that ``moisinno versions`` does not pay for pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "load": "frames",
    "load_package": "frames",
    "LoadedPackage": "frames",
    "TableNotFoundError": "frames",
    "explode": "frames",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(import_module(f"{__name__}.{module}"), name)
