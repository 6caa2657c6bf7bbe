"""Logging in: guesses are throttled per address and per user, unknown users take as long to refuse
as known ones, and a session can be ended."""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.server.middleware import Credentials, hash_password
from assistant.server.middleware.auth import LoginThrottle
from assistant.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture
def client(bundled_index: Path, tmp_path: Path) -> Iterator[TestClient]:
    data = tmp_path / "data"
    shutil.copytree(bundled_index, data)
    users = {"alice": hash_password(PASSWORD, rounds=4), "bob": hash_password(PASSWORD, rounds=4)}
    settings = Settings(data_dir=data, server={"users": users, "login_failures": 3, "login_window_s": 60})
    with TestClient(create_app(settings, ui=False), base_url="http://127.0.0.1") as c:
        yield c


def _login(client: TestClient, user: str, password: str) -> int:
    return client.post("/login", data={"username": user, "password": password}).status_code


def test_repeated_wrong_passwords_are_throttled_per_user_and_per_address(client: TestClient):
    assert [_login(client, "alice", "wrong") for _ in range(3)] == [401, 401, 401]
    refused = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    # Basic auth on the API is the same guess by another door.
    basic = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert client.get("/api/health", headers={"authorization": f"Basic {basic}"}).status_code == 429
    # Another user from the same address is still locked out: the address made the guesses.
    assert _login(client, "bob", PASSWORD) == 429


def test_an_unknown_user_is_refused_as_slowly_as_a_wrong_password():
    credentials = Credentials({"alice": hash_password(PASSWORD, rounds=10)}, [])

    def timed(user: str) -> float:
        started = time.perf_counter()
        assert not credentials.check_password(user, "wrong password")
        return time.perf_counter() - started

    known = min(timed("alice") for _ in range(3))
    unknown = min(timed("mallory") for _ in range(3))
    assert unknown > 0.5 * known, (unknown, known)


def test_logout_ends_the_session(client: TestClient):
    assert _login(client, "alice", PASSWORD) == 200
    assert client.get("/api/health").status_code == 200
    out = client.get("/logout", follow_redirects=False)
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    assert client.get("/api/health").status_code == 401


def test_the_throttle_counts_guesses_per_user_and_per_address_within_its_window():
    now = [1000.0]
    throttle = LoginThrottle(failures=3, window_s=60, clock=lambda: now[0])
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # one user guessed from three places
        assert throttle.wait(address, "alice") == 0
        throttle.failed(address, "alice")
    assert throttle.wait("10.0.0.9", "alice") > 0 and throttle.wait("10.0.0.9", "bob") == 0
    for user in ("u1", "u2", "u3"):  # one place guessing three users
        throttle.failed("10.0.0.7", user)
    assert throttle.wait("10.0.0.7", "carol") > 0 and throttle.wait("10.0.0.8", "carol") == 0
    now[0] += 61
    assert throttle.wait("10.0.0.9", "alice") == 0 and throttle.wait("10.0.0.7", "carol") == 0
