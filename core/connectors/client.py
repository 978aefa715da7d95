"""The HTTP client of one connector: auth, budget, retries with backoff, one row per attempt.

Retries 429, 5xx, timeouts and connection errors with exponential backoff and jitter, honours
Retry-After (seconds or an HTTP date), stops after `retry.attempts`. Every attempt becomes its
own CallRow (redacted) in `Exchange.calls`; the engine attaches them to its run, step and page.

A request that is not idempotent (POST, PATCH, unless the caller says otherwise) is never resent
blindly: only when it surely never reached the server (no connection, 429, 401 before a token
refresh). A timeout, a reset, a cut body or a 5xx after it was sent leaves it `ambiguous`: it may
have been processed, and the caller decides (look it up, resend with an idempotency key, fail).
"""

from __future__ import annotations

import asyncio
import email.utils
import json as jsonlib
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from ..config import ConnectorConfig
from ..store.records import CallRow
from ..text import clean
from . import wire_json
from .auth import Auth, build_auth, static_headers
from .hosts import BodyToOtherHost, HostGuard
from .interrupt import Interrupt, Interrupted
from .ratelimit import RateLimiter
from .redact import Redactor

RETRY_STATUS = {429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529}
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# the request never left this host: resending cannot double anything
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class ResponseError(Exception):
    """A response the engine cannot use (not JSON, no data selector...): a reason in words."""


