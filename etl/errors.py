"""Errors explained to the user: the CLI prints `message` (one Chinese sentence), no traceback."""

from __future__ import annotations


class JixiaoError(Exception):
    """A refusal or failure the user can act on; `message` is shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
