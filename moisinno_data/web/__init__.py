"""The steward's validation page (``moisinno serve``): see :mod:`.app` and :mod:`.server`."""

from __future__ import annotations

from moisinno_data.web.app import create_app
from moisinno_data.web.settings import Limits, Settings

__all__ = ["Limits", "Settings", "create_app"]
