"""The organisation wordlist directory: parsing and validation (no file access here)."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from gate.errors import GateError
from gate.kinds import ACTIONS, FINDING_KIND_NAMES, LISTED_KIND_NAMES, kind_named
from gate.normalize import Normalizer
from gate.phones import MIN_DIGITS
from gate.readers.limits import LIMIT_KEYS, Limits
from gate.settings import reject_unknown_keys
from gate.titles import DEFAULT_LANGUAGES, LANGUAGES
from gate.written import WORDING_ACTIONS, WORDING_MESSAGES, WORDINGS

WORDLIST_FILES = ("clients.csv", "allow.txt", "staff.csv", "policy.toml")
REQUIRED_COLUMNS = ("client_id", "kind", "value")
OPTIONAL_COLUMNS = ("consent_until",)
MIN_CHARACTERS = 3
MAX_VALUE_LENGTH = 1000
MAX_ERRORS = 50  # of one file, reported at once
VARIANTS = (
    "last_first",
    "initial_last",
    "joined_tag",
    "surname_first",
    "title_last",
    "nicknames",
    "first_surname",
    "first_last",
    "hyphen_initials",
    "no_apostrophe",
)
POLICY_KEYS = (
    "display_name",
    "block_message",
    "policy_url",
    "guidance",
    "default_region",
    "actions",
    "messages",
    "variants",
    "languages",
    "limits",
    "clues",
)
ACTION_KEYS = (*FINDING_KIND_NAMES, *WORDINGS)  # of [actions] and [messages]
_DIGIT = re.compile(r"\d")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Identifier:
    """One row of clients.csv: an identifier of a client."""

    client_id: str
    kind: str
    value: str
    line: int
    consent_until: datetime.date | None = None


@dataclass(frozen=True)
class AllowTerm:
    term: str
    line: int


@dataclass(frozen=True)
class StaffMember:
    """A row of staff.csv: a person's identities in group platforms and whom they care for."""

    staff_id: str
    members: tuple[str, ...]  # identities, normalised with normalize_identity
    clients: frozenset[str] | None  # None: every client ("*")
    line: int


WINDOWS = ("post", "paragraph")  # [clues] window: where clues of one client count together
CLUE_KEYS = ("needed", "window")


@dataclass(frozen=True)
class ClueRule:
    """policy.toml's [clues]: how many distinct clues of one client make a combination,
    and within what: a whole post or file, or one paragraph of it."""

    needed: int = 2
    window: str = "post"


@dataclass(frozen=True)
class Policy:
    display_name: str = ""
    block_message: str = ""
    policy_url: str = ""
    guidance: str = ""
    default_region: str = ""
    actions: Mapping[str, str] = field(default_factory=dict)
    messages: Mapping[str, str] = field(default_factory=dict)
    variants: Mapping[str, bool] = field(default_factory=dict)
    languages: tuple[str, ...] = DEFAULT_LANGUAGES  # whose titles stand before a surname (gate/titles.py)
    limits: Limits = field(default_factory=Limits)
    clues: ClueRule = field(default_factory=ClueRule)

    def action(self, kind: str, wording: str = "") -> str:
        """A finding's action: its kind's, made a warning where its wording's action is
        one (gate/written.py): a wording never makes a finding block that would warn."""
        action = self.actions.get(kind) or kind_named(kind).default_action
        if wording and (self.actions.get(wording) or WORDING_ACTIONS[wording]) == "warn":
            return "warn"
        return action

    def message(self, kind: str, wording: str = "") -> str:
        if wording:
            return self.messages.get(wording) or WORDING_MESSAGES[wording]
        return self.messages.get(kind) or kind_named(kind).default_message

    def variant(self, name: str) -> bool:
        return self.variants.get(name, True)


@dataclass(frozen=True)
class Wordlist:
    org: str
    version: str
    directory: str
    identifiers: tuple[Identifier, ...]
    allow_terms: tuple[AllowTerm, ...]
    policy: Policy
    staff: tuple[StaffMember, ...] = ()


def wordlist_version(files: Mapping[str, bytes | None]) -> str:
    """The digest of the directory's files: what a verdict was checked against."""
    digest = hashlib.sha256()
    for name in WORDLIST_FILES:
        content = files.get(name)
        if content is not None:
            digest.update(f"{name}\0{len(content)}\0".encode())
            digest.update(content)
    return "sha256:" + digest.hexdigest()


