"""The wordlist directory format: what loads, and the error for each way it can be wrong."""

from __future__ import annotations

import datetime

import pytest

from gate.errors import GateError
from gate.normalize import Normalizer
from gate.wordlist import Identifier, Wordlist, parse_wordlist

HEADER = b"client_id,kind,value,consent_until\n"
COLUMNS = "(the first row names the columns: client_id,kind,value and optionally consent_until)"


def parse(clients: bytes, **others: bytes) -> Wordlist:
    files: dict[str, bytes | None] = {"clients.csv": clients}
    files.update({name.replace("_", "."): content for name, content in others.items()})
    return parse_wordlist("org", "wl", files, Normalizer())


def test_rows_load_with_their_lines_and_dates() -> None:
    wordlist = parse(HEADER + b"A,name,Kim Lowe,\n\nB,Phone, 555 014 7788 ,2027-01-01\n")
    assert wordlist.identifiers == (
        Identifier("A", "name", "Kim Lowe", 2, None),
        Identifier("B", "phone", "555 014 7788", 4, datetime.date(2027, 1, 1)),
    )
    assert wordlist.version.startswith("sha256:") and len(wordlist.version) == 71


def test_bom_crlf_and_quoted_fields_are_fine() -> None:
    clients = b'\xef\xbb\xbfclient_id,kind,value\r\nA,other,"Lowe, Kim and ""family"""\r\n'
    assert parse(clients).identifiers == (Identifier("A", "other", 'Lowe, Kim and "family"', 2),)


def test_a_quoted_field_over_two_lines_keeps_the_first_line_number() -> None:
    clients = HEADER + b'A,other,"Kim\nLowe",\nB,name,Ed Marsh,\nC,nmae,Ann Lee,\n'
    with pytest.raises(GateError, match=r"^wl/clients.csv:5:2: unknown kind \("):
        parse(clients)


ERRORS = [
    (b"", "wl/clients.csv:1: empty file (expected the header client_id,kind,value)"),
    (b"client_id,kind\nA,name\n", f"wl/clients.csv:1: missing column 'value' in header {COLUMNS}"),
    (b"id,kind,value\n", f"wl/clients.csv:1: missing column 'client_id' in header {COLUMNS}"),
    (b"client_id,kind,value,Kind\n", "wl/clients.csv:1: a column is named twice in the header"),
    (HEADER, "wl/clients.csv: no identifiers (an empty list would approve everything)"),
    (
        HEADER + b"A,nmae,Kim Lowe,\n",
        "wl/clients.csv:2:2: unknown kind (expected one of name, alias, handle, email, phone, id, other, detail)",
    ),
    (HEADER + b"A,name,,\n", "wl/clients.csv:2:3: empty value"),
    (HEADER + b"A,other," + b"x" * 1001 + b",\n", "wl/clients.csv:2:3: value longer than 1000 characters"),
    (HEADER + b",name,Kim Lowe,\n", "wl/clients.csv:2:1: empty client_id"),
    (HEADER + b"A,name,Kim Lowe\n", "wl/clients.csv:2: expected 4 fields, found 3"),
    (
        HEADER + b"A,alias,K L,\n",
        "wl/clients.csv:2:3: value normalises to 2 characters, fewer than 3 (it would match everywhere)",
    ),
    (
        HEADER + b"A,alias,\xe2\x80\x8bK\xc2\xadi,\n",
        "wl/clients.csv:2:3: value normalises to 2 characters, fewer than 3 (it would match everywhere)",
    ),
    (HEADER + b"A,phone,555-0147,\nB,phone,014-778,\n", "wl/clients.csv:3:3: phone has 6 digits, fewer than 7"),
    (HEADER + b"A,email,kim.example.org,\n", "wl/clients.csv:2:3: email value has no '@'"),
    (HEADER + b"A,name,Kim Lowe,2027-02-30\n", "wl/clients.csv:2:4: consent_until is not a date (expected YYYY-MM-DD)"),
    (HEADER + b"A,name,Kim Lowe,31/12/2027\n", "wl/clients.csv:2:4: consent_until is not a date (expected YYYY-MM-DD)"),
    (HEADER + b"A,name,Andr\xe9 Lowe,\n", "wl/clients.csv:2: not UTF-8 text (save the file as UTF-8)"),
    (HEADER + b'A,name,"Kim Lowe,\n', "wl/clients.csv:2: malformed CSV (unexpected end of data)"),
    (HEADER + b"A,name,Kim\0Lowe,\n", "wl/clients.csv:2: NUL character (is this a CSV file?)"),
]


@pytest.mark.parametrize(("clients", "message"), ERRORS)
def test_clients_errors_name_file_line_and_reason(clients: bytes, message: str) -> None:
    with pytest.raises(GateError) as caught:
        parse(clients)
    assert str(caught.value) == message


def test_missing_clients_file() -> None:
    with pytest.raises(GateError, match=r"^wl/clients.csv: missing"):
        parse_wordlist("org", "wl", {"clients.csv": None}, Normalizer())


def test_errors_never_quote_a_value() -> None:
    canary = "Zebedee Quartermain"
    rows = (
        f"A,nmae,{canary},",
        f"A,name,{canary},2027-13-01",
        f"A,email,{canary},",
        f"A,{canary},Kim Lowe,",
        f"A,name,Kim Lowe,{canary}",
        f"{canary},name,,",
    )
    for row in rows:
        with pytest.raises(GateError) as caught:
            parse(HEADER + row.encode() + b"\n")
        assert "Zebedee" not in str(caught.value)
        assert "quartermain" not in str(caught.value).lower()


