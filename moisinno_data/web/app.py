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
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moisinno_data.__about__ import __version__
from moisinno_data.web import engine
from moisinno_data.web.memory import Entry, UploadMemory
from moisinno_data.web.openapi import openapi_document
from moisinno_data.web.texts import delimiter_name, human_size, pick_lang, texts
from moisinno_data.web.uploads import BadUpload, UploadTooLarge, read_upload
from moisinno_data.web.view import (
    MAX_ROWS,
    column_letter,
    group_by_kind,
    header_marks,
    rows_with_findings,
)

log = logging.getLogger("moisinno.web")
HERE = Path(__file__).resolve().parent

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


class SecurityHeaders:
    """Adds the headers above to every response, pages, files and errors alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every value, whatever the template's extension
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["letter"] = column_letter
    return env


def _attachment(filename: str) -> str:
    """Content-Disposition for any file name (RFC 6266 with an ASCII fallback)."""
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def create_app(
    max_upload_mb: float = 50,
    *,
    tmp_dir: str | os.PathLike | None = None,
    allowed_hosts: list[str] | None = None,
    memory_ttl: float = 30 * 60,
    workers: int = 2,
) -> Starlette:
    """The application. ``tmp_dir`` is where the short-lived scratch copies go (the system's
    temporary folder by default); ``allowed_hosts`` guards against DNS rebinding (loopback
    names by default, ``["*"]`` when serving a network)."""
    if max_upload_mb <= 0:
        raise ValueError("max_upload_mb must be positive")
    limit = int(max_upload_mb * 1024 * 1024)
    memory = UploadMemory(ttl=memory_ttl, max_bytes=max(8 * limit, 256 * 1024 * 1024))
    limiter = anyio.CapacityLimiter(max(1, workers))
    templates = Jinja2Templates(env=_environment())
    template_cache: dict[str, bytes] = {}

    def page(
        request: Request, name: str, lang: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        t = texts(lang)
        base = {
            "t": t,
            "lang": lang,
            "version": __version__,
            "limit_text": human_size(limit, lang),
            "ttl_minutes": int(memory_ttl // 60),
            "tables": engine.table_names(),
            "table_choices": engine.table_choices(),
            "switch_url": _switch_url(request, t["switch_lang"]),
            "delimiter_name": lambda d: delimiter_name(d, lang),
        }
        response = templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status
        )
        response.headers["cache-control"] = "no-store"
        return response

    def error_page(request: Request, lang: str, status: int, title: str, message: str):
        return page(request, "error.html", lang, status, title=title, message=message)

    def too_large(request: Request, lang: str) -> HTMLResponse:
        t = texts(lang)
        message = t["too_large"].format(limit=human_size(limit, lang))
        return error_page(request, lang, 413, t["too_large_title"], message)

    async def in_thread(func, *args, **kwargs):
        return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs), limiter=limiter)

    async def validation_for(entry: Entry, lang: str) -> engine.Validation:
        """The entry's report in ``lang``, computed once and kept with the entry."""
        key = ("validation", lang)
        known = [
            r for k, r in entry.results.items() if isinstance(k, tuple) and k[0] == "validation"
        ]
        if key not in entry.results and known:
            entry.results[key] = await in_thread(engine.relocalize, known[0], lang)
        if key not in entry.results:
            result = await in_thread(
                engine.validate_upload,
                entry.data,
                entry.filename,
                schema=entry.schema,
                lang=lang,
                sheet=entry.sheet,
                tmp_root=tmp_dir,
            )
            entry.results[key] = result
        return entry.results[key]

    # --- pages -----------------------------------------------------------------------

    async def home(request: Request) -> Response:
        lang = pick_lang(request.query_params.get("lang"))
        return page(request, "index.html", lang)

    async def back_home(request: Request) -> Response:
        """A reload of an error page answered to a POST lands on the upload form."""
        lang = pick_lang(request.query_params.get("lang"))
        return RedirectResponse(f"/?lang={lang}", status_code=303)

    async def submit(request: Request) -> Response:
        lang = pick_lang(request.query_params.get("lang"))
        from moisinno_data.errors import MoisinnoError

        try:
            upload = await read_upload(request, limit)
        except UploadTooLarge:
            return too_large(request, lang)
        except BadUpload as exc:
            return error_page(request, lang, 400, texts(lang)["error_title"], str(exc))
        lang = pick_lang(upload.fields.get("lang") or lang)
        entry = Entry(
            filename=upload.filename,
            data=upload.data,
            schema=(upload.fields.get("schema") or "").strip() or None,
            sheet=(upload.fields.get("sheet") or "").strip() or None,
        )
        try:
            await validation_for(entry, lang)
        except MoisinnoError as exc:
            return error_page(request, lang, 422, texts(lang)["error_title"], str(exc))
        token = memory.put(entry)
        return RedirectResponse(f"/rapport/{token}?lang={lang}", status_code=303)

    def entry_or_expired(request: Request, lang: str) -> Entry | Response:
        entry = memory.get(request.path_params["token"])
        if entry is None:
            t = texts(lang)
            message = t["expired"].format(ttl=int(memory_ttl // 60))
            return error_page(request, lang, 404, t["expired_title"], message)
        return entry

    async def report_page(request: Request) -> Response:
        from moisinno_data.errors import MoisinnoError

        lang = pick_lang(request.query_params.get("lang"))
        entry = entry_or_expired(request, lang)
        if isinstance(entry, Response):
            return entry
        try:
            validation = await validation_for(entry, lang)
        except MoisinnoError as exc:
            return error_page(request, lang, 422, texts(lang)["error_title"], str(exc))
        data = validation.data
        token = request.path_params["token"]
        marks = rows_with_findings(data)
        table = (data.get("schema") or {}).get("name")
        return page(
            request,
            "report.html",
            lang,
            report=data,
            token=token,
            kinds=group_by_kind(data, lang),
            header=validation.header,
            rows=validation.rows,
            marks=marks,
            header_marks=header_marks(data),
            rows_total=len(marks),
            rows_limit=MAX_ROWS,
            rows_error=validation.rows_error,
            table=table if table in engine.table_names() else None,
            stem=Path(entry.filename).stem or "fichier",
        )

    async def download(request: Request) -> Response:
        from moisinno_data.errors import MoisinnoError

        lang = pick_lang(request.query_params.get("lang"))
        entry = entry_or_expired(request, lang)
        if isinstance(entry, Response):
            return entry
        kind = request.path_params["kind"]
        stem = Path(entry.filename).stem or "fichier"
        t = texts(lang)
        try:
            if kind == "rapport.json":
                validation = await validation_for(entry, lang)
                body: str | bytes = engine.report_json(validation)
                media, name = "application/json", f"{stem}-rapport.json"
            elif kind == "rapport.html":
                validation = await validation_for(entry, lang)
                body = await in_thread(engine.report_html, validation, lang)
                media, name = "text/html; charset=utf-8", f"{stem}-rapport.html"
            elif kind in ("corrige.csv", "corrections.csv"):
                fixed = entry.results.get("fix")
                if fixed is None:
                    fixed = await in_thread(
                        engine.fix_upload,
                        entry.data,
                        entry.filename,
                        schema=_table_of(entry),
                        sheet=entry.sheet,
                        tmp_root=tmp_dir,
                    )
                    entry.results["fix"] = fixed
                if kind == "corrige.csv":
                    body, name = fixed.content, f"{stem}-corrige.csv"
                else:
                    body, name = fixed.changes_csv, f"{stem}-corrections.csv"
                media = "text/csv; charset=utf-8"
            else:
                raise HTTPException(404)
        except engine.Unavailable as exc:
            message = t["unavailable"].format(reason=str(exc))
            return error_page(request, lang, 501, t["error_title"], message)
        except MoisinnoError as exc:
            return error_page(request, lang, 422, t["error_title"], str(exc))
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": _attachment(name), "cache-control": "no-store"},
        )

    def _table_of(entry: Entry) -> str | None:
        """The table the report settled on, so the fix uses the same schema."""
        for key, result in entry.results.items():
            if isinstance(key, tuple) and key[0] == "validation":
                name = (result.data.get("schema") or {}).get("name")
                if name in engine.table_names():
                    return name
        return entry.schema

    async def forget(request: Request) -> Response:
        lang = pick_lang(request.query_params.get("lang"))
        memory.forget(request.path_params["token"])
        return RedirectResponse(f"/?lang={lang}", status_code=303)

    async def template_download(request: Request) -> Response:
        lang = pick_lang(request.query_params.get("lang"))
        table = request.path_params["table"]
        if table not in engine.table_names():
            t = texts(lang)
            return error_page(request, lang, 404, t["not_found_title"], t["not_found"])
        try:
            body = template_cache.get(table)
            if body is None:
                body = template_cache[table] = await in_thread(engine.template_bytes, table)
        except engine.Unavailable as exc:
            t = texts(lang)
            message = t["unavailable"].format(reason=str(exc))
            return error_page(request, lang, 501, t["error_title"], message)
        return Response(
            body,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"content-disposition": _attachment(f"modele-{table}.xlsx")},
        )

    # --- API -------------------------------------------------------------------------

    async def api_validate(request: Request) -> Response:
        from moisinno_data.errors import MoisinnoError

        try:
            upload = await read_upload(request, limit)
        except UploadTooLarge:
            return JSONResponse(
                {
                    "error": "too-large",
                    "message": f"Le fichier dépasse la taille maximale ({human_size(limit)}).",
                    "limit_bytes": limit,
                },
                status_code=413,
            )
        except BadUpload as exc:
            return JSONResponse({"error": "bad-request", "message": str(exc)}, status_code=400)
        lang = pick_lang(upload.fields.get("lang") or request.query_params.get("lang"))
        try:
            validation = await in_thread(
                engine.validate_upload,
                upload.data,
                upload.filename,
                schema=upload.fields.get("schema"),
                lang=lang,
                sheet=upload.fields.get("sheet"),
                tmp_root=tmp_dir,
                with_rows=False,
            )
        except MoisinnoError as exc:
            return JSONResponse({"error": "unreadable", "message": str(exc)}, status_code=422)
        return JSONResponse(validation.data, headers={"cache-control": "no-store"})

    async def api_doc(request: Request) -> Response:
        return JSONResponse(openapi_document(limit, engine.table_names()))

    # --- errors ----------------------------------------------------------------------

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if wants_json(request):
            return JSONResponse({"error": "not-found"}, status_code=status)
        lang = pick_lang(request.query_params.get("lang"))
        t = texts(lang)
        if status == 405:
            return error_page(request, lang, 405, t["not_found_title"], t["not_found"])
        return error_page(request, lang, 404, t["not_found_title"], t["not_found"])

    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("erreur interne sur %s", request.url.path)
        kind = type(exc).__name__
        if wants_json(request):
            return JSONResponse({"error": "internal", "kind": kind}, status_code=500)
        lang = pick_lang(request.query_params.get("lang"))
        t = texts(lang)
        return error_page(request, lang, 500, t["internal_title"], t["internal"].format(kind=kind))

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/valider", submit, methods=["POST"]),
        Route("/valider", back_home, methods=["GET"]),
        Route("/rapport/{token}", report_page, methods=["GET"]),
        Route("/rapport/{token}/oublier", forget, methods=["POST"]),
        Route("/rapport/{token}/{kind}", download, methods=["GET"]),
        Route("/modele/{table}.xlsx", template_download, methods=["GET"]),
        Route("/api/validate", api_validate, methods=["POST"]),
        Route("/api/openapi.json", api_doc, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    hosts = allowed_hosts if allowed_hosts is not None else LOOPBACK_HOSTS
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        ],
        exception_handlers={404: not_found, 405: not_found, Exception: internal_error},
    )
    app.state.memory = memory
    app.state.limit = limit
    return app


def _switch_url(request: Request, lang: str) -> str:
    """The same page in the other language (query kept, ``lang`` replaced)."""
    params = dict(request.query_params)
    params["lang"] = lang
    path = request.url.path if request.method == "GET" else "/"
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
    return f"{path}?{query}"
