"""Who is asking: HTTP Basic credentials → a validated learner id, and the secrets to hide.

Pure functions (no aiohttp) so the rules are tested on their own. Why these rules:
- A learner id becomes a directory name under --data-root, so only a short, lower-case,
  portable name is accepted (no `/`, `..`, dots first, NULs, or case-folding collisions).
- The class shares one password; it is compared with `hmac.compare_digest` on its SHA-256 so
  the comparison time does not depend on where the guess first differs, nor on its length.
- The child app processes must never see the password or a sync DSN: `child_environment`
  drops every variable that looks like a secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

LEARNER_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
LEARNER_ID_RULE = (
    "a learner id is 1-40 characters: lower-case letters, digits, '-' and '_', "
    "starting with a letter or digit"
)
PASSWORD_ENV = "QUIZAPP_SERVE_PASSWORD"
SECRET_ENV_NAMES = frozenset(
    {PASSWORD_ENV, "QUIZAPP_SYNC_URL", "PGPASSWORD", "PGPASSFILE", "DATABASE_URL"}
)
_SECRET_ENV_PARTS = ("PASSWORD", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE_KEY", "API_KEY")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class AuthError(Exception):
    """Why a request is refused; the text is shown to the browser (no secret in it)."""


def valid_learner_id(learner: str) -> bool:
    return LEARNER_ID_RE.fullmatch(learner) is not None


@dataclass(frozen=True)
class Credentials:
    learner: str
    password: str


def parse_basic(header: str | None) -> Credentials:
    """Decode an `Authorization: Basic …` header; raise AuthError when absent or malformed."""
    if not header:
        raise AuthError("log in with your learner id as user name and the class password")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        raise AuthError("only HTTP Basic authentication is accepted")
    try:
        raw = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise AuthError("the Authorization header is not valid Basic credentials") from exc
    learner, sep, password = raw.partition(":")
    if not sep:
        raise AuthError("the Authorization header is not valid Basic credentials")
    return Credentials(learner, password)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class PasswordCheck:
    """Holds only the password's digest, never the password itself."""

    def __init__(self, password: str | None) -> None:
        self._digest = _digest(password) if password else None

    @property
    def required(self) -> bool:
        return self._digest is not None

    def authenticate(self, header: str | None) -> str:
        """The learner id for a valid header, else AuthError. Without a password (loopback
        only) any valid learner id is accepted: the user name still picks the data dir."""
        creds = parse_basic(header)
        if not valid_learner_id(creds.learner):
            raise AuthError(f"'{creds.learner[:40]}' is not a valid learner id: {LEARNER_ID_RULE}")
        if self._digest is not None and not hmac.compare_digest(
            _digest(creds.password), self._digest
        ):
            raise AuthError("wrong password")
        return creds.learner


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_secret_name(name: str) -> bool:
    upper = name.upper()
    return upper in SECRET_ENV_NAMES or any(part in upper for part in _SECRET_ENV_PARTS)


def child_environment(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """The environment for a learner's app process: `base` without secrets, plus `extra`."""
    env = {k: v for k, v in base.items() if not is_secret_name(k)}
    env.update(extra)
    return env


class FailureLimiter:
    """At most `limit` failed logins per client address within `window_s`; then refused until
    the window has passed (slows password guessing; a missing header does not count)."""

    def __init__(self, limit: int = 20, window_s: float = 60.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, list[float]] = {}

    def _recent(self, client: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(client, ()) if now - t < self.window_s]
        if times:
            self._failures[client] = times
        else:
            self._failures.pop(client, None)
        return times

    def blocked(self, client: str, now: float) -> bool:
        return len(self._recent(client, now)) >= self.limit

    def failed(self, client: str, now: float) -> None:
        self._failures.setdefault(client, []).append(now)
        if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
            self._failures.pop(next(iter(self._failures)))
