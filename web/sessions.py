"""Console sessions: one console process per browser tab, capped, ended when idle."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

log = logging.getLogger("syncdeck.serve")

IDLE_CLOSE_CODE = 4000  # the page shows "Session ended"


class Consoles:
    """The live console processes; `full()` before starting another."""

    def __init__(self, command: str, cap: int, idle_timeout: float) -> None:
        self.command = command
        self.cap = cap
        self.idle_timeout = idle_timeout
        self.live: set[AppService] = set()
        self.downloads = DownloadManager()

    def full(self) -> bool:
        return len(self.live) >= self.cap

    async def run(self, ws: web.WebSocketResponse, width: int, height: int, who: str) -> None:
        """Start a console for this websocket and pump messages until either side ends. Idle
        time counts from the console's first output (a slow start is not the user's idleness)
        and from each key or resize after it."""
        last_input = [time.monotonic()]
        painted = asyncio.Event()

        async def write_bytes(data: bytes) -> None:
            if not painted.is_set():
                painted.set()
                last_input[0] = time.monotonic()
            await ws.send_bytes(data)

        service = AppService(
            self.command,
            write_bytes=write_bytes,
            write_str=ws.send_str,
            close=ws.close,
            download_manager=self.downloads,
        )
        self.live.add(service)
        log.info("serve: session started for %s (%d of %d)", who, len(self.live), self.cap)
        watchdog = asyncio.create_task(self._idle_watch(ws, last_input, painted, who))
        try:
            await service.start(width, height)
            await _pump(ws, service, lambda: last_input.__setitem__(0, time.monotonic()))
        finally:
            watchdog.cancel()
            self.live.discard(service)
            await service.stop()
            log.info("serve: session ended for %s", who)

    async def _idle_watch(
        self, ws: web.WebSocketResponse, last: list[float], painted: asyncio.Event, who: str
    ) -> None:
        await painted.wait()
        while not ws.closed:
            idle = time.monotonic() - last[0]
            if idle >= self.idle_timeout:
                log.info("serve: closing %s's session after %.0f s idle", who, idle)
                await ws.close(code=IDLE_CLOSE_CODE, message=b"idle")
                return
            await asyncio.sleep(min(5.0, self.idle_timeout - idle + 0.05))

    async def stop_all(self) -> None:
        await asyncio.gather(*(s.stop() for s in list(self.live)), return_exceptions=True)


async def _pump(
    ws: web.WebSocketResponse, service: AppService, touched: Callable[[], None]
) -> None:
    handlers: dict[str, Callable[[object], Awaitable[object]]] = {
        "stdin": lambda data: service.send_bytes(str(data).encode("utf-8")),
        "resize": lambda data: service.set_terminal_size(int(data["width"]), int(data["height"])),  # type: ignore[index]
        "ping": lambda data: ws.send_json(["pong", data]),
        "blur": lambda _data: service.blur(),
        "focus": lambda _data: service.focus(),
    }
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            kind, data = message.json()
            handler = handlers.get(kind)
        except (ValueError, TypeError):
            continue  # not an envelope the page sends: ignore it
        if handler is None:
            continue
        if kind in ("stdin", "resize"):
            touched()
        try:
            await handler(data)
        except (KeyError, TypeError, ValueError):
            continue
