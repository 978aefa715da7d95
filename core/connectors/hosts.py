"""Credentials belong to the connector's host alone.

Every request a connector's client sends (a path, a next link from the API, each hop of a
redirect) passes `HostGuard` first. Bound for a host other than the base URL's (or the OAuth2
token URL's, or one the connector lists in `allowed_hosts`), or downgraded from https to http,
it goes without credentials: no auth or configured header (only plain protocol headers stay),
no API key or secret in its query. The hosts it happened for are kept for the run's log. One with
a body (a redirected POST: a record, or an OAuth2 form holding the client secret) is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import httpx

# what may still go to another host: the protocol's own headers, never a configured one
PLAIN_HEADERS = frozenset(
    {"host", "accept", "accept-encoding", "connection", "user-agent", "content-type",
     "content-length", "transfer-encoding"}
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BodyToOtherHost(httpx.RequestError):
    """A request with a body bound for another host (a 307/308 redirect): refused."""


def _origin(url: httpx.URL) -> tuple[str, int | None]:
    return url.host.lower(), url.port or _DEFAULT_PORTS.get(url.scheme)


class HostGuard:
    """An httpx request hook; `secrets()` gives the values to drop from a foreign query, and
    `param_names()` the auth's query parameter names."""

    def __init__(
        self,
        base_url: str,
        *,
        allowed_hosts: Iterable[str] = (),
        also: Iterable[str] = (),
        secrets: Callable[[], Iterable[str]] = tuple,
        param_names: Callable[[], Iterable[str]] = tuple,
    ) -> None:
        base = httpx.URL(base_url)
        self.secure = base.scheme == "https"
        self.origins = {_origin(base)} | {_origin(httpx.URL(u)) for u in also if u}
        self.hosts: set[str] = set()  # listed without a port: any port
        for entry in allowed_hosts:
            host, _, port = entry.lower().rpartition(":") if ":" in entry else (entry, "", "")
            if port:
                self.origins.add((host, int(port)))
            else:
                self.hosts.add(entry.lower())
        self.secrets = secrets
        self.param_names = param_names
        self.base_host = base.host
        self.withheld: dict[str, int] = {}  # host -> requests sent there without credentials
        self._reported: set[str] = set()

    def allows(self, url: httpx.URL) -> bool:
        if self.secure and url.scheme != "https":
            return False
        origin = _origin(url)
        return origin in self.origins or origin[0] in self.hosts

    async def __call__(self, request: httpx.Request) -> None:
        if self.allows(request.url):
            return
        if request.headers.get("content-length", "0") != "0" or "transfer-encoding" in (
            request.headers
        ):  # a body (a record, an OAuth2 form with the client secret) is not ours to give away
            raise BodyToOtherHost(
                f"not sent: a {request.method} with a body to {request.url.host}, which is not "
                "this connector's host (a next link or redirect led there); if it belongs to the "
                "same API, list it in the connector's allowed_hosts",
                request=request,
            )
        for name in list(request.headers):
            if name.lower() not in PLAIN_HEADERS:
                del request.headers[name]
        names = set(self.param_names())
        secrets = {s for s in self.secrets() if s}
        url = request.url
        for key, value in url.params.multi_items():
            if key in names or value in secrets:
                url = url.copy_remove_param(key)
        request.url = url
        host = request.url.netloc.decode("ascii", "replace")
        self.withheld[host] = self.withheld.get(host, 0) + 1

    def take_withheld(self) -> list[str]:
        """Hosts credentials were withheld from since the last call (each reported once)."""
        new = [h for h in self.withheld if h not in self._reported]
        self._reported.update(new)
        return new