@dataclass(slots=True)
class Exchange:
    """The outcome of one logical request after all its attempts."""

    method: str
    url: str  # redacted
    response: httpx.Response | None = None
    calls: list[CallRow] = field(default_factory=list)
    error: str = ""
    retries: int = 0
    rate_limited: bool = False
    duration_ms: int = 0
    headroom: float | None = None  # share of the API's rate-limit budget left, 0..1
    # sent, but no usable answer (timeout, reset, cut body, 5xx): it may have been processed
    ambiguous: bool = False

    @property
    def status(self) -> int | None:
        return None if self.response is None else self.response.status_code

    @property
    def ok(self) -> bool:
        return not self.error and self.response is not None

    def json(self) -> Any:
        if self.response is None:
            raise ResponseError(self.error or "no response")
        try:
            return wire_json.loads(self.response.content)
        except (ValueError, UnicodeDecodeError):
            ctype = self.response.headers.get("content-type", "unknown")
            raise ResponseError(
                f"the response of {self.method} {self.url} is not JSON (content-type {ctype})"
            ) from None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_SSL: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context per process: building one loads the CA bundle (~0.1 s of CPU),
    which every run paid twice (source and destination) before its first request."""
    global _SSL
    if _SSL is None:
        _SSL = httpx.create_ssl_context()
    return _SSL


class Client:
    """One connector's httpx.AsyncClient with its auth, redactor, budget and retry rules."""

    def __init__(
        self,
        name: str,
        cfg: ConnectorConfig,
        *,
        connector_id: int | None = None,
        environ: dict[str, str] | None = None,
        auth: Auth | None = None,
        limiter: RateLimiter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        capture_limit: int | None = None,
    ) -> None:
        self.name = name
        self.cfg = cfg
        self.connector_id = connector_id
        self.base_url = cfg.base_url
        self.auth = auth or build_auth(name, cfg, environ)
        headers, header_secrets = static_headers(name, cfg, environ)
        self.redactor = Redactor([*self.auth.secrets, *header_secrets])
        rl = cfg.rate_limit
        from .headroom import HeadroomLimiter
        from .presets import headroom_parser

        self.limiter = limiter or HeadroomLimiter(rl.requests_per_second, rl.concurrency, rl.burst)
        self.headroom_of = headroom_parser(cfg)
        self._sleep = sleep
        self._rng = rng
        self.capture_limit = capture_limit  # None: bodies are not stored
        self.guard = HostGuard(
            self.base_url,
            allowed_hosts=cfg.allowed_hosts,
            also=[getattr(self.auth, "token_url", "")],
            secrets=lambda: [*self.auth.secrets, *header_secrets],
            param_names=lambda: self.auth.params.keys(),
        )  # credentials go to the connector's own host only
        self.http = httpx.AsyncClient(
            headers=headers,
            timeout=cfg.timeout,
            transport=transport,
            verify=shared_ssl_context() if transport is None else True,
            limits=httpx.Limits(
                max_connections=max(rl.concurrency, 1) * 2,
                max_keepalive_connections=max(rl.concurrency, 1) * 2,
            ),
            follow_redirects=True,
            event_hooks={"request": [self.guard]},
        )
        self.requests = 0
        self.interrupt: Interrupt | None = None

    async def aclose(self) -> None:
        await self.http.aclose()

    def url_for(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self.base_url + ("" if path_or_url.startswith("/") else "/") + path_or_url

    def backoff(self, attempt: int) -> float:
        r = self.cfg.retry
        delay = min(r.backoff_max, r.backoff_base * (2 ** (attempt - 1)))
        return delay / 2 + self._rng() * delay / 2

    def _body(self, text: str | None) -> str | None:
        if self.capture_limit is None or text is None:
            return None
        # Redact, then cut; only the head that can reach the kept part is redacted (a 1 MB page
        # costs what its first few KB do).
        head = text[: self.capture_limit + self.redactor.reach]
        return (self.redactor.text(head) or "")[: self.capture_limit]

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        idempotent: bool | None = None,
        data: list[tuple[str, str]] | None = None,
    ) -> Exchange:
        """One logical request. `idempotent` (default: by method) says whether an attempt whose
        answer was lost may be resent; when not, such an attempt ends the exchange `ambiguous`.
        `data`: form fields, sent application/x-www-form-urlencoded."""
        if idempotent is None:
            idempotent = method.upper() in IDEMPOTENT_METHODS
        url = self.url_for(path_or_url)
        retry = self.cfg.retry
        ex = Exchange(method=method, url=self.redactor.url(url))
        t_all = time.perf_counter()
        refreshed = False
        attempt = 0
        error = ""
        body: bytes | None = None  # the JSON body, written once for every attempt
        while True:
            attempt += 1
            if self._refused(attempt):
                ex.error = self._refusal(error)
                break
            await self.auth.prepare(self)
            merged = {**self.auth.params, **(params or {})} or None
            sent = _with_query(url, merged)
            ex.url = self.redactor.url(sent)  # the page, cursor or offset asked for, masked
            req_headers = {**self.auth.headers, **(headers or {})}
            if data is not None:
                req_headers["Content-Type"] = "application/x-www-form-urlencoded"
            send_headers = req_headers
            if json is not None and data is None and not self._content_type_set(req_headers):
                send_headers = {**req_headers, "Content-Type": "application/json"}  # as json=
            started = time.time()
            t0 = time.perf_counter()
            resp: httpx.Response | None = None
            error = ""
            lost = False  # sent, answer lost
            try:
                async with self.limiter.slot():
                    self.requests += 1
                    try:
                        # merged into the URL's own query: httpx would replace it (a next
                        # link's cursor) with `params`
                        target = httpx.URL(url).copy_merge_params(merged) if merged else url
                        if data is not None:
                            content: bytes | str | None = urlencode(data)
                        elif json is not None:  # NaN: ValueError, as httpx's json= raised
                            if body is None:
                                body = wire_json.dumps(json)
                            content = body
                        else:
                            content = None
                        resp = await self.http.request(
                            method, target, headers=send_headers, content=content
                        )
                    except httpx.TimeoutException as exc:
                        error = f"timed out after {self.cfg.timeout:g}s"
                        lost = not isinstance(exc, NOT_SENT)
                    except httpx.TransportError as exc:
                        error = _transport_words(url, exc)
                        lost = not isinstance(exc, NOT_SENT)
                    except (httpx.RequestError, httpx.InvalidURL, ValueError) as exc:
                        # a URL httpx cannot send, too many redirects, an undecodable body
                        call = self._call(method, sent, started, merged, req_headers, t0)
                        self._unsendable(ex, call, exc, idempotent, attempt)
                        break
            except Interrupted:  # a rate-limit pause cut short: this attempt was never sent
                ex.error = self._refusal(ex.calls[-1].error if ex.calls else "")
                break
            call = self._call(method, sent, started, merged, req_headers, t0, resp, attempt)
            if json is not None and self.capture_limit is not None:
                call.request_body = self._body(jsonlib.dumps(json, ensure_ascii=False))
            elif data is not None and self.capture_limit is not None:
                call.request_body = self._body(urlencode(data))
            wait: float | None = None
            if resp is not None:
                call.status_code = resp.status_code
                call.response_headers = self.redactor.headers(resp.headers)
                if self.capture_limit is not None:  # decoding the body as text costs
                    call.response_body = self._body(resp.text)
                ex.response = resp
                ex.headroom = self.headroom_of(resp.headers)
                if ex.headroom is not None:
                    self.limiter.set_headroom(ex.headroom)
                status = resp.status_code
                if status < 400:
                    ex.calls.append(call)
                    break
                error = self._status_words(resp)
                if not idempotent and status != 429 and (status >= 500 or status == 408):
                    lost = True  # the server may have done it before failing to answer
                elif status in RETRY_STATUS:
                    after = parse_retry_after(resp.headers.get("retry-after"))
                    if after is not None:
                        wait = min(after, retry.retry_after_max)
                    if status == 429:
                        ex.rate_limited = True
                        wait = wait if wait is not None else self.backoff(attempt)
                        self.limiter.pause(wait)
                elif status == 401 and not refreshed and await self.auth.refresh(self):
                    refreshed = True
                    call.error = error
                    ex.calls.append(call)
                    ex.retries += 1
                    continue
                else:
                    call.error = error
                    ex.calls.append(call)
                    ex.error = error
                    break
            call.error = error
            ex.calls.append(call)
            if lost and not idempotent:
                ex.ambiguous = True
                ex.error = f"{error} (not resent: the request may have been processed)"
                break
            if attempt >= retry.attempts:
                ex.error = f"{error} (gave up after {attempt} attempts)" if attempt > 1 else error
                break
            delay = wait if wait is not None else self.backoff(attempt)
            if self.interrupt is not None and await self.interrupt.sleep(delay, self._sleep):
                ex.error = self._refusal(error)  # cancelled while waiting: not retried
                break
            if self.interrupt is None:
                await self._sleep(delay)
            ex.retries += 1
        ex.duration_ms = int((time.perf_counter() - t_all) * 1000)
        return ex

    def _content_type_set(self, req_headers: dict[str, str]) -> bool:
        """A Content-Type of the request's or the connector's own: httpx's json= kept it."""
        return "content-type" in self.http.headers or any(
            k.lower() == "content-type" for k in req_headers
        )

    def set_interrupt(self, interrupt: Interrupt) -> None:
        """Waits end at once when the run is cancelled; nothing is sent once it is halted."""
        self.interrupt = interrupt
        self.limiter.interrupt = interrupt

    def _refused(self, attempt: int) -> bool:
        i = self.interrupt
        return i is not None and (i.send_nothing or (attempt > 1 and i.is_set))

    def _refusal(self, error: str) -> str:
        reason = self.interrupt.reason if self.interrupt is not None else "stopped"
        return f"{error} (not retried: {reason})" if error else f"not sent: {reason}"

    def _call(
        self,
        method: str,
        url: str,
        started: float,
        params: dict[str, Any] | None,
        headers: dict[str, str],
        t0: float,
        resp: httpx.Response | None = None,
        attempt: int = 1,
    ) -> CallRow:
        if resp is not None and not self.guard.allows(resp.request.url):
            params, headers = None, {}  # withheld from another host: record what went there
        return CallRow(
            run_id=0,
            method=method,
            url=self.redactor.url(str(resp.request.url) if resp is not None else url),
            started_at=started,
            connector_id=self.connector_id,
            params=self.redactor.params(params),
            duration_ms=int((time.perf_counter() - t0) * 1000),
            attempt=attempt,
            request_headers=self.redactor.headers(headers),
        )

    async def pause(self, attempt: int) -> bool:
        """The backoff before attempt `attempt + 1` of something the caller retries itself.
        True when the run was cancelled meanwhile (then nothing should be sent again)."""
        delay = self.backoff(attempt)
        if self.interrupt is not None:
            return await self.interrupt.sleep(delay, self._sleep)
        await self._sleep(delay)
        return False

    def _unsendable(
        self, ex: Exchange, call: CallRow, exc: Exception, idempotent: bool, attempt: int
    ) -> None:
        """An attempt httpx could not make or finish (bad URL, too many redirects...)."""
        words = clean(self.redactor.text(str(exc)) or "", 200, single_line=True)
        ex.error = call.error = f"{ex.method} {ex.url} failed: {words or type(exc).__name__}"
        sent = not isinstance(exc, (httpx.InvalidURL, ValueError, BodyToOtherHost))
        ex.ambiguous = sent and not idempotent
        call.attempt = attempt
        ex.calls.append(call)

    def _status_words(self, resp: httpx.Response) -> str:
        reason = resp.reason_phrase or ""
        body = ""
        try:
            body = resp.text
        except (UnicodeDecodeError, httpx.ResponseNotRead):
            body = ""
        snippet = clean(self.redactor.text(body), 200, single_line=True)
        return f"HTTP {resp.status_code} {reason}".strip() + (f": {snippet}" if snippet else "")


def _with_query(url: str, params: dict[str, Any] | None) -> str:
    """The URL as sent: `params` merged into its own query (what httpx sends)."""
    if not params:
        return url
    try:
        return str(httpx.URL(url).copy_merge_params(params))
    except (httpx.InvalidURL, ValueError, TypeError):
        return url  # httpx refuses it when sending: the error says why


def _transport_words(url: str, exc: Exception) -> str:
    host = urlsplit(url).netloc
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect to {host} ({clean(str(exc), 120, single_line=True)})"
    return f"connection to {host} failed: {clean(str(exc) or type(exc).__name__, 120)}"
