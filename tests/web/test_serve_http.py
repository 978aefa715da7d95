"""The server's refusals over real HTTP on 127.0.0.1: status, one log line, no console started."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import httpx
import pytest

from .serve_kit import start


@pytest.fixture
def served(seeded_db, tmp_path):
    s = start(seeded_db.path, tmp_path, "--max-sessions", "1", "--idle-timeout", "5s")
    yield s
    s.stop()


def _login(client: httpx.Client, url: str, secret: str) -> httpx.Response:
    return client.post(f"{url}/login", data={"secret": secret}, headers={"Origin": url})


def test_refusals_have_their_status_and_log_line_and_start_nothing(served) -> None:
    url = served.url
    with httpx.Client() as client:
        assert client.get(f"{url}/nope").status_code == 404
        assert client.get(f"{url}/").status_code == 303  # to the sign-in page
        assert client.get(f"{url}/ws").status_code == 401
        assert _login(client, url, "not the token").status_code == 401
        cross = client.post(f"{url}/login", data={"secret": served.token},
                            headers={"Origin": "http://evil.example"})  # fmt: skip
        assert cross.status_code == 403
        assert client.get(f"{url}/static/../server.py").status_code == 404
    log = served.log()
    assert "serve: 404 GET /nope from 127.0.0.1: no such page" in log
    assert "serve: 401 POST /login from 127.0.0.1: wrong token" in log
    assert "serve: 403 POST /login" in log
    assert served.token not in log
    assert served.consoles() == []


async def _open(session: aiohttp.ClientSession, url: str, origin: str):
    return await session.ws_connect(f"{url}/ws?width=100&height=30", origin=origin)


async def _painted(ws: aiohttp.ClientWebSocketResponse) -> bytes:
    data = b""
    while b"Total logs" not in data:
        message = await asyncio.wait_for(ws.receive(), 20)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        data += message.data
    return data


async def test_origin_cap_and_idle_timeout(served) -> None:
    url = served.url
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        login = await session.post(f"{url}/login", data={"secret": served.token},
                                   headers={"Origin": url}, allow_redirects=False)  # fmt: skip
        assert login.status == 303
        with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
            await _open(session, url, "http://evil.example")
        assert foreign.value.status == 403
        assert served.consoles() == []
        ws = await _open(session, url, url)
        await _painted(ws)
        await ws.send_json(["resize", {"width": 100, "height": 30}])  # a user: idle from here
        touched = time.monotonic()
        assert len(served.consoles()) >= 1
        with pytest.raises(aiohttp.WSServerHandshakeError) as busy:
            await _open(session, url, url)
        assert busy.value.status == 503
        page = await session.get(f"{url}/")
        assert page.status == 503 and "Too many sessions" in await page.text()
        while not ws.closed:  # no key for 5 s: the server closes the session
            await asyncio.wait_for(ws.receive(), 15)
        assert ws.close_code == 4000
        assert 4 < time.monotonic() - touched < 15
    for _ in range(100):
        if not served.consoles():
            break
        await asyncio.sleep(0.1)
    assert served.consoles() == []
    log = served.log()
    assert "websocket from another origin 'http://evil.example'" in log
    assert "serve: 503 GET /ws" in log and "idle" in log


def test_trusted_header_only_from_the_trusted_proxy(seeded_db, tmp_path) -> None:
    header = ("--trusted-header", "X-Forwarded-User")
    trusted = start(seeded_db.path, tmp_path, *header, token=False)
    untrusted = start(seeded_db.path, tmp_path, *header, "--trusted-proxy", "10.9.9.9",
                      token=False)  # fmt: skip
    try:
        with httpx.Client() as client:
            who = {"X-Forwarded-User": "ana@example.com"}
            assert client.get(f"{trusted.url}/", headers=who).status_code == 200
            assert client.get(f"{trusted.url}/").status_code == 401
            assert client.get(f"{untrusted.url}/", headers=who).status_code == 401
    finally:
        trusted.stop()
        untrusted.stop()


def test_password_sign_in_and_throttle(seeded_db, tmp_path) -> None:
    from web.auth import hash_password

    users = tmp_path / "users"
    users.write_text(f"ana:{hash_password('a long enough password')}\n")
    served = start(seeded_db.path, tmp_path, "--password-file", str(users), token=False)
    url, origin = served.url, {"Origin": served.url}
    try:
        with httpx.Client() as client:
            form = client.get(f"{url}/login").text
            assert 'name="user"' in form and 'name="secret"' in form
            ok = client.post(f"{url}/login", headers=origin,
                             data={"user": "ana", "secret": "a long enough password"})  # fmt: skip
            assert ok.status_code == 303 and "syncdeck_session" in ok.cookies
            assert client.get(f"{url}/").status_code == 200
        with httpx.Client() as stranger:
            codes = [
                stranger.post(f"{url}/login", headers=origin,
                              data={"user": "ana", "secret": f"guess {i}"}).status_code
                for i in range(6)
            ]  # fmt: skip
        assert codes == [401] * 5 + [429]
        assert "serve: 401 POST /login from 127.0.0.1: wrong user or password" in served.log()
        assert "too many failed sign-ins" in served.log()
    finally:
        served.stop()
