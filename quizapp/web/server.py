"""`quizapp serve`: textual-serve with HTTP Basic auth and one SQLite file per learner.

textual-serve runs one app process per browser tab and has no authentication. We subclass its
`Server` (pinned `<1.2` because `_make_app` is private) instead of forking it:
- an aiohttp middleware puts Basic auth in front of every route (index, websocket, download,
  static): anything else gets `401` with `WWW-Authenticate`; a websocket from another site's
  page (a foreign `Origin`) gets `403`;
- the learner id is the Basic user name, validated (`auth.valid_learner_id`), and picks
  `<data-root>/<learner>/quizapp.db`; the process learns it from its argv (`--db`) and its
  environment, never from the query string;
- the command is built with `shlex` and run with `exec` so closing the tab ends the very
  process we started (quit message, then SIGTERM, then SIGKILL);
- children get the server's environment minus anything that looks like a secret;
- processes are capped per learner and in total, with a page that says which cap was hit;
- 20 failed logins a minute from one address, and that address gets `429` for a minute.

Every rating is committed before the screen moves on (store.py), so a closed tab loses nothing.
"""

from __future__ import annotations

import asyncio
import html
import logging
import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# aiohttp + textual-serve + jinja2 cost ~150 ms to import: only `quizapp serve` loads this module.
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from quizapp.web.auth import AuthError, FailureLimiter, PasswordCheck, child_environment

log = logging.getLogger("quizapp.serve")

REALM = 'Basic realm="quizapp", charset="UTF-8"'
# Set on the request by the auth middleware (aiohttp >= 3.11 wants a typed key).
LEARNER_KEY: Any = web.RequestKey("learner", str) if hasattr(web, "RequestKey") else "learner"
STOP_GRACE_S = 3.0


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>quizapp: {html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(body)}</p></body></html>"
    )


