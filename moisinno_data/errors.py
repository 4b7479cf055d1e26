"""Exceptions that carry a message for the user rather than a traceback.

The CLI prints ``str(exc)`` of a :class:`MoisinnoError` on one line and exits with its
``exit_code``; anything else is a bug in this project and is reported as such.
"""

from __future__ import annotations


class MoisinnoError(Exception):
    """A failure the user can act on. ``exit_code`` 2 means "could not run"."""

    exit_code = 2


class InputError(MoisinnoError):
    """A file given by the user could not be read (missing, not a table, bad encoding…)."""


class ConfigError(MoisinnoError):
    """A bad option, schema or setting."""
