"""`quizapp serve` over HTTP: auth in front of every route, per-learner processes, caps.

aiohttp's TestServer/TestClient run the real aiohttp app that `QuizServer._make_app` builds;
one test spawns the real `python -m quizapp` child through the websocket and closes the tab.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shlex
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("textual_serve")
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.web.auth import (
    AuthError,
    PasswordCheck,
    child_environment,
    parse_basic,
    valid_learner_id,
)
from quizapp.web.server import LearnerAppService, QuizServer

PASSWORD = "correct horse"
ROOT = Path(__file__).parents[2]


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


ANN = basic("ann", PASSWORD)


def _server(tmp_path: Path, **kw: object) -> QuizServer:
    return QuizServer(data_root=tmp_path / "learners", password=PASSWORD, **kw)  # type: ignore[arg-type]


async def _client(server: QuizServer) -> TestClient:
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


@pytest.mark.parametrize("path", ["/", "/ws", "/download/abc", "/static/js/textual.js"])
async def test_every_route_needs_auth(tmp_path: Path, path: str) -> None:
    client = await _client(_server(tmp_path))
    try:
        for auth in ({}, basic("ann", "wrong"), basic("../etc", PASSWORD)):
            resp = await client.get(path, headers=auth)
            assert resp.status == 401, (path, auth)
            assert resp.headers["WWW-Authenticate"].startswith("Basic ")
            assert PASSWORD not in await resp.text()
    finally:
        await client.close()
    assert not (tmp_path / "learners").exists() or not any((tmp_path / "learners").iterdir())


async def test_index_with_password_and_routes_kept(tmp_path: Path) -> None:
    server = _server(tmp_path)
    client = await _client(server)
    try:
        resp = await client.get("/", headers=ANN)
        assert resp.status == 200
        text = await resp.text()
        assert f"ws://{client.host}:{client.port}/ws" in text
        names = {r.name for r in client.app.router.routes() if r.name}
        assert {"index", "websocket", "download", "static"} <= names
        static = await client.get("/static/js/textual.js", headers=ANN)
        assert static.status == 200
    finally:
        await client.close()


async def test_websocket_from_another_site_is_refused(tmp_path: Path) -> None:
    client = await _client(_server(tmp_path))
    try:
        resp = await client.get("/ws", headers={**ANN, "Origin": "https://evil.example"})
        assert resp.status == 403
    finally:
        await client.close()


async def test_caps_give_a_clear_page(tmp_path: Path) -> None:
    server = _server(tmp_path, max_per_learner=2, max_total=3)
    client = await _client(server)
    try:
        server.sessions["ann"] = 2
        resp = await client.get("/", headers=ANN)
        assert resp.status == 429
        assert "limit is 2" in await resp.text()
        assert (await client.get("/ws", headers=ANN)).status == 429
        assert (await client.get("/", headers=basic("bob", PASSWORD))).status == 200
        server.sessions["cy"] = 1
        resp = await client.get("/", headers=basic("bob", PASSWORD))
        assert resp.status == 429
        assert "maximum of 3" in await resp.text()
    finally:
        await client.close()


async def test_download_of_another_learner_is_not_found(tmp_path: Path) -> None:
    server = _server(tmp_path)
    client = await _client(server)
    try:
        resp = await client.get("/download/nope", headers=ANN)
        assert resp.status == 404
    finally:
        await client.close()


def test_child_environment_has_no_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_SERVE_PASSWORD", PASSWORD)
    monkeypatch.setenv("PGPASSWORD", "pg-secret")
    monkeypatch.setenv("QUIZAPP_SYNC_URL", "postgresql://u:pw@db/class")
    monkeypatch.setenv("MY_API_TOKEN", "tok")
    server = _server(tmp_path)
    command, extra = server.command_for("ann")
    service = LearnerAppService(
        command,
        learner="ann",
        extra_env=extra,
        write_bytes=None,  # type: ignore[arg-type]
        write_str=None,  # type: ignore[arg-type]
        close=None,  # type: ignore[arg-type]
        download_manager=server.download_manager,
    )
    env = service._build_environment(100, 30)
    values = "\n".join(env.values())
    for secret in (PASSWORD, "pg-secret", "pw@db", "tok"):
        assert secret not in values
    assert env["QUIZAPP_LEARNER"] == "ann"
    assert env["QUIZAPP_DB"] == str(tmp_path.resolve() / "learners" / "ann" / "quizapp.db")
    assert env["TEXTUAL_DRIVER"].endswith("WebDriver")
    argv = shlex.split(command)
    assert argv[:4] == ["exec", sys.executable, "-m", "quizapp"]
    assert argv[-2:] == ["--db", env["QUIZAPP_DB"]]


def test_command_quotes_strange_paths(tmp_path: Path) -> None:
    root = tmp_path / "a b;$(touch pwned)'"
    server = QuizServer(data_root=root, password=PASSWORD)
    command, extra = server.command_for("ann")
    assert shlex.split(command)[-1] == extra["QUIZAPP_DB"]
    assert Path(extra["QUIZAPP_DB"]).parent.parent == root.resolve()


@pytest.mark.parametrize(
    "name", ["", "..", "../x", "a/b", "Ann", ".hidden", "-x", "a\x00b", "a" * 41, "é", "a b"]
)
def test_bad_learner_ids(name: str) -> None:
    assert not valid_learner_id(name)
    header = "Basic " + base64.b64encode(f"{name}:{PASSWORD}".encode()).decode()
    with pytest.raises(AuthError):
        PasswordCheck(PASSWORD).authenticate(header)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=30))
def test_any_accepted_user_name_is_a_plain_folder_name(name: str, password: str) -> None:
    header = (
        "Basic " + base64.b64encode(f"{name}:{password}".encode("utf-8", "surrogatepass")).decode()
    )
    try:
        learner = PasswordCheck(password or None).authenticate(header)
    except AuthError:
        return
    assert learner == name and ":" not in name
    assert Path(learner).name == learner and learner not in (".", "..")
    assert learner == learner.lower() and "/" not in learner and "\\" not in learner


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_garbage_authorization_headers_are_refused_cleanly(header: str) -> None:
    with contextlib.suppress(AuthError):
        parse_basic(header)


def test_child_environment_drops_secret_like_names() -> None:
    env = child_environment({"HOME": "/h", "DB_PASSWORD": "x", "GH_TOKEN": "y"}, {"A": "1"})
    assert env == {"HOME": "/h", "A": "1"}


def test_non_loopback_host_needs_a_password(tmp_path: Path) -> None:
    import io

    err = io.StringIO()
    env = Environment(stdout=io.StringIO(), stderr=err, environ={})
    status = main(["serve", "--host", "0.0.0.0", "--data-root", str(tmp_path)], env)
    assert status == 2
    assert "without a password" in err.getvalue()


async def _wait_gone(pid: int, timeout: float = 20.0) -> bool:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_real_process_per_tab_and_closing_the_tab_ends_it(tmp_path: Path) -> None:
    """The real child: identity from auth (not the query string), killed when the tab closes."""
    server = _server(tmp_path)
    client = await _client(server)
    try:
        ws = await client.ws_connect(
            "/ws?width=100&height=30&learner=bob&db=/tmp/evil.db", headers=ANN
        )
        got_screen = False
        async with asyncio.timeout(90):
            async for msg in ws:
                if msg.type == WSMsgType.BINARY and msg.data:
                    got_screen = True
                    break
        assert got_screen
        (service,) = server.services
        assert service.learner == "ann"
        assert "bob" not in service.command and "evil" not in service.command
        pid = service.pid
        assert pid is not None
        assert server.sessions["ann"] == 1
        db = tmp_path / "learners" / "ann" / "quizapp.db"
        assert db.exists()
        await ws.close()
        assert await _wait_gone(pid)
        for _ in range(400):
            if not server.services:
                break
            await asyncio.sleep(0.05)
        assert not server.services and not server.sessions
    finally:
        await client.close()


def test_help_loads_no_web_or_postgres_module() -> None:
    import subprocess

    code = (
        "import sys; from quizapp.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('aiohttp', 'psycopg', 'textual_serve') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


async def test_repeated_wrong_passwords_are_slowed_down(tmp_path: Path) -> None:
    server = _server(tmp_path)
    client = await _client(server)
    try:
        for _ in range(server.limiter.limit):
            assert (await client.get("/", headers=basic("ann", "guess"))).status == 401
        blocked = await client.get("/", headers=ANN)  # even the right password, for a while
        assert blocked.status == 429 and "Retry-After" in blocked.headers
        server.limiter.window_s = 0.0  # the window has passed
        assert (await client.get("/", headers=ANN)).status == 200
    finally:
        await client.close()
