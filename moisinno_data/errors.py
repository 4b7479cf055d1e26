"""Exceptions that carry a message for the user rather than a traceback.

The CLI prints :meth:`MoisinnoError.text` of a :class:`MoisinnoError` on one line, in the
language of ``--lang``, and exits with its ``exit_code``; anything else is a bug in this
project and is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass


class MoisinnoError(Exception):
    """A failure the user can act on. ``exit_code`` 2 means "could not run".

    ``str(exc)`` is the French sentence; ``en``, when given, is the same sentence in
    English, shown with ``--lang en`` (the French one otherwise: better than nothing).
    """

    exit_code = 2

    def __init__(self, message: str = "", *, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en

    def text(self, lang: str = "fr") -> str:
        return self.en if lang == "en" and self.en else str(self)


class InputError(MoisinnoError):
    """A file given by the user could not be read (missing, not a table, bad encoding…)."""


class ConfigError(MoisinnoError):
    """A bad option, schema or setting."""


@dataclass(frozen=True)
class Asker:
    """Who asks, in the words a sentence uses to say how to choose what a file does not
    say (its table, its sheet): a command line has options, the web page has fields. One
    sentence is made once, with these words, by whoever detects the problem — never
    rewritten afterwards. Each entry is (French, English)."""

    schema: tuple[str, str] = (
        "précisez le schéma avec --schema TABLE|CHEMIN",
        "name the schema with --schema TABLE|PATH",
    )
    sheet: tuple[str, str] = ("choisissez-la avec --sheet", "choose it with --sheet")

    def says(self, what: str, lang: str = "fr") -> str:
        """``what`` (``"schema"`` or ``"sheet"``) in ``lang``."""
        fr, en = getattr(self, what)
        return en if lang == "en" else fr


COMMAND_LINE = Asker()
"""The ``moisinno`` command and the Python API: options."""


def panicked(exc: BaseException) -> bool:
    """``exc`` is a Rust library's panic (calamine, polars): pyo3 raises it as
    ``pyo3_runtime.PanicException``, which derives from BaseException, so that an
    ``except Exception`` lets it through — a truncated .xls made calamine panic and the
    command end on a traceback. The class cannot be imported: it is known by its name."""
    return type(exc).__name__ == "PanicException" and not isinstance(exc, Exception)
