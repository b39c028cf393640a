"""Time as the store and the scheduler see it: UTC milliseconds and the user's study day.

Stored times are integer milliseconds since the Unix epoch (UTC); "today" is the user's local
day starting at the rollover hour, as in Anki. Its own module so that the scheduler and the
interview planner both use it without importing each other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def to_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def day_bounds(now: datetime, rollover_hour: int = 4) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the user's local study day that contains `now`."""
    # Work in naive local wall-clock time, then let astimezone() (which reads a naive datetime
    # in the system's zone) attach the right offset to each end: DST days are 23 or 25 hours.
    local = now.astimezone().replace(tzinfo=None)
    start_local = local.replace(hour=rollover_hour, minute=0, second=0, microsecond=0)
    if local < start_local:
        start_local -= timedelta(days=1)
    start = start_local.astimezone()
    end = (start_local + timedelta(days=1)).astimezone()
    return start.astimezone(UTC), end.astimezone(UTC)
