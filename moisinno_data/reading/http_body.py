"""Read an HTTP answer's body within a budget: a byte cap and a whole-answer deadline.

A server's answer is an input like a contributed file (:mod:`.budget`): ``requests``' read
timeout only bounds the silence *between* bytes, so a server trickling a byte every few
seconds, or sending an endless body, would otherwise hold the process or fill its memory
or disk. Here, in the reading stage, so that every stage that downloads something — the
one HTTP layer (:mod:`moisinno_data.portals.http`), ``loading``, and ``moisinno init
--schema URL`` — reads answers the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

Response = Any  # a requests.Response: requests is imported only where a body is read


@dataclass(frozen=True)
class BodyLimit:
    """What one answer's body may cost: at most ``max_bytes`` (after decompression), all
    received within ``seconds`` of the first read. Tests shrink it; users need not."""

    max_bytes: int
    seconds: float


ANSWER_LIMIT = BodyLimit(max_bytes=32 << 20, seconds=120.0)
"""A JSON answer (a portal's API, a release's ``release.json``, a mirror's index): a
data.gouv.fr dataset with hundreds of resources is about 1 MB, so 32 MiB is far above
any real one; 120 s is two minutes for a few kB to a few MB."""
FILE_LIMIT = BodyLimit(max_bytes=1 << 30, seconds=3600.0)
"""A downloaded file (a release archive, a published resource): this package's archives
weigh well under 1 MB, and 1 GiB leaves room for much larger packages; an hour lets even
that come over a slow line (≈ 300 kB/s on average)."""
CHUNK = 1 << 16


class BodyRefused(Exception):
    """An answer's body went past its :class:`BodyLimit`: reading stopped there.

    Not retried (a server that sent too much or too slowly once will do it again).
    :meth:`said` gives the sentence's first half, in French and English, the address shown
    without anything that may hold a key or token; the caller adds what to do.
    """

    def __init__(self, url: str, limit: BodyLimit, received: int, too_big: bool) -> None:
        self.url, self.limit, self.received, self.too_big = shown(url), limit, received, too_big
        super().__init__(self.said()[0])

    def said(self) -> tuple[str, str]:
        from moisinno_data.reading.budget import human_bytes  # the sizes of every refusal

        if self.too_big:
            cap, cap_en = human_bytes(self.limit.max_bytes), human_bytes(self.limit.max_bytes, "en")
            return (
                f"la réponse de {self.url} dépasse {cap} : lecture arrêtée",
                f"the answer of {self.url} exceeds {cap_en}: reading stopped",
            )
        seconds = f"{self.limit.seconds:g}"
        got, got_en = human_bytes(self.received), human_bytes(self.received, "en")
        return (
            f"la réponse de {self.url} n'est pas arrivée en entier en "
            f"{seconds.replace('.', ',')} s ({got} reçus) : lecture arrêtée",
            f"the answer of {self.url} did not arrive whole within {seconds} s ({got_en} "
            "received): reading stopped",
        )


def shown(url: str) -> str:
    """``url`` fit for a message: no ``user:password@``, query or fragment (where keys and
    tokens travel)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def read_body(response: Response, limit: BodyLimit, into: IO[bytes] | None = None) -> bytes:
    """Read the body of a ``stream=True`` ``response`` within ``limit``, or raise
    :class:`BodyRefused` as soon as it goes past it.

    The body is written to ``into`` when given (a download: returns ``b""``), else kept in
    ``response`` as if ``requests`` had read it (``.content``, ``.text``, ``.json()`` then
    work) and returned. Each read returns what has arrived (``read1``), so the deadline is
    checked as bytes trickle in, and a silent server is still cut by the read timeout.
    Errors of the connection come out as ``requests``' own (:data:`moisinno_data.portals.http.NETWORK_ERRORS`).
    """
    if response._content_consumed:  # read already (not streamed): nothing left to bound
        data = response.content or b""
        if len(data) > limit.max_bytes:
            raise BodyRefused(response.url, limit, len(data), too_big=True)
        if into is not None:
            into.write(data)
        return b"" if into is not None else data
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit.max_bytes:
        response.close()
        raise BodyRefused(response.url, limit, 0, too_big=True)
    end = time.monotonic() + limit.seconds
    pieces: list[bytes] = []
    received = 0
    try:
        for piece in _pieces(response):
            received += len(piece)
            if received > limit.max_bytes:
                raise BodyRefused(response.url, limit, received, too_big=True)
            if into is not None:
                into.write(piece)
            else:
                pieces.append(piece)
            if time.monotonic() > end:
                raise BodyRefused(response.url, limit, received, too_big=False)
    except BodyRefused:
        response.close()  # the rest is never read: the connection is not reused
        raise
    data = b"".join(pieces)
    response._content, response._content_consumed = data, True
    return b"" if into is not None else data


def _pieces(response: Response):
    """What has arrived of ``response``'s body, piece by piece, as it arrives."""
    import requests
    import urllib3.exceptions as u3

    raw = response.raw
    read = getattr(raw, "read1", None)  # urllib3 >= 2.3
    try:
        if read is None:
            yield from response.iter_content(1024)  # small pieces: the deadline is checked often
            return
        while piece := read(CHUNK, decode_content=True):
            yield piece
    except u3.ReadTimeoutError as exc:
        raise requests.ReadTimeout(exc) from None
    except (u3.ProtocolError, u3.IncompleteRead) as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None
    except u3.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except u3.SSLError as exc:
        raise requests.exceptions.SSLError(exc) from None


def unread_redirect(response: Response, *args: object, **kwargs: object) -> None:
    """A ``requests`` response hook (``hooks=REDIRECT_HOOKS``) that closes a 3xx unread.

    Even with ``allow_redirects=False``, ``requests`` reads a 3xx's whole body (to prepare
    ``Response.next``), however long it is: a server answering 302 with an endless body
    would hold the caller and fill its memory. The body of a redirect is never wanted.
    """
    if response.is_redirect:
        response.close()
        response._content, response._content_consumed = b"", True


REDIRECT_HOOKS = {"response": [unread_redirect]}
"""Every request sent by hand with ``stream=True`` passes these (:func:`unread_redirect`)."""
