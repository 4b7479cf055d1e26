"""``moisinno demo``: the whole chain, end to end, on a throwaway copy of the data package.

What a publisher does in a season, in a few seconds and offline: validate the published
tables, cut a first version, consolidate contributions (the fictitious files of
``examples/contributions/``: a Windows-1252 ``;`` file with French dates, an Excel file,
a file with an invalid row and a duplicate key), replay them to show that nothing changes
twice, cut the next version (semver, changelog, reproducible archive), apply a correction
and cut a patch version, show the cell-level diff, and publish to the local folder portal.

Everything happens in a work folder (``./demo/`` by default): the real ``datasets/`` are
never touched, and the made-up rows never leave the copy. The folder carries a marker file;
a second run replaces a folder that has it and refuses any other non-empty folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from moisinno_data.errors import MoisinnoError
from moisinno_data.package import paths
from moisinno_data.package.text import in_lang

if TYPE_CHECKING:
    from moisinno_data.publishing.release import ReleaseResult

MARKER = ".moisinno-demo"
COPIED = ("datapackage.json", "schemas", "datasets", "provenance")
FIRST_VERSION = "0.1.0"
"""The copy has no release history (no store, no changelog): like any new package, its
versions count from here, so the demo tells the same story whatever the data's version."""
FIRST_BATCH = (
    "01-prefecture-fictive-evenements.csv",
    "02-laboratoires-fictifs.xlsx",
    "03-ministere-fictif-evenements-avec-erreurs.csv",
)
SECOND_BATCH = ("04-prefecture-fictive-mise-a-jour.csv",)


@dataclass
class DemoResult:
    workdir: Path
    versions: list[str] = field(default_factory=list)
    consolidations: list[dict[str, int]] = field(default_factory=list)
    published: str | None = None
    seconds: float = 0.0


def examples_dir() -> Path:
    """The fictitious contributions: in the checkout, or bundled with an installed wheel."""
    for candidate in (
        paths.PACKAGE_DIR.parent / "examples" / "contributions",
        paths.PACKAGE_DIR / "_bundle" / "examples" / "contributions",
    ):
        if (candidate / FIRST_BATCH[0]).is_file():
            return candidate
    raise MoisinnoError(
        "Contributions d'exemple introuvables (examples/contributions/) : lancez la démo "
        "depuis une copie du dépôt moisinno-data.",
        en="Example contributions not found (examples/contributions/): run the demo from a "
        "copy of the moisinno-data repository.",
    )


@contextlib.contextmanager
def _pointing_at(root: Path) -> Iterator[None]:
    """Work on the copy for a while: its own data package, and its own ``releases/``."""
    saved = os.environ.pop("MOISINNO_STORE", None)
    try:
        with paths.using(root):
            yield
    finally:
        if saved is not None:
            os.environ["MOISINNO_STORE"] = saved


