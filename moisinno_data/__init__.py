"""moisinno-data: the open dataset of the French « Mois de l'innovation publique » and its toolkit.

The public Python API is re-exported here lazily so that ``import moisinno_data`` stays
cheap (the command line and the web page import only what they use):

- :func:`validate` — validate a contributed file, returns a :class:`~moisinno_data.validation.report.Report`;
- :func:`load`, :func:`load_package` — typed pandas DataFrames for researchers;
- :func:`list_schemas`, :func:`load_schema` — the bundled Table Schemas;
- :data:`paths` — where the bundled data package lives.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from moisinno_data.__about__ import __version__

_LAZY = {
    "validate": ("moisinno_data.validation", "validate"),
    "Report": ("moisinno_data.validation.report", "Report"),
    "Finding": ("moisinno_data.validation.report", "Finding"),
    # Not a module named "load": importing it would rebind moisinno_data.load to the module.
    "load": ("moisinno_data.loading.frames", "load"),
    "load_package": ("moisinno_data.loading.frames", "load_package"),
    "list_schemas": ("moisinno_data.package.schemas", "list_schemas"),
    "load_schema": ("moisinno_data.package.schemas", "load_schema"),
    "paths": ("moisinno_data.package.paths", None),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'moisinno_data' has no attribute {name!r}") from None
    module = import_module(module_name)
    return module if attr is None else getattr(module, attr)
