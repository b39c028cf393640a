"""Errors the user can act on. The CLI prints them without a traceback (unless --debug)."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    OK = 0
    FAILED = 1  # a check failed / a task was not passed
    USAGE = 2  # bad arguments, unknown id, unreadable file
    DATA = 3  # the database cannot be used (not ours, corrupt, newer)


class QuizappError(Exception):
    exit_status: ExitStatus = ExitStatus.FAILED


class UsageError(QuizappError):
    exit_status = ExitStatus.USAGE


class StoreError(QuizappError):
    """The database cannot be used as it is; it is never overwritten."""

    exit_status = ExitStatus.DATA
