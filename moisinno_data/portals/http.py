"""The one HTTP layer of the project: checked addresses, retries (tenacity), redirects.

Every exchange with a portal (:mod:`.udata`) or a release source (``loading.versions``)
goes through here, so they share the same answers to the network's hazards:

- an address is checked before anything is sent: ``http``/``https`` only, a host, a valid
  port, no ``user:password@`` (it would travel in clear in logs), and plain ``http`` only
  to this machine (loopback) unless the caller allows it — a key sent over ``http`` to
  another host can be read by anyone on the way;
- every exchange has a time budget (:class:`Budget`): a timeout per attempt that fits what
  is sent, and a deadline after which no new attempt starts — a portal that accepts the
  connection and never answers is an input like any other, and must not hold a publish
  for half an hour;
- dropped connections, timeouts, 5xx and 429 are retried with exponential backoff,
  honouring ``Retry-After``, within the attempt count and the deadline (:func:`call`);
- redirects are followed by hand and only within the same origin (scheme, host, port):
  an API key sent with a request must never reach another host, and a 3xx is never a
  success in itself (:func:`follow`);
- every answer's body is read streamed within a :class:`BodyLimit` — a byte cap and a
  whole-body deadline — (:func:`read_body`): ``requests``' read timeout only bounds the
  silence *between* bytes, so a server trickling a byte every few seconds, or sending an
  endless body, would otherwise hold the process or fill its memory or disk.
"""

from __future__ import annotations

import email.utils
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
)
from tenacity.stop import stop_base

from moisinno_data.errors import ConfigError
from moisinno_data.reading.http_body import (
    ANSWER_LIMIT,
    FILE_LIMIT,
    REDIRECT_HOOKS,
    BodyLimit,
    BodyRefused,
    read_body,
    shown,
    unread_redirect,
)

T = TypeVar("T")
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
#: What a retry may cure: the connection, not the request.
NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,  # connection cut mid-body
)


@dataclass(frozen=True)
class Budget:
    """How long one call to a portal may take, whatever the portal does.

    A metadata call (a few kB of JSON) gets ``reply`` seconds of silence at most; an upload
    gets more, in proportion to its size, as if the portal stored it at ``throughput``
    bytes per second at worst. Retries stop at the attempt count or once ``deadline``
    seconds (plus the upload's share) have passed: no new attempt starts after it, so a
    portal that never answers costs at most ``deadline`` plus one attempt (two attempts
    of 60 s for a metadata call by default), not ``attempts × reply`` (it was 6 × 300 s).
    """

    connect: float = 10.0
    """Seconds to open a connection (and, while a body is sent, for each piece of it)."""
    reply: float = 60.0
    """Seconds to wait for an answer to a call that sends no file."""
    throughput: float = 50_000.0
    """Bytes per second an upload is allowed at worst (≈ 400 kbit/s): a 10 MB file gets
    200 s more, for its answer and for its retries."""
    deadline: float = 120.0
    """Seconds after the first attempt past which no retry starts (plus an upload's share)."""
    answer: BodyLimit = ANSWER_LIMIT
    """What an API answer's body may cost (:func:`read_body`)."""
    file: BodyLimit = FILE_LIMIT
    """What a downloaded file's body may cost (:func:`read_body`)."""

    def share(self, size: int) -> float:
        """The extra seconds a body of ``size`` bytes is allowed."""
        return size / self.throughput

    def timeout(self, size: int = 0) -> tuple[float, float]:
        """``requests``' (connect, read) timeout for one attempt sending ``size`` bytes."""
        return (self.connect, self.reply + self.share(size))

    def retry_deadline(self, size: int = 0) -> float:
        """Seconds past which no new attempt to send ``size`` bytes starts."""
        return self.deadline + self.share(size)


PORTAL_BUDGET = Budget()
"""What a publish allows each call to a portal; tests shrink it, users need not."""


