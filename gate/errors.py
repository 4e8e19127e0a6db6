"""The one domain error."""

from __future__ import annotations


class GateError(Exception):
    """Something a user can act on: a bad wordlist, an unreadable path, a bad option.

    The message names the file, the line and the reason, and never a wordlist value.
    """


ERROR_PREFIX = "gate: error: "  # how a command's one line on stderr begins