def test_allow_terms_skip_comments_and_blank_lines() -> None:
    wordlist = parse(HEADER + b"A,name,Kim Lowe,\n", allow_txt=b"# public\n\nKim Lowe Trust\n")
    assert [(term.term, term.line) for term in wordlist.allow_terms] == [("Kim Lowe Trust", 3)]


def test_policy_loads_and_rejects_unknown_keys() -> None:
    policy = b'display_name = "Clinic"\n[actions]\nalias = "warn"\n[variants]\njoined_tag = false\n'
    wordlist = parse(HEADER + b"A,name,Kim Lowe,\n", policy_toml=policy)
    assert wordlist.policy.display_name == "Clinic"
    assert wordlist.policy.action("alias") == "warn" and wordlist.policy.action("name") == "block"
    assert not wordlist.policy.variant("joined_tag") and wordlist.policy.variant("last_first")


POLICY_ERRORS = [
    (b"colour = 1\n", "wl/policy.toml: an unknown top-level key (expected only display_name, "),
    (b"[Zebedee]\nx = 1\n", "wl/policy.toml: an unknown top-level key (expected only display_name, "),
    (b'[actions]\nname = "ignore"\n', "wl/policy.toml: actions.name must be block or warn"),
    (b'[actions]\nnmae = "warn"\n', "wl/policy.toml: an unknown key in [actions] (expected only name, "),
    (b"[variants]\nZebedee = true\n", "wl/policy.toml: an unknown key in [variants] (expected only "),
    (b'[variants]\njoined_tag = "no"\n', "wl/policy.toml: variants.joined_tag must be true or false"),
    (b"display_name = 3\n", "wl/policy.toml: display_name must be a string"),
    (b"display_name = \n", "wl/policy.toml: Invalid value (at line 1, column 16)"),
]


@pytest.mark.parametrize(("policy", "message"), POLICY_ERRORS)
def test_policy_errors(policy: bytes, message: str) -> None:
    with pytest.raises(GateError) as caught:
        parse(HEADER + b"A,name,Kim Lowe,\n", policy_toml=policy)
    assert str(caught.value).startswith(message)


def test_version_changes_with_any_file() -> None:
    clients = HEADER + b"A,name,Kim Lowe,\n"
    versions = {
        parse(clients).version,
        parse(clients, allow_txt=b"Kim Lowe Trust\n").version,
        parse(clients, policy_toml=b'display_name = "x"\n').version,
        parse(clients + b"B,name,Ed Marsh,\n").version,
    }
    assert len(versions) == 4


def test_errors_never_quote_a_header_cell_or_a_staff_cell() -> None:
    canary = "Zebedee Quartermain"
    with pytest.raises(GateError) as caught:
        parse(f"{canary},name,Kim Lowe\n".encode())  # a file without its header
    assert str(caught.value) == f"wl/clients.csv:1: missing column 'client_id' in header {COLUMNS}"
    staff = f"staff_id,name,members,clients\nS1,Sam,sam@example.org,A;{canary}\n".encode()
    with pytest.raises(GateError) as caught:
        parse(HEADER + b"A,name,Kim Lowe,\n", staff_csv=staff)
    assert str(caught.value) == ("wl/staff.csv:2:4: client 2 of the clients column is not a client_id of clients.csv")


def test_every_wrong_row_is_reported_at_once_each_by_its_line() -> None:
    clients = HEADER + b"A,nmae,Kim Lowe,\nB,name,Ed Marsh,\nC,name,,\nD,name,Ann Lee,2027-02-30\nE,name,Al Roe\n"
    with pytest.raises(GateError) as caught:
        parse(clients)
    assert str(caught.value).split("\n") == [
        "wl/clients.csv:2:2: unknown kind (expected one of name, alias, handle, email, phone, id, other, detail)",
        "wl/clients.csv:4:3: empty value",
        "wl/clients.csv:5:4: consent_until is not a date (expected YYYY-MM-DD)",
        "wl/clients.csv:6: expected 4 fields, found 3",
    ]


def test_past_fifty_errors_the_rest_are_counted() -> None:
    with pytest.raises(GateError) as caught:
        parse(HEADER + b"A,nmae,Kim Lowe,\n" * 60)
    lines = str(caught.value).split("\n")
    assert (len(lines), lines[49][:17], lines[50]) == (51, "wl/clients.csv:51", "wl/clients.csv: 10 more errors")


def test_every_wrong_staff_row_is_reported_at_once() -> None:
    staff = b"staff_id,name,members,clients\nS1,Sam,,A\nS2,Lee,lee@example.org,Z\n"
    with pytest.raises(GateError) as caught:
        parse(HEADER + b"A,name,Kim Lowe,\n", staff_csv=staff)
    assert str(caught.value).split("\n") == [
        "wl/staff.csv:2: no members (the person's e-mails or handles in group platforms)",
        "wl/staff.csv:3:4: client 1 of the clients column is not a client_id of clients.csv",
    ]


def test_columns_of_the_organisations_own_are_ignored_in_any_place() -> None:
    clients = b"notes,client_id,kind,value,case worker\nmet at the fair,A,name,Kim Lowe,Sam\n"
    assert parse(clients).identifiers == (Identifier("A", "name", "Kim Lowe", 2),)
    with pytest.raises(GateError, match=r"^wl/clients.csv:3: expected 5 fields, found 4$"):
        parse(clients + b"B,name,Ed Marsh,Sam\n")
