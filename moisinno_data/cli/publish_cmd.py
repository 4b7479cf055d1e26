"""``moisinno publish``: push a release from the local store to a portal, plan first.

The API key comes from ``DATAGOUV_API_KEY`` or ``--api-key-file``, never from an argument
(arguments end up in shell history and process lists).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from moisinno_data.cli import options
from moisinno_data.package.text import in_lang

KEY_ENV = "DATAGOUV_API_KEY"


class _KeyInArgument(argparse.Action):
    """``--api-key VALUE``: refused without repeating VALUE (argparse would print it back
    as an unrecognised argument)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        parser.error(
            options.spoken(
                f"{option_string} n'existe pas : une clé d'API ne se passe jamais en argument "
                f"(elle resterait dans l'historique du shell) ; utilisez la variable {KEY_ENV} "
                "ou --api-key-file FICHIER.",
                f"{option_string} does not exist: an API key is never given as an argument "
                f"(it would stay in the shell's history); use the variable {KEY_ENV} or "
                "--api-key-file FILE.",
            )
        )


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        choices=("local", "datagouv"),
        default="local",
        help="portail : dossier local (défaut) ou data.gouv.fr / tout serveur udata",
    )
    parser.add_argument(
        "--url",
        help="adresse du portail (défaut https://www.data.gouv.fr ; démo : "
        "https://demo.data.gouv.fr) ou, pour --target local, le dossier (défaut portail/)",
    )
    parser.add_argument("--dataset", help="identifiant ou slug du jeu de données existant")
    parser.add_argument("--organization", help="identifiant de l'organisation éditrice")
    parser.add_argument(
        "--version",
        dest="data_version",
        metavar="X.Y.Z",
        help="version X.Y.Z à publier (défaut : la plus récente)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="afficher le plan sans rien modifier"
    )
    parser.add_argument(
        "--api-key-file",
        type=Path,
        help=f"fichier contenant la clé d'API (sinon la variable {KEY_ENV})",
    )
    parser.add_argument(
        "--api-key", "--key", "--token", nargs="?", action=_KeyInArgument, help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="accepter une adresse http:// vers un autre serveur que cette machine "
        "(la clé d'API y circule en clair)",
    )
    parser.add_argument(
        "--private", action="store_true", help="publier (ou garder) le jeu de données privé"
    )
    parser.add_argument(
        "--allow-older",
        action="store_true",
        help="publier une version plus ancienne que la plus récente déjà publiée (ses "
        "fichiers à adresse stable remplacent alors ceux de la plus récente)",
    )
    options.add_format(parser)


def _api_key(args: argparse.Namespace):
    """The key as a :class:`Secret` (checked, never shown), or None when none is given."""
    from moisinno_data.errors import ConfigError
    from moisinno_data.fsutil import os_reason
    from moisinno_data.portals.udata import Secret

    if args.api_key_file is not None:
        try:
            key = args.api_key_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            fr, en = os_reason(exc) if isinstance(exc, OSError) else NOT_UTF8
            raise ConfigError(
                f"Fichier de clé d'API illisible : {args.api_key_file} ({fr}).",
                en=f"API key file cannot be read: {args.api_key_file} ({en}).",
            ) from None
        if not key:
            raise ConfigError(
                f"Le fichier de clé d'API {args.api_key_file} est vide.",
                en=f"The API key file {args.api_key_file} is empty.",
            )
        return Secret.checked(key, f"le fichier {args.api_key_file}", f"file {args.api_key_file}")
    key = os.environ.get(KEY_ENV, "").strip()
    return Secret.checked(key, f"la variable {KEY_ENV}", f"variable {KEY_ENV}") if key else None


NOT_UTF8 = ("pas du texte UTF-8", "not UTF-8 text")


def _progress(lang: str):
    """What to print after each step carried out."""
    done = "done:" if lang == "en" else "fait :"

    def said(action) -> None:
        print(f"  {done} {action.line(lang).strip()}", flush=True)

    return said


