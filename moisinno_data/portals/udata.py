"""data.gouv.fr (udata) as a publication target, over its HTTP API v1 with ``requests``.

The same code talks to https://www.data.gouv.fr, https://demo.data.gouv.fr and the local
udata server the tests start. What the network and udata throw at a publisher, and what
this module does about it:

- slow, silent or dropped connections, 5xx, 429: each request has a timeout that fits
  what it sends (:class:`~.http.Budget`: a metadata call is not an upload) and is retried
  with exponential backoff (``tenacity``), honouring ``Retry-After``, until the attempt
  count or the call's deadline; a portal that never answers is one sentence saying for
  what, after how many attempts and how long; a new upload or dataset
  creation is not blindly repeated — before retrying, the dataset is re-read and a copy
  that already landed is adopted, so a lost response never leaves a duplicate;
- a re-upload of the same file name within the same second answers 500 (udata #3024):
  the backoff waits past the second and the retry succeeds;
- a re-upload resets the resource's title to the file name: the metadata ``PUT`` always
  follows the upload;
- a ``PUT`` of the dataset resets every field it omits (tags, coverage…) and makes a
  private dataset public: the full metadata and ``private`` are sent on every write;
  and since a ``PUT`` replaces the whole ``extras`` dict, other people's extras are sent
  back with ours;
- 400/401/403/404 become one French sentence carrying the server's own message.

The API key lives in a :class:`Secret` whose ``repr``/``str`` are masked, is checked
before any request (one line of printable ASCII), is sent only to the portal's own API
(over https unless the portal is on this machine; redirects followed only within the same
scheme, host and port, see :mod:`.http`; downloads go without it, since files may live on
another host), and is scrubbed from every message raised here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from moisinno_data.errors import ConfigError
from moisinno_data.portals import http
from moisinno_data.portals.base import Portal, PortalError, RemoteDataset, RemoteResource
from moisinno_data.portals.content import KEY_EXTRA, PACKAGE_EXTRA, ResourceSpec, slugify_tag

DEFAULT_URL = "https://www.data.gouv.fr"
DEMO_URL = "https://demo.data.gouv.fr"


PROBLEMS_EN = {
    "est vide": "is empty",
    "contient un saut de ligne (une clé tient sur une seule ligne)": (
        "holds a line break (a key is one line)"
    ),
    "contient une espace ou un caractère de contrôle": "holds a space or a control character",
    "contient un caractère non ASCII (accent, guillemet typographique…)": (
        "holds a character that is not ASCII (an accent, a curly quote…)"
    ),
}
"""Why :meth:`Secret.checked` refuses a key, in English."""


class Secret:
    """A string that never shows itself: masked in repr, str, f-strings and tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def checked(cls, value: str, source: str = "la clé d'API", source_en: str = "") -> Secret:
        """A key fit for an HTTP header, else one sentence that never quotes it.

        A key with a line break or a control character (a key file of two lines, a
        Windows ``\\r\\n`` inside) would be refused by the HTTP library with an
        error that prints the header, key included: refuse it here, before any request.
        """
        problem = None
        if not value:
            problem = "est vide"
        elif any(ch in "\r\n\x85\u2028\u2029" for ch in value):
            problem = "contient un saut de ligne (une clé tient sur une seule ligne)"
        elif http.control_characters(value):
            problem = "contient une espace ou un caractère de contrôle"
        elif not value.isascii():
            problem = "contient un caractère non ASCII (accent, guillemet typographique…)"
        if problem:
            raise ConfigError(
                f"Clé d'API refusée : {source} {problem}. Recopiez la clé depuis votre profil "
                "sur le portail, seule sur la première ligne du fichier.",
                en=f"API key refused: {source_en or source} {PROBLEMS_EN.get(problem, problem)}. Copy the "
                "key again from your profile on the portal, alone on the file's first line.",
            )
        return cls(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self):  # pickling would write it out
        raise TypeError("une clé d'API ne se sérialise pas")


def _server_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return text[:200] if text else response.reason or ""
    if not isinstance(body, dict):
        return str(body)[:200]
    parts = []
    if body.get("message"):
        parts.append(str(body["message"]))
    errors = body.get("errors")
    if isinstance(errors, dict):
        for field_name, problems in errors.items():
            if isinstance(problems, list):
                problems = " ; ".join(str(p) for p in problems)
            parts.append(f"{field_name} : {problems}")
    elif errors:
        parts.append(str(errors))
    return " ; ".join(parts) or str(body)[:200]