class LearnerAppService(AppService):
    """One learner's app process: secrets scrubbed from its environment, killed on close."""

    def __init__(self, command: str, *, learner: str, extra_env: dict[str, str], **kw: Any):
        super().__init__(command, **kw)
        self.learner = learner
        self._extra_env = extra_env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return child_environment(super()._build_environment(width, height), self._extra_env)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the app to quit, then terminate, then kill: a closed tab never leaves a process."""
        if self._task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
            task, self._task = self._task, None
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_GRACE_S)
            except TimeoutError:
                task.cancel()
        process = self._process
        if process is None or process.returncode is not None:
            return
        for signal_it in (process.terminate, process.kill):
            try:
                signal_it()
            except ProcessLookupError:
                return
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_S)
                return
            except TimeoutError:
                continue


class QuizServer(Server):
    """textual-serve's Server with auth, per-learner data and process caps."""

    def __init__(
        self,
        *,
        data_root: Path,
        password: str | None,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        max_per_learner: int = 3,
        max_total: int = 50,
        python: str = sys.executable,
    ) -> None:
        super().__init__(command="quizapp", host=host, port=port, title="quizapp")
        self.fixed_public_url = public_url
        if public_url:
            self.public_url = public_url.rstrip("/")
        self.data_root = Path(data_root).expanduser().resolve()
        self.check = PasswordCheck(password)
        self.max_per_learner = max_per_learner
        self.max_total = max_total
        self.python = python
        self.limiter = FailureLimiter()
        self.sessions: Counter[str] = Counter()
        self.services: set[LearnerAppService] = set()

    # ------------------------------------------------------------------ per learner
    def learner_dir(self, learner: str) -> Path:
        path = (self.data_root / learner).resolve()
        if path.parent != self.data_root:  # valid ids cannot do this; defence in depth
            raise AuthError("invalid learner id")
        return path

    def command_for(self, learner: str) -> tuple[str, dict[str, str]]:
        """The shell command (shlex-quoted, exec'd) and the extra environment for a learner."""
        folder = self.learner_dir(learner)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        db = folder / "quizapp.db"
        argv = [self.python, "-m", "quizapp", "--db", str(db)]
        extra = {
            "QUIZAPP_DB": str(db),
            "QUIZAPP_LEARNER": learner,
            "XDG_DATA_HOME": str(folder / "data"),  # the learner's own decks folder
        }
        return "exec " + shlex.join(argv), extra

    def cap_reached(self, learner: str) -> str | None:
        if sum(self.sessions.values()) >= self.max_total:
            return (
                f"The server is running its maximum of {self.max_total} sessions. "
                "Try again in a few minutes."
            )
        if self.sessions[learner] >= self.max_per_learner:
            return (
                f"You already have {self.sessions[learner]} quizapp tabs open (the limit is "
                f"{self.max_per_learner}). Close one and reload this page."
            )
        return None

    # ------------------------------------------------------------------ aiohttp app
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._auth_middleware)
        return app

    @web.middleware
    async def _auth_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        client = request.remote or "?"
        now = time.monotonic()
        if self.limiter.blocked(client, now):
            return web.Response(
                status=429,
                text=_page("too many failed logins", "Wait a minute, then try again."),
                content_type="text/html",
                headers={"Retry-After": str(int(self.limiter.window_s))},
            )
        header = request.headers.get("Authorization")
        try:
            learner = self.check.authenticate(header)
        except AuthError as exc:
            if header:
                self.limiter.failed(client, now)
            return web.Response(
                status=401,
                text=_page("log in", str(exc)),
                content_type="text/html",
                headers={"WWW-Authenticate": REALM},
            )
        if request.path == "/ws" and not self._same_origin(request):
            return web.Response(
                status=403,
                text=_page("forbidden", "cross-site websocket refused"),
                content_type="text/html",
            )
        request[LEARNER_KEY] = learner
        return await handler(request)

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:  # not a browser page (curl, tests): auth already passed
            return True
        allowed = {request.host}
        if self.fixed_public_url:
            allowed.add(urlsplit(self.fixed_public_url).netloc)
        return urlsplit(origin).netloc in allowed

    async def handle_index(self, request: web.Request) -> Any:
        learner = request[LEARNER_KEY]
        reason = self.cap_reached(learner)
        if reason:
            return web.Response(
                status=429, text=_page("too many sessions", reason), content_type="text/html"
            )
        if not self.fixed_public_url:  # the ws URL must be the address the browser used
            self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="no such download") from None
        owner = getattr(meta.app_service, "learner", None)
        if owner != request[LEARNER_KEY]:
            raise web.HTTPNotFound(text="no such download")
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        learner: str = request[LEARNER_KEY]
        reason = self.cap_reached(learner)
        if reason:
            return web.Response(
                status=429, text=_page("too many sessions", reason), content_type="text/html"
            )
        command, extra = self.command_for(learner)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        websocket = web.WebSocketResponse(heartbeat=15)
        self.sessions[learner] += 1
        service: LearnerAppService | None = None
        try:
            await websocket.prepare(request)
            service = LearnerAppService(
                command,
                learner=learner,
                extra_env=extra,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.services.add(service)
            await service.start(max(10, min(width, 1000)), max(5, min(height, 500)))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one broken tab must not take the server down
            log.exception(error)
        finally:
            # aiohttp may cancel this handler when the tab goes away: the clean-up runs in its
            # own task, so the process is always stopped and the session always released.
            await asyncio.shield(asyncio.ensure_future(self._release(learner, service)))
        return websocket

    async def _release(self, learner: str, service: LearnerAppService | None) -> None:
        try:
            if service is not None:
                await service.stop()
        finally:
            if service is not None:
                self.services.discard(service)
            self.sessions[learner] -= 1
            if self.sessions[learner] <= 0:
                del self.sessions[learner]

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """textual-serve's loop, minus its `assert` on hostile input."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                w, h = data.get("width"), data.get("height")
                if isinstance(w, int) and isinstance(h, int):
                    await app_service.set_terminal_size(max(10, min(w, 1000)), max(5, min(h, 500)))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(s.stop() for s in list(self.services)), return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"quizapp serving on {self.public_url} (data in {self.data_root})")
        self.console.print("[cyan]Press Ctrl+C to quit")
