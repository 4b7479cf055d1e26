"""The steward's validation page (``moisinno serve``): see :func:`create_app`."""

from __future__ import annotations

from moisinno_data.web.app import create_app

__all__ = ["create_app"]
