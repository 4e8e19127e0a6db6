"""Compliance officers' passwords: hashed with scrypt by Werkzeug (Flask's own toolkit, so
no new dependency, and the format carries its cost parameters), checked in constant time."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence

from werkzeug.security import check_password_hash, generate_password_hash

from gate.errors import GateError
from webhook.config import NAME, Officer, table_key

MIN_PASSWORD_CHARS = 12


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise GateError(f"the password has fewer than {MIN_PASSWORD_CHARS} characters")
    return generate_password_hash(password, method="scrypt")


def officer_table(name: str, orgs: Sequence[str], password: str) -> str:
    """The `[officers.NAME]` table for gate.toml."""
    for value, what in ((name, "an officer's name"), *((org, "an organisation's name") for org in orgs)):
        if not NAME.fullmatch(value):
            raise GateError(f"{what} is letters, digits, '.', '_' or '-' (at most 64)")
    return (
        f"[officers.{table_key(name)}]\n"
        f"password_hash = {json.dumps(hash_password(password))}\n"
        f"orgs = {json.dumps(list(dict.fromkeys(orgs)))}\n"
    )


def signed_in(officers: Mapping[str, Officer], name: str, password: str) -> Officer | None:
    """The officer whose name and password these are, or None."""
    officer = officers.get(name)
    valid = check_password_hash(officer.password_hash if officer else _no_one(), password)
    return officer if officer is not None and valid else None


@functools.cache
def _no_one() -> str:
    """The hash checked for a name that is no officer's, so that a wrong name takes as
    long as a wrong password and the sign-in form does not tell which names exist."""
    return generate_password_hash("no officer has this password", method="scrypt")
