"""`syncdeck serve` driven by a real headless Chromium (Debian's package, no browser download).

The terminal is drawn on a canvas, so what the console painted is read from the websocket
frames the browser received; keys are typed into the page as a user would.
"""

from __future__ import annotations

import csv
import io
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .serve_kit import free_port, start

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: .ci/run installs it"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Screen:
    """Everything the page's websocket received, as bytes."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload: bytes | str) -> None:
        self.frames.append(payload if isinstance(payload, bytes) else payload.encode())

    def mark(self) -> int:
        return len(self.frames)

    def wait_for(self, text: str, since: int = 0, timeout: float = 40) -> None:
        needle = text.encode()
        for _ in range(int(timeout * 10)):
            if needle in b"".join(self.frames[since:]):
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{text!r} never painted")


def _sign_in(page: Page, url: str, secret: str) -> None:
    page.goto(f"{url}/")
    assert page.url.endswith("/login")
    page.fill("#secret", secret)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_sign_in_paint_drill_down_and_export_download(browser: Browser, seeded_db, tmp_path):
    served = start(seeded_db.path, tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    try:
        page = context.new_page()
        screen = Screen(page)
        _sign_in(page, served.url, "wrong token, surely")
        assert "Wrong token." in page.content()
        assert served.consoles() == []
        _sign_in(page, served.url, served.token)
        screen.wait_for("Total logs")
        page.locator("#terminal").click()
        mark = screen.mark()
        page.keyboard.press("v")  # the Runs list, once its rows are in
        screen.wait_for("success", since=mark)
        mark = screen.mark()
        page.keyboard.press("Enter")  # into the newest run: its steps
        screen.wait_for("Steps", since=mark)
        with page.expect_download() as delivered:
            page.keyboard.press("e")
        download = delivered.value
        assert download.suggested_filename.startswith("syncdeck-steps-")
        rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
        assert rows[0][:4] == ["id", "run_id", "stream", "status"]
        assert len(rows) >= 2  # the run's steps, one row each
        assert not list(tmp_path.glob("*.csv")), "export wrote a file on the server"
        with context.expect_page() as opened:  # `y` copies through the browser, not OSC 52
            page.keyboard.press("y")
        copied = opened.value
        copied.wait_for_load_state()
        assert copied.inner_text("body").strip() in {row[2] for row in rows[1:]}  # a stream
    finally:
        context.close()
        served.stop()


class _Evil(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = (
            "<script>const ws = new WebSocket('" + self.target + "');"
            "ws.onopen = () => document.title = 'opened';"
            "ws.onclose = () => { if (document.title !== 'opened') document.title = 'refused'; };"
            "</script>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_foreign_origin_page_and_session_cap(browser: Browser, seeded_db, tmp_path):
    served = start(seeded_db.path, tmp_path, "--max-sessions", "1")
    _Evil.target = served.url.replace("http:", "ws:") + "/ws"
    evil = ThreadingHTTPServer(("127.0.0.1", free_port()), _Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        _sign_in(page, served.url, served.token)  # the cookie is there, same site
        Screen(page).wait_for("Total logs")
        other = context.new_page()
        response = other.goto(f"{served.url}/")
        assert response is not None and response.status == 503
        assert "Too many sessions" in other.content()
        page.close()  # the first session ends: a slot is free again
        attacker = context.new_page()
        attacker.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        attacker.wait_for_function("document.title !== ''", timeout=10000)
        assert attacker.title() == "refused"
        assert "websocket from another origin" in served.log()
    finally:
        context.close()
        evil.shutdown()
        served.stop()
