#!/usr/bin/env python3
"""A real udata server (the software behind data.gouv.fr) on loopback, for the publish tests.

Two sub-commands::

    python scripts/udata_local.py install
        Create udata's own virtual environment (udata 17.18.0 on an in-memory mongomock
        database) under ``${XDG_CACHE_HOME:-~/.cache}/moisinno-data/udata-venv``. Quick
        when it is already there; about a minute and ~470 MB from nothing.

    python scripts/udata_local.py serve --port P --info FILE
        Start the server on 127.0.0.1:P. Re-executes itself with the udata venv's
        interpreter when run by another Python: udata pins its own Flask/Werkzeug/
        mongoengine stack, which must not meet the project's. Before serving it seeds
        what a fresh data.gouv.fr would already have (licences, the France and Lyon zones, a
        confirmed user, an API token, an organisation) and writes
        ``{"url", "api_key", "organization", "user", "other_api_key"}`` to FILE (mode
        0600; ``other_api_key`` belongs to an account outside the organisation) once the
        socket is about to accept connections.

Why mongomock: MongoDB cannot be installed on the test machines, and the data only has
to live as long as the test session. All state is in this one process, so the server is
single-threaded and the seeding happens in-process (``udata user create`` in another
process would write to a throwaway database). Recipe: ../shared/portals/udata-local.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

UDATA_VERSION = "17.18.0"
MONGOMOCK_VERSION = "4.3.0"
REQUIREMENTS = [f"udata=={UDATA_VERSION}", f"mongomock=={MONGOMOCK_VERSION}"]

# The zone and levels a fresh data.gouv.fr already knows; ids are udata's GeoIDs.
FRANCE_ZONE = {
    "id": "country:fr",
    "slug": "france",
    "name": "France",
    "code": "fr",
    "level": "country",
}
LYON_ZONE = {  # a commune, for a package whose coverage is its own (spatial.zones)
    "id": "fr:commune:69123",
    "slug": "lyon",
    "name": "Lyon",
    "code": "69123",
    "level": "fr:commune",
}
GEO_LEVELS = [("country", "Pays", 10), ("fr:region", "Région française", 40),
              ("fr:commune", "Commune française", 80)]  # fmt: skip
LICENSES = [
    ("lov2", "Licence Ouverte / Open Licence version 2.0",
     "https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
    ("notspecified", "License Not Specified", ""),
]  # fmt: skip


def venv_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "moisinno-data" / "udata-venv"


def venv_python() -> Path:
    return venv_dir() / "bin" / "python"


def _installed() -> bool:
    python = venv_python()
    if not python.is_file():
        return False
    probe = (
        "import importlib.metadata as m, sys;"
        f"sys.exit(0 if m.version('udata') == {UDATA_VERSION!r} and "
        f"m.version('mongomock') == {MONGOMOCK_VERSION!r} else 1)"
    )
    return subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0


def install() -> int:
    """Create the udata venv if missing or incomplete; a no-op (≈0.1 s) when present."""
    if _installed():
        print(f"udata {UDATA_VERSION} déjà installé dans {venv_dir()}.")
        return 0
    target = venv_dir()
    print(f"Installation de udata {UDATA_VERSION} et mongomock dans {target} (≈ 1 min)…")
    if not venv_python().is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
    pip = [str(venv_python()), "-m", "pip", "install", "-q", "--disable-pip-version-check",
           "--no-warn-script-location", "--no-warn-conflicts"]  # fmt: skip
    # pip's warnings (a hundred about udata's old pins) are noise here; errors are kept.
    result = subprocess.run([*pip, *REQUIREMENTS], capture_output=True, text=True)
    if result.returncode != 0:
        for line in (result.stdout + result.stderr).splitlines():
            if line.strip() and not line.startswith(("WARNING", "DEPRECATION")):
                print(line, file=sys.stderr)
    if result.returncode != 0 or not _installed():
        print(
            f"Erreur : l'installation de udata dans {target} a échoué (pip a renvoyé "
            f"{result.returncode}). Vérifiez l'accès à PyPI puis relancez "
            "« python scripts/udata_local.py install ».",
            file=sys.stderr,
        )
        return 2
    print("udata installé.")
    return 0


def _settings_file(port: int, fs_root: Path) -> Path:
    text = f"""
