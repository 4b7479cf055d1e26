"""The steward's validation page and its JSON API, as a Starlette application.

Stewards who never open a terminal drop a contributor's file here and get the same
findings, in the same words, as ``moisinno validate``: the page calls the same library
functions (see :mod:`.engine`). It runs on the steward's own machine (``moisinno serve``
binds 127.0.0.1), so no file leaves it; uploads stay in memory and are forgotten after a
while (:mod:`.memory`).

The basic flow needs no JavaScript: a multipart form posts the file, the server answers
with a redirect to the server-rendered report (so reloading never re-sends the file).
JavaScript only adds drag and drop. Every value from the file goes through Jinja2's
autoescaping, and the Content-Security-Policy forbids inline scripts, so a cell holding
``<script>`` is shown as text and runs nothing.

Endpoints are module-level functions, in Starlette's own style; what varies between
servers (limits, the report store, the scratch folder) is on ``app.state``, wired by
:func:`create_app`. The bounds a network-facing server needs are in :mod:`.guards`
(per request) and :mod:`.server` (per connection).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import Scope

from moisinno_data.__about__ import __version__
from moisinno_data.errors import InputError, MoisinnoError
from moisinno_data.package.text import version_label
from moisinno_data.reading.budget import Budget
from moisinno_data.web import engine
from moisinno_data.web.guards import (
    BodyDeadline,
    BodyTimeout,
    ClientLimit,
    SameOrigin,
    SecurityHeaders,
    TrustedHost,
)
from moisinno_data.web.memory import Entry, UploadMemory
from moisinno_data.web.openapi import openapi_document
from moisinno_data.web.settings import LOOPBACK_HOSTS, Limits, Settings
from moisinno_data.web.texts import API, delimiter_name, human_size, pick_lang, texts
from moisinno_data.web.uploads import BadUpload, ScratchArea, UploadTooLarge, read_upload
from moisinno_data.web.view import (
    MAX_ROWS,
    column_letter,
    group_by_kind,
    header_marks,
    rows_with_findings,
)

log = logging.getLogger("moisinno.web")
HERE = Path(__file__).resolve().parent
NO_STORE = {"cache-control": "no-store"}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every value, whatever the template's extension
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["letter"] = column_letter
    env.filters["version"] = version_label
    return env


templates = Jinja2Templates(env=_environment())


# --- helpers shared by the endpoints -------------------------------------------------


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def lang_of(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"))


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def page(request: Request, name: str, lang: str, status: int = 200, **context: Any) -> Response:
    settings = settings_of(request)
    t = texts(lang)
    base = {
        "t": t,
        "lang": lang,
        "version": __version__,
        "limit_text": human_size(settings.max_upload_bytes, lang),
        "ttl_minutes": int(settings.memory_ttl // 60),
        "per_kind": settings.limits.findings_per_kind,
        "tables": engine.table_names(),
        "table_choices": engine.table_choices(),
        "switch_url": _switch_url(request, t["switch_lang"]),
        "delimiter_name": lambda d: delimiter_name(d, lang),
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    response.headers["cache-control"] = "no-store"
    return response


def error_page(request: Request, lang: str, status: int, title: str, message: str) -> Response:
    return page(request, "error.html", lang, status, title=title, message=message)


def too_large_message(request: Request, lang: str) -> str:
    limit = settings_of(request).max_upload_bytes
    return texts(lang)["too_large"].format(limit=human_size(limit, lang))


def too_large(request: Request, lang: str) -> Response:
    message = too_large_message(request, lang)
    return error_page(request, lang, 413, texts(lang)["too_large_title"], message)


async def in_thread(request: Request, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Library work off the event loop, at most ``workers`` at a time, and at most
    ``workers - 1`` of one client (one if there is a single worker): a client sending two
    workbooks that each take a minute to read held both workers of the default server,
    and every other steward's upload waited behind them. Its next jobs wait in its own
    queue, without holding a worker.

    A client that hangs up stops its work: a :class:`Budget` among the keyword arguments
    is given an event, set when the client leaves, that the reading checks with its time
    (a job still waiting for a worker never starts). Without it, two slow workbooks sent
    by a client that left at once held a worker 19 s, for nobody."""
    state = request.app.state
    client = request.client.host if request.client else "?"
    own = state.client_limiters.get(client)
    if own is None:
        own = state.client_limiters[client] = anyio.CapacityLimiter(state.jobs_per_client)
    left = threading.Event()
    kwargs = {
        k: replace(v, cancelled=left) if isinstance(v, Budget) else v for k, v in kwargs.items()
    }

    def work() -> tuple[Any, Exception | None]:
        """The result or the error, returned: raised inside the task group below, an
        error would come out wrapped in an ExceptionGroup, past the handlers."""
        try:
            if left.is_set():
                raise InputError(
                    "demande annulée : le client est parti.",
                    en="request cancelled: the client left.",
                )
            return func(*args, **kwargs), None
        except Exception as exc:
            return None, exc

    try:
        async with anyio.create_task_group() as watch:
            watch.start_soon(_set_when_gone, request, left)
            try:
                async with own:
                    result, error = await anyio.to_thread.run_sync(work, limiter=state.limiter)
            finally:
                watch.cancel_scope.cancel()
    finally:
        idle = own.borrowed_tokens == 0 and own.statistics().tasks_waiting == 0
        if idle and state.client_limiters.get(client) is own:
            del state.client_limiters[client]
    if error is not None:
        raise error
    return result