@dataclass
class _Tries:
    """The attempts one call made so far, and since when: what its failure says."""

    count: int = 0
    start: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def said(self) -> tuple[str, str]:
        """« 2 tentatives », « 1 tentative » (a deadline may end a call after one)."""
        plural = "s" if self.count > 1 else ""
        return f"{self.count} tentative{plural}", f"{self.count} attempt{plural}"


def _body_size(files: dict | None) -> int:
    """Bytes of the files a call uploads (``requests``' ``files`` form): its budget grows
    with them."""
    return sum(len(entry[1]) for entry in (files or {}).values())


SCHEMA_KEYS = ("url", "name", "version")


def _schema(value: Any) -> dict[str, str] | None:
    """A resource's ``schema`` as udata returns it (every key, unset ones null), reduced
    to the keys set, as :meth:`~.content.ResourceSpec.schema_link` writes it."""
    if not isinstance(value, dict):
        return None
    return {k: value[k] for k in SCHEMA_KEYS if value.get(k)} or None


class UdataPortal(Portal):
    """A udata instance. ``api_key`` may be ``None`` for read-only use (public datasets)."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        api_key: str | Secret | None = None,
        organization: str | None = None,
        *,
        budget: http.Budget | None = None,
        attempts: int = 6,
        backoff: float = 1.5,
        max_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        allow_insecure_http: bool = False,
    ) -> None:
        self.base = http.check_url(url, allow_insecure=allow_insecure_http).rstrip("/")
        if self.base.endswith("/api/1"):
            self.base = self.base[: -len("/api/1")]
        self.api = self.base + "/api/1"
        if isinstance(api_key, str):
            api_key = Secret.checked(api_key)
        self._key = api_key
        self.organization = organization
        self.budget = budget or http.PORTAL_BUDGET
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self.session = requests.Session()
        self.calls: list[tuple[str, str]] = []  # (method, path): what tests count
        self.label = self.label_en = self.base
        self._pages: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"UdataPortal({self.base!r}, api_key={'***' if self._key else None})"

    # --- HTTP ----------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        if self._key and self._key.reveal():
            text = text.replace(self._key.reveal(), "***")
        return text

    def _error(self, fr: str, en: str) -> PortalError:
        """A failure, in French and English, the key never in either (a server may echo
        it back in its own message)."""
        return PortalError(self._scrub(fr), en=self._scrub(en))

    def _wait(self, attempt: int, exc: BaseException | None) -> float:
        delay = min(self.backoff * 2 ** (attempt - 1), self.max_wait)
        if isinstance(exc, http.Transient):
            after = http.retry_after(exc.response)
            if after is not None:
                return min(max(after, 0.0), self.max_wait)
            if exc.status >= 500:
                delay = max(delay, 1.1)  # past udata's same-second re-upload clash (#3024)
        return delay

    def _send(
        self, method: str, url: str, auth: bool, body: dict[str, Any], size: int
    ) -> requests.Response:
        """One HTTP exchange, redirects not followed (:func:`http.follow` decides); its
        timeout grows with the ``size`` of the file it sends."""
        headers = {"Accept": "application/json"}
        if auth and self._key is not None:
            headers["X-API-KEY"] = self._key.reveal()
        self.calls.append((method, url.removeprefix(self.api)))
        timeout = self.budget.timeout(size)
        return self.session.request(
            method,
            url,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
            stream=True,
            hooks=http.REDIRECT_HOOKS,
            **body,
        )

    def _exchange(
        self, method: str, path: str, auth: bool, body: dict[str, Any], recover, tries: _Tries
    ) -> requests.Response | Any:
        """Send with retries, within the attempt count and the budget's deadline;
        ``recover`` is asked before each retry whether the previous attempt's effect
        already landed (a lost response to a POST): then its answer."""
        size = _body_size(body.get("files"))

        def once() -> requests.Response | Any:
            tries.count += 1
            if tries.count > 1 and recover is not None:
                landed = recover()
                if landed is not None:
                    return landed
            send = lambda m, u: self._send(m, u, auth, body, size)  # noqa: E731
            response = http.follow(send, method, self.api + path)
            http.read_body(response, self.budget.answer)
            return http.raise_transient(response)

        return http.call(
            once,
            attempts=self.attempts,
            wait=self._wait,
            sleep=self._sleep,
            deadline=self.budget.retry_deadline(size),
        )

    def _request(
        self,
        method: str,
        path: str,
        *,
        what: tuple[str, str],
        json: Any = None,
        files: dict | None = None,
        params: dict | None = None,
        auth: bool = True,
        recover: Callable[[], Any] | None = None,
        missing_ok: bool = False,
    ) -> Any:
        """One API call with retries; returns the decoded JSON (or None for 204/404-ok).
        ``what``: the call, in French and English, for the sentences of a failure."""
        body = {"json": json, "files": files, "params": params}
        fr, en = what
        tries = _Tries()
        try:
            response = self._exchange(method, path, auth, body, recover, tries)
        except http.Transient as exc:
            said = _server_message(exc.response)
            n, n_en = tries.said()
            raise self._error(
                f"Le portail {self.base} répond encore {exc.status} après {n} pour {fr} "
                f"({said}). Réessayez plus tard : la publication reprendra là où elle s'est "
                "arrêtée.",
                f"The portal {self.base} still answers {exc.status} after {n_en} for {en} "
                f"({said}). Try again later: the publication will resume where it stopped.",
            ) from None
        except requests.ReadTimeout:
            raise self._silent(what, tries, _body_size(files)) from None
        except http.BodyRefused as exc:
            said, said_en = exc.said()
            raise self._error(
                f"Pour {fr}, {said}. L'adresse --url est-elle bien celle d'un udata ? "
                "Réessayez plus tard : la publication reprendra là où elle s'est arrêtée.",
                f"For {en}, {said_en}. Is the --url address really a udata? Try again later: "
                "the publication will resume where it stopped.",
            ) from None
        except http.NETWORK_ERRORS as exc:
            n, n_en = tries.said()
            raise self._error(
                f"Impossible de joindre {self.base} pour {fr} après {n} "
                f"({type(exc).__name__}). Vérifiez la connexion et l'adresse (--url), puis "
                "relancez : la publication reprendra là où elle s'est arrêtée.",
                f"Cannot reach {self.base} for {en} after {n_en} ({type(exc).__name__}). "
                "Check the connection and the address (--url), then rerun: the publication "
                "will resume where it stopped.",
            ) from None
        except http.RedirectRefused as exc:
            raise self._error(
                f"Le portail {self.base} redirige {fr} ({exc.status}) {exc.reason} "
                f"({exc.location}) : la clé d'API n'y est pas envoyée. Indiquez avec --url "
                "l'adresse exacte du portail.",
                f"The portal {self.base} redirects {en} ({exc.status}) {exc.reason_en} "
                f"({exc.location}): the API key is not sent there. Give the portal's exact "
                "address with --url.",
            ) from None
        except requests.RequestException as exc:  # an address requests cannot use
            raise self._error(
                f"Requête impossible vers {self.base} pour {fr} : {exc}.",
                f"Request to {self.base} impossible for {en}: {exc}.",
            ) from None
        if not isinstance(response, requests.Response):
            return response  # recovered
        return self._decode(response, what, missing_ok)

    def _silent(self, what: tuple[str, str], tries: _Tries, size: int) -> PortalError:
        """The portal took the connection and never answered, attempt after attempt."""
        fr, en = what
        wait = round(self.budget.timeout(size)[1], 1)
        wait_fr = f"{wait:g}".replace(".", ",")  # a French decimal comma
        spent = tries.elapsed()
        return self._error(
            f"Le portail {self.base} n'a pas répondu pour {fr} : {tries.count} tentative(s) "
            f"en {spent:.0f} s, sans réponse en {wait_fr} s à chacune. Réessayez plus tard "
            "(moisinno publish --dry-run montre d'abord ce qui reste à faire) : la "
            "publication reprendra là où elle s'est arrêtée.",
            f"The portal {self.base} did not answer for {en}: {tries.count} attempt(s) in "
            f"{spent:.0f} s, no answer within {wait:g} s to each. Try again later "
            "(moisinno publish --dry-run first shows what is left to do): the publication "
            "will resume where it stopped.",
        )

    def _decode(self, response: requests.Response, what: tuple[str, str], missing_ok: bool) -> Any:
        """The JSON of a 2xx answer; every other status is a sentence (a 3xx included)."""
        if response.status_code == 404 and missing_ok:
            return None
        if not 200 <= response.status_code < 300:
            self._refuse(response, what)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            fr, en = what
            status = response.status_code
            raise self._error(
                f"Le portail {self.base} a répondu autre chose que du JSON pour {fr} "
                f"(HTTP {status}) : l'adresse --url est-elle bien un udata ?",
                f"The portal {self.base} answered something other than JSON for {en} "
                f"(HTTP {status}): is the --url address really a udata?",
            ) from None

    def _refuse(self, response: requests.Response, what: tuple[str, str]) -> None:
        status = response.status_code
        message = _server_message(response)
        fr, en = what
        if status == 400:
            raise self._error(
                f"Le portail {self.base} a refusé {fr} (400, requête invalide) : {message}.",
                f"The portal {self.base} refused {en} (400, bad request): {message}.",
            )
        if status == 401:
            raise self._error(
                f"Le portail {self.base} refuse la clé d'API (401 : {message}) : vérifiez "
                "DATAGOUV_API_KEY ou --api-key-file (une clé de demo.data.gouv.fr ne vaut pas "
                "pour www.data.gouv.fr, et inversement).",
                f"The portal {self.base} refuses the API key (401: {message}): check "
                "DATAGOUV_API_KEY or --api-key-file (a key of demo.data.gouv.fr is not one of "
                "www.data.gouv.fr, and the other way round).",
            )
        if status == 403:
            raise self._error(
                f"Le portail {self.base} interdit {fr} à ce compte (403 : {message}) : la "
                "clé doit appartenir à un administrateur ou éditeur de l'organisation "
                "propriétaire du jeu de données.",
                f"The portal {self.base} forbids {en} to this account (403: {message}): the "
                "key must belong to an administrator or editor of the organisation that owns "
                "the dataset.",
            )
        if status in (404, 410):
            raise self._error(
                f"Introuvable sur {self.base} : {fr} ({status} : {message}) ; vérifiez "
                "--dataset (identifiant ou slug) et --url.",
                f"Not found on {self.base}: {en} ({status}: {message}); check --dataset "
                "(identifier or slug) and --url.",
            )
        raise self._error(
            f"Le portail {self.base} a répondu {status} pour {fr} : {message}.",
            f"The portal {self.base} answered {status} for {en}: {message}.",
        )

    # --- reading -------------------------------------------------------------------------
    def _resource(self, data: dict[str, Any]) -> RemoteResource:
        checksum = data.get("checksum") or {}
        return RemoteResource(
            id=data["id"],
            title=data.get("title") or "",
            description=data.get("description") or "",
            type=data.get("type") or "other",
            sha1=checksum.get("value") if checksum.get("type") == "sha1" else None,
            url=data.get("url") or "",
            stable_url=data.get("latest") or data.get("url") or "",
            schema=_schema(data.get("schema")),
            extras=dict(data.get("extras") or {}),
        )

    def _dataset(self, data: dict[str, Any]) -> RemoteDataset:
        temporal = data.get("temporal_coverage")
        spatial = data.get("spatial") or {}
        metadata = {
            "title": data.get("title"),
            "description": data.get("description"),
            "license": data.get("license"),
            "frequency": data.get("frequency"),
            "temporal_coverage": (
                {"start": temporal.get("start"), "end": temporal.get("end")} if temporal else None
            ),
            "spatial": {
                "zones": list(spatial.get("zones") or []),
                "granularity": spatial.get("granularity"),
            },
            "tags": sorted(slugify_tag(t) for t in data.get("tags") or []),
            "extras": dict(data.get("extras") or {}),
        }
        self._pages[data["id"]] = data.get("page") or f"{self.base}/datasets/{data['id']}/"
        return RemoteDataset(
            id=data["id"],
            slug=data.get("slug") or data["id"],
            page=self._pages[data["id"]],
            private=bool(data.get("private")),
            metadata=metadata,
            resources=[self._resource(r) for r in data.get("resources") or []],
            quality=data.get("quality"),
        )

    def get_dataset(self, dataset: str, what: tuple[str, str] | None = None) -> RemoteDataset:
        """The dataset as the portal holds it; ``what``: why it is read, for the sentence of
        a failure (a check after a lost answer names the upload it checks)."""
        data = self._request(
            "GET",
            f"/datasets/{dataset}/",
            what=what or (f"le jeu de données {dataset}", f"dataset {dataset}"),
        )
        if data.get("deleted"):  # in udata's bin: its owners still read it, nobody else
            day = str(data["deleted"])[:10]
            raise self._error(
                f"Le jeu de données {dataset} a été supprimé sur {self.base} (le {day}) : "
                "il n'est plus visible sur le portail. Restaurez-le (administration du "
                "portail) puis relancez, ou publiez sans --dataset pour en créer un nouveau "
                "(ses adresses stables seront nouvelles).",
                f"Dataset {dataset} was deleted on {self.base} (on {day}): it is no longer "
                "visible on the portal. Restore it (the portal's administration) then rerun, "
                "or publish without --dataset to create a new one (with new stable "
                "addresses).",
            )
        return self._dataset(data)

    def _find_own(self, package_name: str) -> dict[str, Any] | None:
        """The caller's dataset carrying this package (by its ``moisinno:package`` extra)."""
        if self._key is None:
            raise PortalError(
                "Sans clé d'API, précisez le jeu de données avec --dataset (identifiant ou slug).",
                en="Without an API key, name the dataset with --dataset (identifier or slug).",
            )
        listed = self._request(
            "GET", "/me/org_datasets/", what=("la liste de vos jeux de données", "your datasets")
        )
        found = [
            d
            for d in listed or []
            if (d.get("extras") or {}).get(PACKAGE_EXTRA) == package_name and not d.get("deleted")
        ]
        if len(found) > 1:
            ids = ", ".join(d["id"] for d in found)
            raise PortalError(
                f"Plusieurs jeux de données de {self.base} portent le paquet {package_name} "
                f"({ids}) : choisissez-en un avec --dataset.",
                en=f"Several datasets of {self.base} carry the package {package_name} ({ids}): "
                "choose one with --dataset.",
            )
        return found[0] if found else None

    def snapshot(self, dataset: str | None, package_name: str) -> RemoteDataset | None:
        if dataset:
            return self.get_dataset(dataset)
        own = self._find_own(package_name)
        if own:
            return self.get_dataset(own["id"])
        if self.organization:  # a creation is planned: it would be refused at apply time
            self._check_organization()
        return None

    def _check_organization(self) -> None:
        """``--organization`` names one of the key's organisations (its id, or its slug,
        then replaced by the id udata's creation wants), else one sentence now: the plan
        and ``--dry-run`` must not promise a creation the portal refuses."""
        me = self._request("GET", "/me/", what=("votre profil", "your profile")) or {}
        if "admin" in (me.get("roles") or []):  # a site administrator creates anywhere
            return
        orgs = [o for o in me.get("organizations") or [] if isinstance(o, dict)]
        for org in orgs:
            if self.organization in (org.get("id"), org.get("slug")):
                self.organization = org.get("id") or self.organization
                return
        mine = ", ".join(f"{o.get('id')} ({o.get('slug')})" for o in orgs)
        raise self._error(
            f"L'organisation « {self.organization} » n'est pas l'une des vôtres sur "
            f"{self.base} (les vôtres : {mine or 'aucune'}) : --organization prend "
            "l'identifiant d'une organisation dont la clé d'API est membre, qui y créera le "
            "jeu de données.",
            f"The organisation “{self.organization}” is not one of yours on {self.base} "
            f"(yours: {mine or 'none'}): --organization takes the identifier of an "
            "organisation the API key is a member of, where the dataset will be created.",
        )

    # --- writing -------------------------------------------------------------------------
    def _payload(self, metadata: dict[str, Any], private: bool) -> dict[str, Any]:
        return {**metadata, "private": bool(private)}

    def _create_dataset(self, metadata: dict[str, Any], private: bool) -> RemoteDataset:
        package = metadata["extras"].get(PACKAGE_EXTRA, "")

        def recover():
            own = self._find_own(package)
            return own

        payload = self._payload(metadata, private)
        if self.organization:  # only at creation: an update never moves a dataset
            payload["organization"] = self.organization
        data = self._request(
            "POST",
            "/datasets/",
            json=payload,
            what=("la création du jeu de données", "creating the dataset"),
            recover=recover,
        )
        return self._dataset(data)

    def _update_dataset(self, dataset_id: str, metadata: dict[str, Any], private: bool) -> None:
        self._request(
            "PUT",
            f"/datasets/{dataset_id}/",
            json=self._payload(metadata, private),
            what=(
                f"la mise à jour du jeu de données {dataset_id}",
                f"updating dataset {dataset_id}",
            ),
        )

    def _upload(self, dataset_id: str, spec: ResourceSpec) -> RemoteResource:
        def recover() -> RemoteResource | None:
            checking = (
                f"la vérification de l'envoi de {spec.filename}",
                f"checking the upload of {spec.filename}",
            )
            current = self.get_dataset(dataset_id, checking)
            for res in current.resources:
                if res.sha1 == spec.sha1 and (
                    res.key == spec.key or (res.key is None and res.title == spec.filename)
                ):
                    return res
            return None

        data = self._request(
            "POST",
            f"/datasets/{dataset_id}/upload/",
            files={"file": (spec.filename, spec.data, spec.mime)},
            what=(f"l'envoi de {spec.filename}", f"uploading {spec.filename}"),
            recover=recover,
        )
        return data if isinstance(data, RemoteResource) else self._resource(data)

    def _replace(self, dataset_id: str, resource_id: str, spec: ResourceSpec) -> RemoteResource:
        data = self._request(
            "POST",
            f"/datasets/{dataset_id}/resources/{resource_id}/upload/",
            files={"file": (spec.filename, spec.data, spec.mime)},
            what=(f"le remplacement de {spec.filename}", f"replacing {spec.filename}"),
        )
        return self._resource(data)

    def _describe(
        self,
        dataset_id: str,
        resource_id: str,
        spec: ResourceSpec,
        schema: dict[str, str] | None,
        extras: dict[str, Any],
    ) -> RemoteResource:
        # Every field we manage is sent: udata clears an omitted description.
        payload: dict[str, Any] = {
            "title": spec.title,
            "description": spec.description,
            "type": spec.type,
            "extras": {**extras, **spec.extras},
        }
        if schema:  # all three keys, unset ones null: udata keeps a key left out (a former
            # name beside a new url)
            payload["schema"] = {**dict.fromkeys(SCHEMA_KEYS), **schema}
        data = self._request(
            "PUT",
            f"/datasets/{dataset_id}/resources/{resource_id}/",
            json=payload,
            what=(f"la description de {spec.filename}", f"describing {spec.filename}"),
        )
        return self._resource(data)

    def _delete(self, dataset_id: str, resource_id: str) -> None:
        self._request(
            "DELETE",
            f"/datasets/{dataset_id}/resources/{resource_id}/",
            what=(
                f"la suppression du doublon {resource_id}",
                f"deleting the duplicate {resource_id}",
            ),
            missing_ok=True,
        )

    def _download(self, resource: RemoteResource) -> bytes:
        # Never send the key here: the file may live on another host (static.data.gouv.fr),
        # so redirects may be followed anywhere.
        url = resource.url or resource.stable_url

        def send(method: str, target: str) -> requests.Response:
            return self.session.request(
                method,
                target,
                timeout=self.budget.timeout(),
                stream=True,
                allow_redirects=False,
                hooks=http.REDIRECT_HOOKS,
            )

        def once() -> bytes:
            with http.follow(send, "GET", url, any_origin=True) as response:
                if response.status_code >= 300:  # its body is not wanted: never read
                    http.raise_transient(response)
                    raise PortalError(
                        f"Téléchargement de {resource.title} impossible ({response.status_code}).",
                        en=f"Cannot download {resource.title} ({response.status_code}).",
                    )
                return http.read_body(response, self.budget.file)

        try:
            return http.call(
                once,
                attempts=self.attempts,
                wait=self._wait,
                sleep=self._sleep,
                deadline=self.budget.retry_deadline(),
            )
        except (*http.NETWORK_ERRORS, http.Transient) as exc:
            raise PortalError(
                f"Téléchargement de {url} impossible : {exc}.",
                en=f"Cannot download {url}: {exc}.",
            ) from None
        except http.RedirectRefused as exc:
            raise PortalError(
                f"Téléchargement de {resource.title} impossible : redirection ({exc.status}) "
                f"{exc.reason} ({http.shown(exc.location)}).",
                en=f"Cannot download {resource.title}: redirect ({exc.status}) {exc.reason_en} "
                f"({http.shown(exc.location)}).",
            ) from None
        except http.BodyRefused as exc:
            said, said_en = exc.said()
            raise PortalError(
                f"Téléchargement de {resource.title} impossible : {said}. Vérifiez ce "
                f"fichier sur {self.base}, puis relancez.",
                en=f"Cannot download {resource.title}: {said_en}. Check this file on "
                f"{self.base}, then rerun.",
            ) from None

    def _after_apply(self, dataset_id: str, plan) -> str:
        return self._pages.get(dataset_id, f"{self.base}/datasets/{dataset_id}/")


__all__ = ["DEFAULT_URL", "DEMO_URL", "KEY_EXTRA", "Secret", "UdataPortal"]