def parse_wordlist(org: str, directory: str, files: Mapping[str, bytes | None], normalizer: Normalizer) -> Wordlist:
    """Validate every file of a wordlist directory; the first problem raises GateError."""
    clients = files.get("clients.csv")
    if clients is None:
        raise GateError(f"{directory}/clients.csv: missing (every wordlist needs one)")
    policy_bytes = files.get("policy.toml")
    allow_bytes = files.get("allow.txt")
    staff_bytes = files.get("staff.csv")
    identifiers = parse_clients(f"{directory}/clients.csv", clients, normalizer)
    client_ids = {identifier.client_id for identifier in identifiers}
    return Wordlist(
        org=org,
        version=wordlist_version(files),
        directory=directory,
        identifiers=identifiers,
        allow_terms=parse_allow(f"{directory}/allow.txt", allow_bytes or b"", normalizer),
        policy=parse_policy(f"{directory}/policy.toml", policy_bytes or b""),
        staff=parse_staff(f"{directory}/staff.csv", staff_bytes, client_ids) if staff_bytes is not None else (),
    )


def decode_utf8(path: str, content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise GateError(f"{path}:{line}: not UTF-8 text (save the file as UTF-8)") from None
    return text


def parse_clients(path: str, content: bytes, normalizer: Normalizer) -> tuple[Identifier, ...]:
    """The rows of clients.csv; every row that is wrong is reported at once (up to
    MAX_ERRORS), each by its line and column."""
    text = decode_utf8(path, content)
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise GateError(f"{path}:{line}: NUL character (is this a CSV file?)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns, width = _read_header(path, reader)
    identifiers, errors = [], []
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                try:
                    identifiers.append(_parse_row(path, line, columns, width, row, normalizer))
                except GateError as error:
                    errors.append(str(error))
            line = reader.line_num + 1
    except csv.Error as error:
        errors.append(f"{path}:{line}: malformed CSV ({error})")  # past it, rows cannot be told apart
    if errors:
        raise GateError(_all_of(path, errors))
    if not identifiers:
        raise GateError(f"{path}: no identifiers (an empty list would approve everything)")
    return tuple(identifiers)


def _all_of(path: str, errors: list[str]) -> str:
    """The errors of a file, one a line: the first MAX_ERRORS, then how many more."""
    shown = errors[:MAX_ERRORS]
    if len(errors) > MAX_ERRORS:
        shown.append(f"{path}: {len(errors) - MAX_ERRORS:,} more errors")
    return "\n".join(shown)


def _read_header(path: str, reader: Iterator[list[str]]) -> tuple[dict[str, int], int]:
    """Where each column the gate reads is, and how many columns a row has."""
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise GateError(f"{path}:1: malformed CSV ({error})") from None
    if header is None:
        raise GateError(f"{path}:1: empty file (expected the header client_id,kind,value)")
    names = [name.strip().lower() for name in header]
    for name in REQUIRED_COLUMNS:
        if name not in names:
            # The header is not quoted: a file without one has a client's row there.
            raise GateError(
                f"{path}:1: missing column {name!r} in header "
                "(the first row names the columns: client_id,kind,value and optionally consent_until)"
            )
    known = [name for name in names if name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if len(set(known)) != len(known):
        raise GateError(f"{path}:1: a column is named twice in the header")
    # Any other column (notes, a case worker) is the organisation's own, and not read.
    return {name: index for index, name in enumerate(names) if name in known}, len(names)


def ignored_columns(content: bytes) -> list[int]:
    """The numbers (from 1) of clients.csv's columns the gate does not read."""
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig", errors="replace"), newline="")), [])
    return [
        number
        for number, name in enumerate(header, start=1)
        if name.strip().lower() not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    ]


def _parse_row(
    path: str, line: int, columns: Mapping[str, int], width: int, row: list[str], normalizer: Normalizer
) -> Identifier:
    """One row; an error names the file, line and column (1-based), never a cell."""
    if len(row) != width:
        raise GateError(f"{path}:{line}: expected {width} fields, found {len(row)}")

    def place(column: str) -> str:
        return f"{path}:{line}:{columns[column] + 1}"

    client_id = row[columns["client_id"]].strip()
    kind = row[columns["kind"]].strip().lower()
    value = row[columns["value"]].strip()
    if not client_id:
        raise GateError(f"{place('client_id')}: empty client_id")
    if kind not in LISTED_KIND_NAMES:
        raise GateError(f"{place('kind')}: unknown kind (expected one of {', '.join(LISTED_KIND_NAMES)})")
    if not value:
        raise GateError(f"{place('value')}: empty value")
    if len(value) > MAX_VALUE_LENGTH:
        raise GateError(f"{place('value')}: value longer than {MAX_VALUE_LENGTH} characters")
    _check_length(place("value"), kind, value, normalizer)
    if "consent_until" not in columns:
        return Identifier(client_id, kind, value, line)
    consent = row[columns["consent_until"]].strip()
    return Identifier(client_id, kind, value, line, _parse_date(place("consent_until"), consent))


def _check_length(place: str, kind: str, value: str, normalizer: Normalizer) -> None:
    row = kind_named(kind)
    if row.family == "digits":
        digits = len(_DIGIT.findall(normalizer.text(value)))
        if digits < MIN_DIGITS:
            raise GateError(f"{place}: {kind} has {digits} digits, fewer than {MIN_DIGITS}")
        return
    if row.must_contain and row.must_contain not in value:
        raise GateError(f"{place}: {kind} value has no {row.must_contain!r}")
    if len(_ASCII_ALNUM.findall(value, 0, 4 * row.min_characters)) >= row.min_characters:
        return  # normalisation keeps ASCII letters and digits: long enough, without it
    characters = len(normalizer.text(value).lstrip("@#").replace(" ", ""))
    if characters < row.min_characters:
        raise GateError(
            f"{place}: value normalises to {characters} characters, "
            f"fewer than {row.min_characters} (it would match everywhere)"
        )


def _parse_date(place: str, text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise GateError(f"{place}: consent_until is not a date (expected YYYY-MM-DD)") from None


STAFF_COLUMNS = ("staff_id", "name", "members", "clients")


def normalize_identity(identity: str) -> str:
    """Identities compare without case, surrounding spaces, or a handle's leading @."""
    return identity.strip().lstrip("@").strip().casefold()


def parse_staff(path: str, content: bytes, client_ids: set[str]) -> tuple[StaffMember, ...]:
    reader = csv.reader(io.StringIO(decode_utf8(path, content), newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if header != list(STAFF_COLUMNS):
            raise GateError(f"{path}:1: the header must be {','.join(STAFF_COLUMNS)}")
        staff, errors = [], []
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                try:
                    staff.append(_staff_row(path, line, row, client_ids))
                except GateError as error:
                    errors.append(str(error))
            line = reader.line_num + 1
    except csv.Error as error:
        errors.append(f"{path}:{reader.line_num}: malformed CSV ({error})")
    if errors:
        raise GateError(_all_of(path, errors))
    return tuple(staff)


def _staff_row(path: str, line: int, row: list[str], client_ids: set[str]) -> StaffMember:
    if len(row) != len(STAFF_COLUMNS):
        raise GateError(f"{path}:{line}: expected {len(STAFF_COLUMNS)} fields, found {len(row)}")
    staff_id, _, members_text, clients_text = (cell.strip() for cell in row)
    if not staff_id:
        raise GateError(f"{path}:{line}: empty staff_id")
    members = tuple(normalize_identity(item) for item in members_text.split(";") if item.strip())
    if not members:
        raise GateError(f"{path}:{line}: no members (the person's e-mails or handles in group platforms)")
    if clients_text == "*":
        return StaffMember(staff_id, members, None, line)
    clients = frozenset(item.strip() for item in clients_text.split(";") if item.strip())
    for number, client in enumerate(item.strip() for item in clients_text.split(";") if item.strip()):
        if client not in client_ids:
            raise GateError(
                f"{path}:{line}:{STAFF_COLUMNS.index('clients') + 1}: client {number + 1} of the "
                "clients column is not a client_id of clients.csv"
            )
    return StaffMember(staff_id, members, clients, line)


def parse_allow(path: str, content: bytes, normalizer: Normalizer) -> tuple[AllowTerm, ...]:
    terms = []
    for number, line in enumerate(decode_utf8(path, content).splitlines(), start=1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        if len(normalizer.text(term).replace(" ", "")) < MIN_CHARACTERS:
            raise GateError(f"{path}:{number}: allow term shorter than {MIN_CHARACTERS} characters")
        terms.append(AllowTerm(term, number))
    return tuple(terms)


def parse_policy(path: str, content: bytes) -> Policy:
    try:
        data = tomllib.loads(decode_utf8(path, content))
    except tomllib.TOMLDecodeError as error:
        raise GateError(f"{path}: {error}") from None
    # The key is not quoted: whatever is written there could be a client's name pasted by mistake.
    reject_unknown_keys(
        data,
        POLICY_KEYS,
        lambda _: GateError(f"{path}: an unknown top-level key (expected only {', '.join(POLICY_KEYS)})"),
    )
    texts = {key: _policy_string(path, data, key) for key in POLICY_KEYS[:5]}
    return Policy(
        **texts,
        actions={key: str(value) for key, value in _policy_table(path, data, "actions", ACTION_KEYS, ACTIONS).items()},
        messages={key: str(value) for key, value in _policy_table(path, data, "messages", ACTION_KEYS, None).items()},
        variants={
            key: bool(value) for key, value in _policy_table(path, data, "variants", VARIANTS, (True, False)).items()
        },
        languages=_policy_languages(path, data),
        limits=_policy_limits(path, data),
        clues=_policy_clues(path, data),
    )


def _policy_clues(path: str, data: Mapping[str, object]) -> ClueRule:
    """[clues]: `needed`, a whole number of 2 or more (one clue alone never blocks);
    `window`, one of WINDOWS."""
    values = _policy_table(path, data, "clues", CLUE_KEYS, None, strings=False)
    needed = values.get("needed", ClueRule.needed)
    if isinstance(needed, bool) or not isinstance(needed, int) or needed < 2:
        raise GateError(f"{path}: clues.needed must be a whole number of 2 or more")
    window = values.get("window", ClueRule.window)
    if window not in WINDOWS:
        raise GateError(f"{path}: clues.window must be {' or '.join(WINDOWS)}")
    return ClueRule(needed, str(window))


def _policy_languages(path: str, data: Mapping[str, object]) -> tuple[str, ...]:
    """`languages`: a list of the codes of gate/titles.py, each once at most."""
    value = data.get("languages", list(DEFAULT_LANGUAGES))
    expected = f"(expected a list of {', '.join(LANGUAGES)})"
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise GateError(f"{path}: languages must be a list of language codes {expected}")
    for number, item in enumerate(value, start=1):
        if item not in LANGUAGES:
            # The item is not quoted, as a key is not: it could be a client's name pasted by mistake.
            raise GateError(f"{path}: languages: item {number} is not a language the gate knows {expected}")
    return tuple(dict.fromkeys(value))


def _policy_limits(path: str, data: Mapping[str, object]) -> Limits:
    """[limits]: the readers' defaults, but where a key says otherwise."""
    values = _policy_table(path, data, "limits", LIMIT_KEYS, None, strings=False)
    limits: dict[str, Any] = {key: _limit(path, key, value) for key, value in values.items()}
    return dataclasses.replace(Limits(), **limits)


def _limit(path: str, key: str, value: object) -> float:
    """A positive whole number; seconds may have a fraction."""
    seconds = key.startswith("ocr_seconds")
    if isinstance(value, bool) or not isinstance(value, (int, float) if seconds else int) or not 0 < value < math.inf:
        raise GateError(f"{path}: limits.{key} must be a positive {'number' if seconds else 'whole number'}")
    return value


def _policy_string(path: str, data: Mapping[str, object], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise GateError(f"{path}: {key} must be a string")
    return value


def _policy_table(
    path: str,
    data: Mapping[str, object],
    table: str,
    keys: tuple[str, ...],
    allowed: tuple[object, ...] | None,
    *,
    strings: bool = True,
) -> dict[str, object]:
    values = data.get(table, {})
    if not isinstance(values, dict):
        raise GateError(f"{path}: [{table}] must be a table")
    reject_unknown_keys(
        values, keys, lambda _: GateError(f"{path}: an unknown key in [{table}] (expected only {', '.join(keys)})")
    )
    for key, value in values.items():
        if allowed is None and strings and not isinstance(value, str):
            raise GateError(f"{path}: {table}.{key} must be a string")
        if allowed is not None and (value not in allowed or type(value) is not type(allowed[0])):
            expected = " or ".join(str(option).lower() for option in allowed)
            raise GateError(f"{path}: {table}.{key} must be {expected}")
    return dict(values)