async def _set_when_gone(request: Request, left: threading.Event) -> None:
    """Set ``left`` when the client hangs up. Called once the request's body has been
    read: what ``receive`` still gives is the end of an empty body, then the hang-up."""
    try:
        while (await request.receive())["type"] != "http.disconnect":
            pass
    except BodyTimeout:  # a GET's body trickling in: nobody reads it, nothing to watch
        return
    left.set()


async def validation_for(request: Request, entry: Entry, lang: str) -> engine.Validation:
    """The entry's report in ``lang``, computed once and kept with the entry."""
    key = ("validation", lang)
    if key in entry.results:
        return entry.results[key]
    known = [r for k, r in entry.results.items() if isinstance(k, tuple) and k[0] == "validation"]
    if known:
        budget = settings_of(request).budget
        result = await in_thread(request, engine.relocalize, known[0], lang, budget=budget)
    else:
        result = await in_thread(
            request,
            engine.validate_upload,
            entry.data,
            entry.filename,
            schema=entry.schema,
            lang=lang,
            sheet=entry.sheet,
            scratch=request.app.state.scratch,
            per_kind=settings_of(request).limits.findings_per_kind,
            budget=settings_of(request).budget,
        )
    entry.results[key] = result
    request.app.state.memory.trim()
    return result