WORDS = {
    "fr": {
        "copy": "Copie du paquet de données dans {workdir}",
        "replaced": " (la démo précédente est remplacée par une copie neuve)",
        "diff": "Différences entre {a} et {b}",
        "publish": "Publication dans le portail local (dossier)",
        "not_published": "  (publication non demandée)",
        "end": "\nDémo terminée en {s:.1f} s. Tout est dans {w} : datasets/, CHANGELOG.md, "
        "provenance/ (publié), prive/ (journal et rejets, non publiés), releases/ (versions), "
        "portail/. Dans ce dossier, chaque commande travaille sur la copie : "
        "cd {w} && moisinno diff {a} {b}",
        "validate": "Validation des tables publiées (copie de datasets/)",
        "table": "  {path} : {rows} ligne(s), {state} ({e} erreur(s), {w} avertissement(s))",
        "valid": "valide",
        "invalid": "INVALIDE",
        "first": "Première version dans le dépôt local de la copie",
        "batch": "Consolidation de contributions fictives (CSV Windows-1252, Excel, erreurs)",
        "again": "  Le même lot rejoué ne change rien : ",
        "second": "Nouvelle version : numéro déduit des différences, journal, archive",
        "third": "Correction d'une ligne par son contributeur, puis version corrective",
        "none": "aucune",
        "published": "  Version {v} publiée : {page}",
    },
    "en": {
        "copy": "Copy of the data package in {workdir}",
        "replaced": " (the previous demo is replaced by a fresh copy)",
        "diff": "Differences between {a} and {b}",
        "publish": "Publication to the local portal (a folder)",
        "not_published": "  (publication not asked for)",
        "end": "\nDemo over in {s:.1f} s. Everything is in {w}: datasets/, CHANGELOG.md, "
        "provenance/ (published), prive/ (log and rejections, not published), releases/ "
        "(versions), portail/. In this folder, every command works on the copy: "
        "cd {w} && moisinno diff {a} {b}",
        "validate": "Validation of the published tables (copy of datasets/)",
        "table": "  {path}: {rows} row(s), {state} ({e} error(s), {w} warning(s))",
        "valid": "valid",
        "invalid": "INVALID",
        "first": "First version in the copy's local store",
        "batch": "Consolidation of made-up contributions (Windows-1252 CSV, Excel, errors)",
        "again": "  The same batch replayed changes nothing: ",
        "second": "New version: number from the differences, changelog, archive",
        "third": "A contributor corrects a row, then a patch version",
        "none": "none",
        "published": "  Version {v} published: {page}",
    },
}
"""What the demo says, in each language of ``--lang``."""
CONTRIBUTORS = "Contributeurs fictifs de la démo"
UPDATER = "Préfecture fictive de l'Exemple"
"""Who sends the demo's contributions: data, kept as the private log records them, in
every language."""


def prepare_workdir(workdir: Path, source: Path, lang: str = "fr") -> str:
    """A fresh copy of the data package in ``workdir``; returns what was done."""
    words = in_lang(WORDS, lang)
    note = words["copy"].format(workdir=workdir)
    if workdir.exists():
        if (workdir / MARKER).is_file():
            shutil.rmtree(workdir)
            note += words["replaced"]
        elif any(workdir.iterdir()):
            raise MoisinnoError(
                f"{workdir} existe et n'est pas un dossier de démo (fichier {MARKER} absent) : "
                "il n'est pas touché. Choisissez un autre dossier avec --workdir.",
                en=f"{workdir} exists and is not a demo folder (no {MARKER} file): it is left "
                "alone. Choose another folder with --workdir.",
            )
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / MARKER).write_text(
        "Dossier créé par « moisinno demo » : il est remplacé à chaque démo.\n", encoding="utf-8"
    )
    for name in COPIED:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, workdir / name, ignore=shutil.ignore_patterns(".*"))
        elif src.is_file():
            shutil.copy2(src, workdir / name)
    _restart_numbering(workdir)
    return note


def _restart_numbering(root: Path) -> None:
    from moisinno_data.package import datapackage

    descriptor = datapackage.read(root)
    descriptor["version"] = FIRST_VERSION
    datapackage.write(descriptor, root)


def run_demo(
    workdir: str | Path = "demo",
    *,
    say: Callable[[str], None] = print,
    publish: bool = True,
    lang: str = "fr",
) -> DemoResult:
    """Run the demo in ``workdir`` (see the module doc); ``say`` receives each line of
    output, in ``lang``."""
    started = time.monotonic()
    workdir = Path(workdir).resolve()
    source = paths.bundled_root()
    if workdir == source or source.is_relative_to(workdir):
        raise MoisinnoError(
            f"Le dossier de démo {workdir} contiendrait le dépôt lui-même.",
            en=f"The demo folder {workdir} would hold the repository itself.",
        )
    examples = examples_dir()
    result = DemoResult(workdir)
    words = in_lang(WORDS, lang)
    say(prepare_workdir(workdir, source, lang))
    with _pointing_at(workdir):
        _validate_tables(workdir, say, lang)
        second, third = _versions(examples, result, say, lang)
        _step(say, 6, words["diff"].format(a=second, b=third))
        from moisinno_data.publishing.diff import diff, render_text

        say(_indent(render_text(diff(second, third), max_rows=20, lang=lang)))
        _step(say, 7, words["publish"])
        if publish:
            result.published = _publish(workdir, third, say, lang)
        else:
            say(words["not_published"])
    result.seconds = time.monotonic() - started
    say(words["end"].format(s=result.seconds, w=workdir, a=second, b=third))
    return result


