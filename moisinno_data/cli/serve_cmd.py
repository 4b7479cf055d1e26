"""``moisinno serve``: the validation page for stewards, on this machine only by default.

The socket is bound here, before uvicorn starts, so a busy port gives one French sentence
(exit 2) instead of uvicorn's log, and ``--port 0`` can pick a free port and print it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from moisinno_data.cli import options

if TYPE_CHECKING:
    from moisinno_data.errors import MoisinnoError


def _positive_mb(text: str) -> float:
    """A size in MB that makes sense (not nan, inf, negative, zero or absurdly large)."""
    from moisinno_data.errors import ConfigError
    from moisinno_data.web.settings import megabytes

    value = _number(text)
    try:
        megabytes(value)
    except ConfigError as exc:
        raise _refused(exc, text) from None
    return value


def _positive_seconds(text: str) -> float:
    """A time in seconds that makes sense (not nan, inf, negative or zero)."""
    from moisinno_data.errors import ConfigError
    from moisinno_data.web.settings import seconds

    try:
        return seconds(_number(text))
    except ConfigError as exc:
        raise _refused(exc, text) from None


def _number(text: str) -> float:
    """A number written with a decimal point or comma."""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise options.bad_value(
            f"nombre attendu, pas « {text} »", f"expected a number, not “{text}”"
        ) from None


def _refused(exc: MoisinnoError, text: str) -> argparse.ArgumentTypeError:
    return options.bad_value(f"{exc.text('fr')}, pas « {text} »", f"{exc.text('en')}, not “{text}”")


SAID = {
    "fr": {
        "page": "Page de validation : {url}",
        "network": "Attention : la page écoute sur {host}, d'autres machines du réseau "
        "peuvent y envoyer des fichiers.",
        "stop": "Arrêt : Ctrl+C.",
    },
    "en": {
        "page": "Validation page: {url}",
        "network": "Warning: the page listens on {host}, other machines of the network can "
        "send files to it.",
        "stop": "Stop: Ctrl+C.",
    },
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="adresse d'écoute (défaut 127.0.0.1 : cette machine seulement ; 0.0.0.0 ouvre "
        "la page au réseau)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port (défaut 8000 ; 0 : un port libre)"
    )
    parser.add_argument(
        "--max-upload-mb",
        type=_positive_mb,
        default=50.0,
        metavar="MO",
        help="taille maximale d'un fichier envoyé, en Mo (défaut 50)",
    )
    parser.add_argument(
        "--max-seconds",
        type=_positive_seconds,
        default=60.0,
        metavar="S",
        help="durée maximale de lecture d'un fichier envoyé, en secondes (défaut 60) ; "
        "au-delà, le fichier est refusé",
    )


def run(args: argparse.Namespace) -> int:
    import socket
    import sys

    from moisinno_data.errors import ConfigError

    if not 0 <= args.port <= 65535:
        raise ConfigError(
            f"Port invalide : {args.port} (entre 0 et 65535).",
            en=f"Invalid port: {args.port} (between 0 and 65535).",
        )
    try:
        infos = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(
            f"Adresse d'écoute inconnue : « {args.host} » ({exc}).",
            en=f"Unknown address to listen on: “{args.host}” ({exc}).",
        ) from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"Impossible d'écouter sur {args.host}:{args.port} ({exc.strerror}). Le port est "
            "peut-être déjà pris : essayez --port 8001.",
            en=f"Cannot listen on {args.host}:{args.port} ({exc.strerror}). The port may "
            "already be taken: try --port 8001.",
        ) from None

    import uvicorn

    from moisinno_data.web.app import create_app
    from moisinno_data.web.server import server_config
    from moisinno_data.web.settings import LOOPBACK_HOSTS, Settings, allowed_hosts, megabytes

    port = sock.getsockname()[1]
    loopback = args.host in LOOPBACK_HOSTS
    settings = Settings(
        max_upload_bytes=megabytes(args.max_upload_mb),
        max_seconds=args.max_seconds,
        allowed_hosts=allowed_hosts(loopback),
    )
    app = create_app(settings)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    if args.host in ("0.0.0.0", "::"):
        shown_host = "127.0.0.1"
    said = SAID["en" if getattr(args, "lang", "fr") == "en" else "fr"]
    print(said["page"].format(url=f"http://{shown_host}:{port}/"), flush=True)
    if not loopback:
        print(said["network"].format(host=args.host), file=sys.stderr, flush=True)
    print(said["stop"], flush=True)
    server = uvicorn.Server(server_config(app, settings))
    server.run(sockets=[sock])
    return 0
