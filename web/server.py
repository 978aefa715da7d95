"""The aiohttp application: sign-in, the console page, its websocket, downloads, local assets.

Every refusal is one log line (`serve: 401 POST /login from 127.0.0.1: wrong token`) and the
right HTTP status; no console process starts for a refused request.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

import textual_serve
from aiohttp import web

from . import render
from .auth import COOKIE, Checker, Sessions, Throttle
from .options import ServeOptions
from .sessions import Consoles

log = logging.getLogger("syncdeck.serve")
STATIC = Path(textual_serve.__file__).parent / "static"
PUBLIC = {"/login", "/pages/base.css", "/favicon.ico"}


def _refuse(request: web.Request, status: int, why: str) -> None:
    log.warning("serve: %d %s %s from %s: %s", status, request.method, request.path,
                request.remote, why)  # fmt: skip


class WebServer:
    def __init__(self, options: ServeOptions, checker: Checker, command: str) -> None:
        self.options = options
        self.checker = checker
        self.sessions = Sessions()
        self.throttle = Throttle()
        self.consoles = Consoles(command, options.max_sessions, options.idle_timeout)

    # ---- who is asking -------------------------------------------------------------------
    def user_of(self, request: web.Request) -> str | None:
        if self.checker.mode == "none":
            return "local"
        if self.checker.mode == "proxy":
            header = self.options.trusted_header or ""
            if request.remote != self.options.trusted_proxy:
                return None
            return request.headers.get(header) or None
        return self.sessions.user(request.cookies.get(COOKIE))

    def origin(self, request: web.Request) -> str:
        """The origin the browser must show: --public-url's, or the address it asked for."""
        if self.options.public_url:
            parts = urlsplit(self.options.public_url)
            return f"{parts.scheme}://{parts.netloc}"
        return f"{request.scheme}://{request.host}"

    def same_origin(self, request: web.Request) -> bool:
        return request.headers.get("Origin") == self.origin(request)

    # ---- middleware: unknown paths, then sign-in ------------------------------------------
    @web.middleware
    async def guard(self, request: web.Request, handler):  # type: ignore[no-untyped-def]
        if request.match_info.route.resource is None:
            _refuse(request, 404, "no such page")
            return render.message(404, "Not found", "There is no such page here.")
        if request.path in PUBLIC or request.path.startswith("/static/"):
            return await handler(request)
        user = self.user_of(request)
        if user is None:
            _refuse(request, 401, "not signed in")
            if request.path == "/" and self.checker.mode in ("token", "password"):
                raise web.HTTPSeeOther("/login")
            return render.message(401, "Sign-in needed", "Sign in to open the console.")
        request["user"] = user
        return await handler(request)

    # ---- pages -----------------------------------------------------------------------------
    async def login_form(self, request: web.Request) -> web.StreamResponse:
        if self.checker.mode not in ("token", "password"):
            raise web.HTTPSeeOther("/")
        return render.login(self.checker.mode)

    async def login(self, request: web.Request) -> web.StreamResponse:
        peer = request.remote or "?"
        if self.checker.mode not in ("token", "password"):
            raise web.HTTPSeeOther("/")
        if not self.same_origin(request):
            _refuse(
                request,
                403,
                f"sign-in posted from another origin {request.headers.get('Origin')!r}",
            )
            return render.message(403, "Refused", "Sign in from this server's own page.")
        if self.throttle.blocked(peer):
            _refuse(request, 429, "too many failed sign-ins")
            return render.message(429, "Too many attempts", "Wait a minute, then try again.")
        form = await request.post()
        user = self.checker.verify(str(form.get("user", "")), str(form.get("secret", "")))
        if user is None:
            self.throttle.failed(peer)
            what = "token" if self.checker.mode == "token" else "user or password"
            _refuse(request, 401, f"wrong {what}")
            return render.login(self.checker.mode, f"Wrong {what}.", status=401)
        log.info("serve: %s signed in from %s", user, peer)
        response = web.HTTPSeeOther("/")
        secure = self.origin(request).startswith("https://")
        response.set_cookie(COOKIE, self.sessions.open(user), httponly=True, samesite="Strict",
                            secure=secure, path="/")  # fmt: skip
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        self.sessions.close(request.cookies.get(COOKIE))
        response = web.HTTPSeeOther("/login" if self.checker.mode in ("token", "password") else "/")
        response.del_cookie(COOKIE, path="/")
        raise response

    async def index(self, request: web.Request) -> web.StreamResponse:
        if self.consoles.full():
            _refuse(request, 503, f"session cap of {self.options.max_sessions} reached")
            return self._busy()
        origin = self.origin(request)
        scheme, rest = origin.split(":", 1)
        ws_url = ("wss:" if scheme == "https" else "ws:") + rest + "/ws"
        size = request.query.get("fontsize", "16")
        font_size = size if size.isdigit() and 8 <= int(size) <= 40 else "16"
        return render.page("index.html", ws_url=ws_url, font_size=font_size)

    def _busy(self) -> web.Response:
        return render.message(
            503, "Too many sessions",
            f"All {self.options.max_sessions} console sessions are in use. Close a tab you no "
            "longer need, or try again in a few minutes.",
        )  # fmt: skip

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.same_origin(request):
            _refuse(
                request, 403, f"websocket from another origin {request.headers.get('Origin')!r}"
            )
            return render.message(403, "Refused", "This console only answers its own page.")
        if self.consoles.full():
            _refuse(request, 503, f"session cap of {self.options.max_sessions} reached")
            return self._busy()
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        await ws.prepare(request)
        width = _int(request.query.get("width"), 80, 20, 500)
        height = _int(request.query.get("height"), 24, 5, 200)
        await self.consoles.run(ws, width, height, request["user"])
        return ws

    async def download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            meta = await self.consoles.downloads.get_download_metadata(key)
        except KeyError:
            _refuse(request, 404, "no such download")
            return render.message(404, "Not found", "That download has expired or never existed.")
        response = web.StreamResponse(headers={"Cache-Control": "no-store"})
        response.content_type = meta.mime_type
        if meta.encoding:
            response.charset = meta.encoding
        name = Path(meta.file_name).name.replace('"', "")
        mode = "inline" if meta.open_method == "browser" else "attachment"
        response.headers["Content-Disposition"] = f'{mode}; filename="{name}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        await response.prepare(request)
        async for chunk in self.consoles.downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def no_icon(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def css(self, request: web.Request) -> web.StreamResponse:
        return render.css()

    async def _on_shutdown(self, app: web.Application) -> None:
        await self.consoles.stop_all()

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=64 * 1024)
        app.add_routes([
            web.get("/", self.index),
            web.get("/login", self.login_form),
            web.post("/login", self.login),
            web.post("/logout", self.logout),
            web.get("/ws", self.websocket),
            web.get("/download/{key}", self.download),
            web.get("/pages/base.css", self.css),
            web.get("/favicon.ico", self.no_icon),
            web.static("/static", STATIC, show_index=False, follow_symlinks=False),
        ])  # fmt: skip
        app.on_shutdown.append(self._on_shutdown)
        return app


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value or default), low), high)
    except ValueError:
        return default