def _portal(args: argparse.Namespace):
    from moisinno_data.errors import ConfigError
    from moisinno_data.portals import open_portal

    if args.target == "local":
        if args.organization:
            raise ConfigError(
                "--organization ne s'applique qu'à --target datagouv.",
                en="--organization only applies to --target datagouv.",
            )
        return open_portal("local", args.url)
    key = _api_key(args)
    if key is None and not (args.dry_run and args.dataset):
        raise ConfigError(
            f"Clé d'API manquante : définissez la variable {KEY_ENV} ou passez "
            "--api-key-file FICHIER (la clé se crée dans votre profil sur le portail).",
            en=f"API key missing: set the variable {KEY_ENV} or give --api-key-file FILE "
            "(the key is made in your profile on the portal).",
        )
    return open_portal(
        "datagouv",
        args.url,
        api_key=key,
        organization=args.organization,
        allow_insecure_http=args.allow_insecure_http,
    )


def _refuse_rollback(plan) -> None:
    """Publishing 0.1.0 after 0.2.0 would put 0.1.0's tables at the stable addresses that
    every user reads: refused unless asked for (``--allow-older``)."""
    from moisinno_data.errors import ConfigError

    if not plan.newer:
        return
    latest = plan.newer[-1]
    raise ConfigError(
        f"La version {latest} est déjà publiée sur {plan.portal} : y publier {plan.version}, "
        "plus ancienne, remplacerait ses tables aux adresses stables. Ajoutez --allow-older "
        "si c'est voulu (un retour en arrière).",
        en=f"Version {latest} is already published on {plan.portal}: publishing the older "
        f"{plan.version} would replace its tables at the stable addresses. Add --allow-older "
        "if that is meant (a rollback).",
    )


def run(args: argparse.Namespace) -> int:
    import json

    from moisinno_data.errors import ConfigError
    from moisinno_data.portals.content import ReleaseContent
    from moisinno_data.publishing.store import ReleaseStore

    portal = _portal(args)  # options and key checked before anything is read or sent
    store = ReleaseStore()
    release = store.get(args.data_version) if args.data_version else store.latest()
    if release is None:  # only latest() finds none: get() raises for an unknown version
        raise ConfigError(
            f"Aucune version dans le dépôt local {store.root} : créez-en une avec "
            "« moisinno release », ou indiquez MOISINNO_STORE.",
            en=f"No version in the local store {store.root}: cut one with “moisinno release”, "
            "or set MOISINNO_STORE.",
        )
    content = ReleaseContent.from_release(release)
    plan = portal.plan(content, args.dataset, private=args.private)
    if not args.allow_older:
        _refuse_rollback(plan)
    lang = getattr(args, "lang", "fr")
    if args.dry_run:
        if args.format == "json":
            print(json.dumps({**plan.to_dict(), "dry_run": True}, ensure_ascii=False, indent=2))
        else:
            print(plan.render(lang))
            print(in_lang(SAID["dry_run"], lang))
        return 0
    if args.format == "json":
        _apply_in_json(portal, plan, lang)
        return 0
    print(plan.render(lang), flush=True)
    result = portal.apply(plan, progress=_progress(lang))
    said = in_lang(SAID["done"], lang)
    print(said.format(v=content.version, n=plan.uploads, id=result.dataset_id, page=result.page))
    return 0


def _apply_in_json(portal, plan, lang: str) -> None:
    """``apply``, then the plan and what was done, as JSON. A run that stops midway prints
    the same object, ``error`` set, before its sentence on stderr (exit code 2): a script
    learns what is on the portal now, not only that something failed."""
    import json

    from moisinno_data.portals.base import PublishInterrupted

    try:
        result = portal.apply(plan)
    except PublishInterrupted as exc:
        said = exc.result.to_dict(error=exc.text(lang))
        print(json.dumps(said, ensure_ascii=False, indent=2), flush=True)
        raise
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


SAID = {
    "dry_run": {
        "fr": "Simulation (--dry-run) : rien n'a été envoyé ni modifié.",
        "en": "Dry run (--dry-run): nothing was sent or changed.",
    },
    "done": {
        "fr": "Publication de la version {v} terminée : {n} fichier(s) envoyé(s). "
        "Jeu de données {id} : {page}",
        "en": "Version {v} published: {n} file(s) uploaded. Dataset {id}: {page}",
    },
}
"""What ``publish`` says, in each language of ``--lang``."""