def entry_or_expired(request: Request, lang: str) -> Entry | Response:
    entry = request.app.state.memory.get(request.path_params["token"])
    if entry is None:
        t = texts(lang)
        message = t["expired"].format(ttl=int(settings_of(request).memory_ttl // 60))
        return error_page(request, lang, 404, t["expired_title"], message)
    return entry


def _attachment(filename: str) -> str:
    """Content-Disposition for any file name (RFC 6266 with an ASCII fallback)."""
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _switch_url(request: Request, lang: str) -> str:
    """The same page in the other language (query kept, ``lang`` replaced), as a
    query-only link: the request's path is never copied into it, so a path such as
    ``//evil.example/x`` cannot turn it into a link to another site. (A page answering a
    POST links to the upload form, our own ``/``.)"""
    params = dict(request.query_params)
    params["lang"] = lang
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params.items())
    return f"?{query}" if request.method in ("GET", "HEAD") else f"/?{query}"


def _stem(entry: Entry) -> str:
    """The downloads' name stem: ``..`` or ``.csv`` made ``..-rapport.html`` or a hidden
    ``.csv-rapport.html``; dots and spaces around it are left out."""
    return Path(entry.filename).stem.strip(". ") or "fichier"


# --- pages ---------------------------------------------------------------------------


async def home(request: Request) -> Response:
    return page(request, "index.html", lang_of(request))


async def submit(request: Request) -> Response:
    """POST: validate the upload, then redirect to its report. GET (a reload of an error
    page answered to a POST): back to the upload form."""
    lang = lang_of(request)
    if request.method != "POST":
        return RedirectResponse(f"/?lang={lang}", status_code=303)
    try:
        upload = await read_upload(request, settings_of(request).max_upload_bytes)
    except UploadTooLarge:
        return too_large(request, lang)
    except BadUpload as exc:
        return error_page(request, lang, 400, texts(lang)["error_title"], exc.text(lang))
    lang = pick_lang(upload.fields.get("lang") or lang)
    entry = Entry(
        filename=upload.filename,
        data=upload.data,
        schema=(upload.fields.get("schema") or "").strip() or None,
        sheet=(upload.fields.get("sheet") or "").strip() or None,
        owner=client_of(request),
    )
    try:
        await validation_for(request, entry, lang)
    except MoisinnoError as exc:
        return error_page(request, lang, 422, texts(lang)["error_title"], exc.text(lang))
    token = request.app.state.memory.put(entry)
    return RedirectResponse(f"/rapport/{token}?lang={lang}", status_code=303)


async def report_page(request: Request) -> Response:
    lang = lang_of(request)
    entry = entry_or_expired(request, lang)
    if isinstance(entry, Response):
        return entry
    try:
        validation = await validation_for(request, entry, lang)
    except MoisinnoError as exc:
        return error_page(request, lang, 422, texts(lang)["error_title"], exc.text(lang))
    data = validation.data
    marks = rows_with_findings(data)
    table = (data.get("schema") or {}).get("table")
    return page(
        request,
        "report.html",
        lang,
        report=data,
        token=request.path_params["token"],
        kinds=group_by_kind(data, lang),
        header=validation.header,
        rows=validation.rows,
        marks=marks,
        header_marks=header_marks(data),
        rows_total=len(marks),
        rows_limit=MAX_ROWS,
        rows_error=validation.rows_error,
        table=table if table in engine.table_names() else None,
        stem=_stem(entry),
    )


async def download(request: Request) -> Response:
    """The report (JSON, HTML) or the fixed file and its changes (CSV), as attachments."""
    lang = lang_of(request)
    entry = entry_or_expired(request, lang)
    if isinstance(entry, Response):
        return entry
    kind = request.path_params["kind"]
    stem = _stem(entry)
    headers = {"content-disposition": "", **NO_STORE}
    try:
        if kind == "rapport.json":
            validation = await validation_for(request, entry, lang)
            headers["content-disposition"] = _attachment(f"{stem}-rapport.json")
            chunks = engine.report_json(validation)
            return StreamingResponse(chunks, media_type="application/json", headers=headers)
        if kind == "rapport.html":
            validation = await validation_for(request, entry, lang)
            body: str | bytes = await in_thread(request, engine.report_html, validation, lang)
            media, name = "text/html; charset=utf-8", f"{stem}-rapport.html"
        elif kind in ("corrige.csv", "corrections.csv"):
            fixed = await fixed_for(request, entry)
            body = fixed.content if kind == "corrige.csv" else fixed.changes_in(lang)
            media, name = "text/csv; charset=utf-8", f"{stem}-{kind}"
        else:
            raise HTTPException(404)
    except MoisinnoError as exc:
        return error_page(request, lang, 422, texts(lang)["error_title"], exc.text(lang))
    headers["content-disposition"] = _attachment(name)
    data = body.encode("utf-8") if isinstance(body, str) else body
    headers["content-length"] = str(len(data))
    return StreamingResponse(_in_pieces(data), media_type=media, headers=headers)


async def _in_pieces(data: bytes, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    """A download, piece by piece, each sent once the client has taken the previous one:
    written whole, every download not yet read held its own copy of the file in the
    connection's send buffer (16 of a 40 MB fixed file from one address: +650 MB)."""
    view = memoryview(data)
    for start in range(0, len(data), size):
        yield bytes(view[start : start + size])


async def fixed_for(request: Request, entry: Entry) -> engine.Fixed:
    """``moisinno fix`` on the entry, computed once, with the table the report settled on."""
    fixed = entry.results.get("fix")
    if fixed is None:
        fixed = await in_thread(
            request,
            engine.fix_upload,
            entry.data,
            entry.filename,
            schema=_table_of(entry),
            sheet=entry.sheet,
            scratch=request.app.state.scratch,
            budget=settings_of(request).budget,
            max_bytes=settings_of(request).fixed_file_bytes,
        )
        entry.results["fix"] = fixed
        request.app.state.memory.trim()
    return fixed


def _table_of(entry: Entry) -> str | None:
    """The table the report settled on, so the fix uses the same schema."""
    for key, result in entry.results.items():
        if isinstance(key, tuple) and key[0] == "validation":
            name = (result.data.get("schema") or {}).get("table")
            if name in engine.table_names():
                return name
    return entry.schema


async def forget(request: Request) -> Response:
    request.app.state.memory.forget(request.path_params["token"])
    return RedirectResponse(f"/?lang={lang_of(request)}", status_code=303)


async def template_download(request: Request) -> Response:
    lang = lang_of(request)
    table = request.path_params["table"]
    if table not in engine.table_names():
        t = texts(lang)
        return error_page(request, lang, 404, t["not_found_title"], t["not_found"])
    cache = request.app.state.template_cache  # (table, lang) → bytes: the page's language
    if (table, lang) not in cache:
        cache[table, lang] = await in_thread(request, engine.template_bytes, table, lang)
    return Response(
        cache[table, lang],
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": _attachment(f"modele-{table}.xlsx")},
    )


# --- API -----------------------------------------------------------------------------


def api_error(status: int, error: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status)


async def api_validate(request: Request) -> Response:
    limit = settings_of(request).max_upload_bytes
    try:
        upload = await read_upload(request, limit)
    except UploadTooLarge:  # the body is not read: the language is the query's
        message = too_large_message(request, lang_of(request))
        return api_error(413, "too-large", message, limit_bytes=limit)
    except BadUpload as exc:
        return api_error(400, "bad-request", exc.text(lang_of(request)))
    lang = pick_lang(upload.fields.get("lang") or request.query_params.get("lang"))
    try:
        validation = await in_thread(
            request,
            engine.validate_upload,
            upload.data,
            upload.filename,
            schema=upload.fields.get("schema"),
            lang=lang,
            sheet=upload.fields.get("sheet"),
            scratch=request.app.state.scratch,
            per_kind=settings_of(request).limits.findings_per_kind,
            budget=settings_of(request).budget,
            with_rows=False,
            asker=API,
        )
    except MoisinnoError as exc:
        return api_error(422, "unreadable", exc.text(lang))
    chunks = engine.report_json(validation)
    return StreamingResponse(chunks, media_type="application/json", headers=NO_STORE)


async def api_doc(request: Request) -> Response:
    limit = settings_of(request).max_upload_bytes
    return JSONResponse(openapi_document(limit, engine.table_names()))


# --- refusals and errors ---------------------------------------------------------------

REFUSALS = {
    400: ("bad-request", "refused_title", "foreign_host"),
    403: ("forbidden", "refused_title", "foreign"),
    408: ("too-slow", "slow_title", "slow"),
    429: ("busy", "busy_title", "busy_client"),
}


def refusal(scope: Scope, status: int) -> Response:
    """The answer to a request the guards refuse: the page's sentence, or JSON for the API."""
    request = Request(scope)
    lang = lang_of(request)
    error, title, message = REFUSALS[status]
    t = texts(lang)
    if request.url.path.startswith("/api/"):
        return api_error(status, error, t[message])
    return error_page(request, lang, status, t[title], t[message])


async def too_slow(request: Request, exc: Exception) -> Response:
    response = refusal(request.scope, 408)
    response.headers["connection"] = "close"
    return response


async def not_found(request: Request, exc: Exception) -> Response:
    """404 and 405 (with its ``Allow`` header)."""
    status = getattr(exc, "status_code", 404)
    headers = dict(getattr(exc, "headers", None) or {})
    lang = lang_of(request)
    t = texts(lang)
    if status == 405:
        message = t["method_not_allowed"].format(allow=headers.get("Allow", ""))
        title = t["refused_title"]
    else:
        message, title = t["not_found"], t["not_found_title"]
    if request.url.path.startswith("/api/"):
        error = "method-not-allowed" if status == 405 else "not-found"
        response: Response = api_error(status, error, message)
    else:
        response = error_page(request, lang, status, title, message)
    response.headers.update(headers)
    return response


async def internal_error(request: Request, exc: Exception) -> Response:
    log.exception("erreur interne sur %s", request.url.path)
    kind = type(exc).__name__
    lang = lang_of(request)
    t = texts(lang)
    message = t["internal"].format(kind=kind)
    if request.url.path.startswith("/api/"):  # the Error of the OpenAPI document
        return api_error(500, "internal", message, kind=kind)
    return error_page(request, lang, 500, t["internal_title"], message)


routes = [
    Route("/", home, methods=["GET"]),
    Route("/valider", submit, methods=["GET", "POST"]),
    Route("/rapport/{token}", report_page, methods=["GET"]),
    Route("/rapport/{token}/oublier", forget, methods=["POST"]),
    Route("/rapport/{token}/{kind}", download, methods=["GET"]),
    Route("/modele/{table}.xlsx", template_download, methods=["GET"]),
    Route("/api/validate", api_validate, methods=["POST"]),
    Route("/api/openapi.json", api_doc, methods=["GET"]),
    Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
]

exception_handlers = {
    404: not_found,
    405: not_found,
    BodyTimeout: too_slow,
    Exception: internal_error,
}


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """At start, remove what killed servers left in the scratch folder; at the end, ours."""
    app.state.scratch.sweep()
    try:
        yield
    finally:
        app.state.scratch.close()


def middleware(settings: Settings) -> list[Middleware]:
    limits = settings.limits
    return [
        Middleware(SecurityHeaders),
        Middleware(TrustedHost, allowed_hosts=list(settings.allowed_hosts), respond=refusal),
        Middleware(SameOrigin, respond=refusal),
        Middleware(ClientLimit, per_client=limits.max_requests_per_client, respond=refusal),
        Middleware(BodyDeadline, idle=limits.body_idle_timeout, total=limits.body_timeout),
    ]


def create_app(settings: Settings | None = None, **overrides: Any) -> Starlette:
    """The application for ``settings`` (keyword ``overrides`` replace single fields, e.g.
    ``create_app(max_upload_bytes=1024**2)``). Also uvicorn's ``--factory`` entry point."""
    settings = replace(settings or Settings(), **overrides)
    app = Starlette(
        routes=routes,
        middleware=middleware(settings),
        exception_handlers=exception_handlers,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.memory = UploadMemory(
        ttl=settings.memory_ttl,
        max_bytes=settings.store_bytes,
        per_owner=settings.limits.reports_per_client,
    )
    app.state.scratch = ScratchArea(settings.tmp_root)
    app.state.limiter = anyio.CapacityLimiter(max(1, settings.workers))
    app.state.jobs_per_client = max(1, settings.workers - 1)
    app.state.client_limiters = {}
    app.state.template_cache = {}
    return app


__all__ = ["LOOPBACK_HOSTS", "Limits", "Settings", "create_app", "routes"]
