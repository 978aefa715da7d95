"""Serve an ASGI app with uvicorn on 127.0.0.1 on a free port in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class Served:
    """A running server: `.url`, `.stop()`; also a context manager."""

    def __init__(
        self, app: Any, port: int | None = None, *, host: str = "127.0.0.1", http: Any = "auto"
    ) -> None:
        self.port = port or free_port(host)
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(
            app,
            host=host,
            port=self.port,
            log_level="error",
            access_log=False,
            lifespan="off",
            http=http,  # a protocol class lets a test reach the connection (to reset it)
        )
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self, timeout: float = 10.0) -> Served:
        if self.thread.is_alive():
            return self
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> Served:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(app: Any, port: int | None = None) -> Served:
    return Served(app, port).start()


def main(argv: list[str] | None = None) -> None:
    """`python -m core.sandbox.serve crm|erp PORT [RECORDS [LATENCY_MS]]`: serve in the
    foreground; the CRM answers each request after LATENCY_MS (default 0)."""
    import sys

    from .crm import CrmState, crm_app, make_customers
    from .erp import ErpState, erp_app
    from .faults import Faults

    args = sys.argv[1:] if argv is None else argv
    kind, port = args[0], int(args[1])
    if kind == "crm":
        n = int(args[2]) if len(args) > 2 else 1000
        latency = float(args[3]) if len(args) > 3 else 0.0
        app = crm_app(CrmState(make_customers(n, messy=False), Faults(latency_ms=latency)))
    else:
        app = erp_app(ErpState())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


if __name__ == "__main__":
    main()