import mongomock
SECRET_KEY = "moisinno-test-secret-key"
SECURITY_PASSWORD_SALT = "moisinno-test-salt"
API_TOKEN_SECRET = "moisinno-test-api-token-secret"
SERVER_NAME = "127.0.0.1:{port}"
PREFERRED_URL_SCHEME = "http"
MONGODB_HOST = "mongodb://localhost:27017/udata"
MONGODB_SETTINGS = {{"host": MONGODB_HOST, "mongo_client_class": mongomock.MongoClient}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CACHE_TYPE = "flask_caching.backends.SimpleCache"
ELASTICSEARCH_URL = None
SCHEMA_CATALOG_URL = None
SEND_MAIL = False
WTF_CSRF_ENABLED = False
SESSION_COOKIE_SECURE = False
FS_ROOT = {str(fs_root)!r}
FS_SERVE = True
URLS_ALLOW_LOCAL = True
URLS_ALLOW_PRIVATE = True
SECURITY_TWO_FACTOR = False
"""
    path = fs_root.parent / "udata.cfg"
    path.write_text(text, encoding="utf-8")
    return path


def _seed(app) -> dict:
    """What a fresh data.gouv.fr already has, plus a publisher account and its API key."""
    from datetime import UTC, datetime

    from flask_security.utils import hash_password
    from udata.core.api_token.models import ApiToken
    from udata.core.organization.models import Member, Organization
    from udata.core.spatial.models import GeoLevel, GeoZone
    from udata.models import License, datastore

    with app.app_context():
        for ident, title, url in LICENSES:
            License.objects.create(id=ident, title=title, url=url or None, active=True)
        for ident, name, admin_level in GEO_LEVELS:
            GeoLevel.objects.create(id=ident, name=name, admin_level=admin_level)
        GeoZone.objects.create(**FRANCE_ZONE)
        GeoZone.objects.create(**LYON_ZONE)

        def confirmed_user(email: str, first: str, last: str, password: str, token: str):
            """A confirmed account and its API key (udata needs both to accept writes)."""
            account = datastore.create_user(
                email=email,
                first_name=first,
                last_name=last,
                password=hash_password(password),
                active=True,
                confirmed_at=datetime.now(UTC),
            )
            datastore.commit()
            return account, ApiToken.generate(account, name=token)[1]

        user, key = confirmed_user(
            "editeur@exemple.gouv.fr",
            "Éditrice",
            "Fictive",
            "mot-de-passe-fictif-1234",
            "moisinno-tests",
        )
        org = Organization.objects.create(
            name="Organisation fictive d'exemple",
            description="Organisation créée pour les tests de publication de moisinno-data.",
            members=[Member(user=user, role="admin")],
        )
        # A second account, member of no organisation: what a 403 looks like.
        _outsider, other_key = confirmed_user(
            "autre-compte@exemple.gouv.fr",
            "Compte",
            "Fictif",
            "autre-mot-de-passe-fictif-1234",
            "moisinno-tests-autre",
        )
        return {
            "api_key": key,
            "organization": str(org.id),
            "user": str(user.id),
            "other_api_key": other_key,
        }


def serve(port: int, info: Path) -> int:
    if Path(sys.prefix).resolve() != venv_dir().resolve():
        if not venv_python().is_file():
            print(
                f"Erreur : udata n'est pas installé ({venv_dir()} manque). "
                "Lancez d'abord « python scripts/udata_local.py install ».",
                file=sys.stderr,
            )
            return 2
        os.execv(str(venv_python()), [str(venv_python()), __file__, *sys.argv[1:]])
    work = Path(tempfile.mkdtemp(prefix="udata-local-"))
    (work / "fs").mkdir()
    os.environ["UDATA_SETTINGS"] = str(_settings_file(port, work / "fs"))

    import logging

    from udata.app import create_app, standalone
    from werkzeug.serving import run_simple

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = standalone(create_app())
    seeded = _seed(app)
    payload = {"url": f"http://127.0.0.1:{port}", **seeded}
    tmp = info.with_name(info.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    os.replace(tmp, info)
    print(f"udata {UDATA_VERSION} sert sur {payload['url']}", flush=True)
    run_simple("127.0.0.1", port, app, threaded=False, use_reloader=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install", help="créer l'environnement de udata s'il manque")
    serve_p = sub.add_parser("serve", help="lancer udata sur 127.0.0.1")
    serve_p.add_argument("--port", type=int, required=True)
    serve_p.add_argument("--info", type=Path, required=True, help="fichier JSON : url et clé")
    args = parser.parse_args(argv)
    if args.command == "install":
        return install()
    return serve(args.port, args.info.resolve())


if __name__ == "__main__":
    sys.exit(main())
