"""What every settings file (TOML) the gate reads shares: no key it does not know."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from gate.errors import GateError


def reject_unknown_keys(
    table: Mapping[str, object], allowed: Collection[str], error: Callable[[str], GateError]
) -> None:
    """Raise `error(key)` for the first key of `table`, in the file's order, that is not
    `allowed`: a misspelt setting must not leave its default silently in force. Each file
    words its own error, and a file whose keys could be a client's name (a wordlist's
    policy.toml) does not repeat the key."""
    for key in table:
        if key not in allowed:
            raise error(key)
