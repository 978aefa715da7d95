"""screenshots/17-browser.png: the console as `syncdeck serve` shows it in a browser.

Seeds a demo store (`syncdeck demo --seed-only`), serves it read-only with a token, signs in with
Debian's headless Chromium and captures the Runs list. Run: .venv/bin/python screenshots/browser.py
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "17-browser.png"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="syncdeck-shot-"))
    db, token = tmp / "demo.db", tmp / "token"
    token.write_text(secrets.token_urlsafe(24))
    subprocess.run([sys.executable, "-m", "core.cli", "demo", "--seed-only", "--db", str(db)],
                   check=True, capture_output=True)  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "core.cli", "serve", "--db", str(db),
                               "--port", str(port), "--token-file", str(token)])  # fmt: skip
    try:
        time.sleep(3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(f"http://127.0.0.1:{port}/")
            page.fill("#secret", token.read_text())
            page.click("button[type=submit]")
            page.wait_for_timeout(6000)
            page.locator("#terminal").click()
            page.keyboard.press("v")
            page.wait_for_timeout(3000)
            page.screenshot(path=str(OUT))
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print(OUT)


if __name__ == "__main__":
    main()