def _step(say: Callable[[str], None], n: int, title: str) -> None:
    say(f"\n[{n}/7] {title}")


def _validate_tables(workdir: Path, say: Callable[[str], None], lang: str) -> None:
    from moisinno_data.package import datapackage as package
    from moisinno_data.validation import validate

    words = in_lang(WORDS, lang)
    _step(say, 1, words["validate"])
    for resource in package.read(workdir)["resources"]:
        report = validate(workdir / resource["path"], schema=resource["name"])
        say(
            words["table"].format(
                path=resource["path"],
                rows=report.rows,
                state=words["valid" if report.valid else "invalid"],
                e=len(report.errors),
                w=len(report.warnings),
            )
        )


def _versions(
    examples: Path, result: DemoResult, say: Callable[[str], None], lang: str
) -> tuple[str, str]:
    """Steps 2 to 5: first version, contributions, minor version, a correction, patch version."""
    from moisinno_data.publishing.consolidate import consolidate
    from moisinno_data.publishing.consolidate import describe as describe_consolidation
    from moisinno_data.publishing.release import release

    words = in_lang(WORDS, lang)
    _step(say, 2, words["first"])
    first = release(dry_run=False)
    result.versions.append(first.version or "")
    say(f"  {first.why(lang)}\n  archive {_archive_name(first, lang)}, sha256 {first.sha256}")

    _step(say, 3, words["batch"])
    files = [examples / name for name in FIRST_BATCH]
    batch = consolidate(files, contributor=CONTRIBUTORS)
    result.consolidations.append({"rows_in": batch.rows_in, **batch.totals})
    say(_indent(describe_consolidation(batch, lang=lang)))
    again = consolidate(files, contributor=CONTRIBUTORS)
    result.consolidations.append({"rows_in": again.rows_in, **again.totals})
    say(words["again"] + again.conservation_line(lang))

    _step(say, 4, words["second"])
    second = release()
    result.versions.append(second.version or "")
    say(_indent(second.why(lang)))
    say(_indent(second.changelog_entry.rstrip()))
    say(f"  archive {second.archive}\n  sha256 {second.sha256}")

    _step(say, 5, words["third"])
    update = consolidate([examples / name for name in SECOND_BATCH], contributor=UPDATER)
    result.consolidations.append({"rows_in": update.rows_in, **update.totals})
    say(_indent(describe_consolidation(update, lang=lang)))
    third = release()
    result.versions.append(third.version or "")
    say(_indent(third.why(lang)))
    say(f"  archive {_archive_name(third, lang)}, sha256 {third.sha256}")
    return second.version or "", third.version or ""


def _archive_name(result: ReleaseResult, lang: str) -> str:
    """The new archive's file name; a release that found nothing to change made none."""
    return result.archive.name if result.archive else in_lang(WORDS, lang)["none"]


def _publish(workdir: Path, version: str, say: Callable[[str], None], lang: str) -> str:
    from moisinno_data.portals import open_portal
    from moisinno_data.portals.content import ReleaseContent
    from moisinno_data.publishing.store import ReleaseStore

    content = ReleaseContent.from_release(ReleaseStore(workdir / "releases").get(version))
    portal = open_portal("local", str(workdir / "portail"))
    plan = portal.plan(content, None)
    say(_indent(plan.render(lang)))
    published = portal.apply(plan)
    say(in_lang(WORDS, lang)["published"].format(v=version, page=published.page))
    return published.page


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else line for line in text.splitlines())
