"""What the tests share: the running service the harness (test/sdk-python.e2e-spec.ts) started, and helpers."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from typing import Any, Callable, List

from tunetrail import TuneTrail, TuneTrailManagement


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set: these tests run against a started service, "
            "through `npm run test:e2e -- test/sdk-python.e2e-spec.ts`"
        )
    return value


BASE_URL = env("TUNETRAIL_TEST_API_URL")
EMAIL = env("TUNETRAIL_TEST_EMAIL")
PASSWORD = env("TUNETRAIL_TEST_PASSWORD")

TRACK_SCOPES = ["read:tracks", "write:tracks", "delete:tracks", "read:recommendations"]
PRO_SCOPES = TRACK_SCOPES + ["read:audio_features", "write:audio_features", "read:analytics"]


def management() -> TuneTrailManagement:
    """A management client logged in as the harness' Pro account."""
    client = TuneTrailManagement(base_url=BASE_URL)
    client.auth.login(email=EMAIL, password=PASSWORD)
    return client


def new_key(scopes: List[str] = PRO_SCOPES, **params: Any) -> Any:
    return management().api_keys.create(name=f"py {uuid.uuid4().hex[:8]}", scopes=scopes, **params)


def count_requests(client: Any) -> List[int]:
    """Counts the requests `client` really sends (one list item per attempt)."""
    calls: List[int] = []
    urlopen: Callable[..., Any] = client._urlopen

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return urlopen(*args, **kwargs)

    client._urlopen = counted
    return calls


def closed_port_url() -> str:
    """A loopback address where nothing listens (a port just released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class HungServer:
    """A TCP server that accepts connections and never answers (a stalled server)."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._held: List[socket.socket] = []
        self._stop = threading.Event()
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self._socket.settimeout(0.1)
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            self._held.append(connection)

    def close(self) -> None:
        self._stop.set()
        for connection in self._held:
            connection.close()
        self._socket.close()


def until_left_in_minute(left: float) -> None:
    """Sleeps until `left` seconds remain in a UTC minute (this one or the next)."""
    time.sleep((60 - time.time() % 60 - left) % 60)


def await_room_in_minute(margin: float = 10) -> None:
    """Waits for the next minute when fewer than `margin` seconds are left in this one."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.05)
