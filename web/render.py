"""The few HTML pages the server writes itself (the console page, sign-in, messages)."""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files
from string import Template

from aiohttp import web

SECURITY_HEADERS = {
    # Everything comes from this server: no CDN, no inline script, no framing by other sites.
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; font-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes form posts say Origin: null
    "Cache-Control": "no-store",
}


@cache
def _template(name: str) -> Template:
    return Template(files("web.pages").joinpath(name).read_text(encoding="utf-8"))


def css() -> web.Response:
    body = files("web.pages").joinpath("base.css").read_text(encoding="utf-8")
    return web.Response(text=body, content_type="text/css", headers=SECURITY_HEADERS)


def page(name: str, status: int = 200, **values: str) -> web.Response:
    """`values` are escaped unless their key ends in `_html` (markup this module wrote)."""
    safe = {k: v if k.endswith("_html") else html.escape(v) for k, v in values.items()}
    body = _template(name).substitute(safe)
    return web.Response(text=body, status=status, content_type="text/html",
                        headers=SECURITY_HEADERS)  # fmt: skip


def message(status: int, title: str, text: str) -> web.Response:
    return page("message.html", status, title=title, text=text)


def login(mode: str, error: str = "", status: int = 200) -> web.Response:
    user_html = ""
    if mode == "password":
        user_html = (
            '<label for="user">User</label>'
            '<input id="user" name="user" autocomplete="username" required>'
        )
    label = "Password" if mode == "password" else "Access token"
    return page("login.html", status, error=error, user_field_html=user_html, secret_label=label)