class Transient(Exception):
    """A 5xx or 429 answer, kept to read ``Retry-After`` and the server's message."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response
        self.status = response.status_code


class RedirectRefused(Exception):
    """A 3xx that cannot be followed safely: ``location`` is where it pointed, ``reason``
    why not, in French (``reason_en`` in English)."""

    def __init__(self, status: int, location: str, reason: str, reason_en: str = "") -> None:
        super().__init__(f"HTTP {status} vers {location}")
        self.status, self.location, self.reason = status, location, reason
        self.reason_en = reason_en or reason


def raise_transient(response: requests.Response) -> requests.Response:
    """Raise :class:`Transient` for answers worth asking again; return the others."""
    if response.status_code == 429 or response.status_code >= 500:
        raise Transient(response)
    return response


def retry_after(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds (delta or HTTP date), ``None`` when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def call(
    once: Callable[[], T],
    *,
    attempts: int,
    wait: Callable[[int, BaseException | None], float],
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
) -> T:
    """Run ``once`` up to ``attempts`` times while it fails on the network or a 5xx/429,
    and never start a try (nor pause for one) past ``deadline`` seconds from the first.

    ``wait(attempt_number, exception)`` gives the pause before the next try. The last
    exception is re-raised as is: callers turn it into their own sentence.
    """

    def pause(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return wait(state.attempt_number, exc)

    stop: stop_base = stop_after_attempt(attempts)
    if deadline is not None:
        stop = stop | stop_before_delay(deadline)
    retrying = Retrying(
        stop=stop,
        wait=pause,
        retry=retry_if_exception_type((*NETWORK_ERRORS, Transient)),
        sleep=sleep,
        reraise=True,
    )
    return retrying(once)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_insecure: bool = False, option: str = "--url") -> str:
    """``url`` if it is a usable portal address, else a :class:`ConfigError` sentence."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a port that is not a number in range
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or control_characters(text)
    ):
        raise ConfigError(
            f"Adresse {option} invalide : « {text} » ; attendu une adresse complète comme "
            "https://www.data.gouv.fr (avec https:// et le nom du serveur).",
            en=f"Invalid {option} address: “{text}”; expected a full address such as "
            "https://www.data.gouv.fr (with https:// and the server's name).",
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            f"L'adresse {option} ne doit pas contenir d'identifiant ni de mot de passe "
            "(« utilisateur@ ») : la clé d'API se donne par DATAGOUV_API_KEY ou --api-key-file.",
            en=f"The {option} address must not hold a user name or password (“user@”): the "
            "API key is given by DATAGOUV_API_KEY or --api-key-file.",
        )
    if parts.scheme == "http" and not allow_insecure and not _is_loopback(parts.hostname):
        raise ConfigError(
            f"Adresse {option} en http:// vers {parts.hostname} refusée : la clé d'API y "
            "circulerait en clair. Utilisez https://, ou --allow-insecure-http si vous "
            "savez que ce réseau est sûr.",
            en=f"{option} address over http:// to {parts.hostname} refused: the API key would "
            "travel in clear. Use https://, or --allow-insecure-http if you know this network "
            "is safe.",
        )
    return text


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port made explicit: what "same host" means."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port


def follow(
    send: Callable[[str, str], requests.Response],
    method: str,
    url: str,
    *,
    any_origin: bool = False,
) -> requests.Response:
    """``send(method, url)`` then follow 3xx answers within ``url``'s origin, by hand.

    307/308 keep the method (and ``send`` re-sends the body); 301/302/303 are followed
    for GET only (a write redirected elsewhere is not repeated blindly). Anything else —
    another origin (unless ``any_origin``: a download that sends no key, from a host that
    hands files to another), no ``Location``, too many hops — raises
    :class:`RedirectRefused`. ``send`` passes :data:`REDIRECT_HOOKS`, so that a 3xx's body
    is never read (``requests`` reads it whole, however long it is, when it follows
    redirects itself, and even when it does not).
    """
    start = origin(url)
    response = send(method, url)
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in REDIRECTS:
            return response
        response.close()
        location = response.headers.get("Location")
        if not location:
            raise RedirectRefused(
                response.status_code, "?", "sans adresse de destination", "with no destination"
            )
        target = urljoin(url, location)
        if origin(target) != start and not any_origin:
            raise RedirectRefused(
                response.status_code, target, "vers un autre serveur", "to another server"
            )
        if response.status_code not in (307, 308) and method not in ("GET", "HEAD"):
            raise RedirectRefused(
                response.status_code, target, f"pour une requête {method}", f"for a {method}"
            )
        url = target
        response = send(method, url)
    if response.status_code in REDIRECTS:
        response.close()
        raise RedirectRefused(
            response.status_code, response.headers.get("Location") or "?", "en boucle", "in a loop"
        )
    return response


def control_characters(value: str) -> bool:
    """True when ``value`` holds a line break or another control character."""
    return any(not ch.isprintable() or ch.isspace() for ch in value)


__all__ = [
    "ANSWER_LIMIT",
    "FILE_LIMIT",
    "NETWORK_ERRORS",
    "PORTAL_BUDGET",
    "REDIRECT_HOOKS",
    "BodyLimit",
    "BodyRefused",
    "Budget",
    "RedirectRefused",
    "Transient",
    "call",
    "check_url",
    "control_characters",
    "follow",
    "origin",
    "raise_transient",
    "read_body",
    "retry_after",
    "shown",
    "unread_redirect",
]
