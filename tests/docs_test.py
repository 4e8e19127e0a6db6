"""The contracts in docs/ held to the code: a change to either that the other does not
follow fails here. Each test reads what a document says (its tables, its links, its
examples) and compares it with what the code does or declares."""

from __future__ import annotations

import ast
import csv
import datetime
import hashlib
import io
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gate.adapters.cache import load_matcher
from gate.check import check_contents, check_text
from gate.cli import main
from gate.cli.common import EXIT_APPROVE, EXIT_BLOCK, EXIT_ERROR
from gate.content import Content
from gate.errors import ERROR_PREFIX, GateError
from gate.extract import CONTENT_FORMATS
from gate.kinds import KINDS
from gate.matcher import Matcher, build_matcher
from gate.normalize import Normalizer
from gate.phones import MIN_DIGITS
from gate.post import check_post, content_sha256
from gate.signatures import MIN_SECRET_BYTES
from gate.verdict import SCHEMA_VERSION, verdict_to_dict
from gate.wordlist import (
    MAX_VALUE_LENGTH,
    MIN_CHARACTERS,
    OPTIONAL_COLUMNS,
    POLICY_KEYS,
    REQUIRED_COLUMNS,
    VARIANTS,
    WORDLIST_FILES,
    parse_wordlist,
    wordlist_version,
)
from tests.support.reading import decoded
from tests.support.wordlists import compile_rows
from webhook import create_app
from webhook.api import verdict_json
from webhook.audit import COLUMNS
from webhook.auth import TOLERANCE_SECONDS, token_hash
from webhook.config import OFFICER_KEYS, ORG_KEYS, SERVER_DEFAULTS, parse_server_config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DOCUMENTS = sorted(path.name for path in DOCS.glob("*.md"))
EXAMPLE = ROOT / "wordlists" / "example"
POSTS = ROOT / "wordlists" / "example-posts"
OPENAPI = yaml.safe_load((ROOT / "webhook" / "openapi.yaml").read_text(encoding="utf-8"))
TODAY = datetime.date(2026, 11, 24)
NONE = "—"  # what a table of examples says for no finding

# --- reading the documents -----------------------------------------------------------


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def prose(name: str) -> str:
    """The document with every run of blanks and line breaks as one space."""
    return " ".join(read(name).split())


def parse(path: Path) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def plain_text(inline: Token) -> str:
    """A cell's or heading's text as a reader sees it: code spans without backticks."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def code_spans(inline: Token) -> list[str]:
    return [child.content for child in inline.children or () if child.type == "code_inline"]


def code_spans_of(tokens: list[Token]) -> list[str]:
    return [span for token in tokens if token.type == "inline" for span in code_spans(token)]


def headings(path: Path) -> dict[str, int]:
    """Each heading's text, and its level."""
    tokens = parse(path)
    return {
        plain_text(tokens[index + 1]): int(token.tag[1])
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    }


def anchors(path: Path) -> set[str]:
    """The fragments that link to the headings of a Markdown file, as GitHub makes them."""
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings(path)}


def section(name: str, heading: str) -> list[Token]:
    """The tokens under a heading of level 1 or 2, up to the next such heading."""
    tokens = parse(DOCS / name)
    body: list[Token] | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2"):
            if body is not None:
                return body
            if plain_text(tokens[index + 1]) == heading:
                body = []
        elif body is not None:
            body.append(token)
    assert body is not None, f"docs/{name}: no section {heading!r}"
    return body


def table_rows(tokens: list[Token]) -> list[dict[str, Token]]:
    """The body rows of every table among `tokens`, each cell's inline token by its header."""
    rows: list[dict[str, Token]] = []
    header: list[str] = []
    cells: list[Token] = []
    previous = ""
    for token in tokens:
        if token.type == "thead_open":
            header = []
        elif token.type == "tr_open":
            cells = []
        elif token.type == "inline" and previous == "th_open":
            header.append(plain_text(token))
        elif token.type == "inline" and previous == "td_open":
            cells.append(token)
        elif token.type == "tr_close" and cells:
            rows.append(dict(zip(header, cells, strict=True)))
        previous = token.type
    return rows


def first_code(cell: Token) -> str:
    spans = code_spans(cell)
    assert spans, f"a cell without code: {plain_text(cell)!r}"
    return spans[0]


def links(path: Path) -> list[str]:
    return [
        str(child.attrs["href"]) for token in parse(path) for child in token.children or () if child.type == "link_open"
    ]


# --- docs/README.md and the links between documents ----------------------------------


def test_the_index_links_every_document_and_no_other() -> None:
    linked = {href.partition("#")[0] for href in links(DOCS / "README.md") if not href.startswith(("../", "http"))}
    assert linked == set(DOCUMENTS) - {"README.md"}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_link_of_a_document_resolves(name: str) -> None:
    checked = 0
    for href in links(DOCS / name):
        if re.match(r"[a-z]+:", href):  # https:, mailto:
            continue
        path, _, fragment = href.partition("#")
        target = (DOCS / path).resolve() if path else DOCS / name
        assert target.exists(), f"docs/{name}: {href} names no file"
        if fragment:
            assert fragment in anchors(target), f"docs/{name}: {href} names no heading of {target.name}"
        checked += 1
    assert checked, f"docs/{name} links to nothing"


def repository_texts() -> Iterator[Path]:
    for folder in ("gate", "hooks", "webhook", "tests", "bench"):
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield from sorted(ROOT.glob("*.md"))
    yield from sorted((ROOT / "wordlists").glob("*.md"))
    yield ROOT / "webhook" / "openapi.yaml"


def test_what_the_code_and_the_readmes_cite_of_the_documents_exists() -> None:
    cited = []
    for path in repository_texts():
        for match in re.finditer(r"\bdocs/([\w.-]+\.md)(?:#([\w-]+))?", path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(ROOT)}: {match.group()}"
            assert (DOCS / match[1]).is_file(), f"{where}: no such document"
            if match[2]:
                assert match[2] in anchors(DOCS / match[1]), f"{where}: no such heading"
            cited.append(where)
    assert cited


def test_the_matcher_tests_name_sections_of_the_matching_document() -> None:
    first = (ROOT / "tests" / "matcher_test.py").read_text(encoding="utf-8").splitlines()[0]
    assert "docs/matching.md" in first
    names = re.findall(r'"([^"]+)"', first.removeprefix('"""').removesuffix('"""'))
    assert names
    assert set(names) <= {text for text, level in headings(DOCS / "matching.md").items() if level == 2}


# --- docs/exit-codes.md ---------------------------------------------------------------


def test_the_exit_codes_are_the_commands_own() -> None:
    rows = table_rows(section("exit-codes.md", "Exit codes"))
    documented = {int(first_code(row["code"])): plain_text(row["name"]) for row in rows}
    assert documented == {EXIT_APPROVE: "approve", EXIT_BLOCK: "block", EXIT_ERROR: "error"}


def test_the_commands_exit_as_documented(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .gate.toml of wherever the tests run
    check = ["check", "--no-cache", "--wordlist", str(EXAMPLE)]
    assert main([*check, str(POSTS / "open-day.md")]) == EXIT_APPROVE
    assert main([*check, str(POSTS / "success-story.md")]) == EXIT_BLOCK
    assert main(["check"]) == EXIT_ERROR  # nothing to check
    assert capsys.readouterr().err.startswith(ERROR_PREFIX)
    with pytest.raises(SystemExit) as usage:
        main(["check", "--no-such-option"])
    assert usage.value.code == EXIT_ERROR
    assert f"`{ERROR_PREFIX}`" in read("exit-codes.md")


def test_a_crash_says_what_the_document_says(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GATE_DEBUG", raising=False)
    monkeypatch.setattr("gate.cli.check.check_contents", crash)
    assert main(["check", "--no-cache", "--wordlist", str(EXAMPLE), str(POSTS / "open-day.md")]) == EXIT_ERROR
    written = capsys.readouterr().err.strip().replace("KeyError", "NAME")
    documented = " ".join(read("exit-codes.md").split())  # the line is wrapped in the file
    assert f"`{written}`" in documented


# --- docs/verdict.md -------------------------------------------------------------------


def field_paths(value: object, prefix: str = "") -> set[str]:
    """`findings[].path` and the like, for every field in a verdict's JSON."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {path} | field_paths(child, path)
    elif isinstance(value, list):
        for child in value:
            paths |= field_paths(child, prefix + "[]")
    return paths


def real_verdicts() -> list[dict[str, Any]]:
    """Verdicts as the gate writes them, between them holding every field it writes: a
    local check (revealed, with a binary file, a YAML file refused past its depth, and a
    path that names a client and an allowed term),
    and the webhook's results for posts to groups, one of them answered by a stale list."""
    matcher = load_matcher(EXAMPLE, cache_directory=None)
    contents = [decoded(str(path), path.read_bytes()) for path in sorted(POSTS.glob("*.md"))]
    contents += [
        decoded("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        Content("deep.yaml", "a: " + "[" * 40 + "]" * 40 + "\n"),
        Content("posts/kim-lowe/ed-marsh-community-garden.md", "An open day."),
        Content("posts/alder-lane/open-day.md", "Kim came."),  # a clue in the text, one in the path
        decoded("lists/volunteers.csv", "name\nMagnus Håkansson\n".encode("cp1252")),
    ]
    local = check_contents(matcher, contents, today=TODAY, reveal=True)
    members = ["lena.fischer@harbourside.example", "someone@elsewhere.example"]
    group = check_post(
        matcher,
        {
            "id": "q-1",
            "text": "Thanks, Kim Lowe!",
            "audience": {"visibility": "group", "group": "Staff", "members": members},
        },
        today=TODAY,
    )
    unknown = check_post(
        matcher, {"id": "q-2", "text": "Kim Lowe", "audience": {"visibility": "group", "members": []}}, today=TODAY
    )
    # A place that names two clients, and a name worded as part of a longer one.
    shared = compile_rows("A,name,Kim Lowe,\nB,name,Kim Lowe,\nC,name,George Bernard,\n")
    worded = check_contents(shared, [Content("post.md", "Kim Lowe read George Bernard Shaw.")], today=TODAY)
    return [
        verdict_to_dict(local),
        verdict_json(group, "clients.csv:2: expected 3 fields, found 1"),
        verdict_json(unknown, ""),
        verdict_to_dict(worded),
    ]


def documented_fields() -> set[str]:
    return {first_code(row["field"]) for row in table_rows(section("verdict.md", "Fields"))}


def test_the_document_lists_every_field_a_verdict_has_and_no_other() -> None:
    written = set().union(*(field_paths(verdict) for verdict in real_verdicts()))
    documented = documented_fields()
    assert not written - documented, "fields the gate writes that docs/verdict.md does not list"
    assert not documented - written, "fields docs/verdict.md lists that the gate does not write"


def test_the_openapi_verdict_has_the_documented_fields() -> None:
    schemas = OPENAPI["components"]["schemas"]
    documented = documented_fields()
    assert set(schemas["Verdict"]["properties"]) == {field for field in documented if not re.search(r"[.\[]", field)}
    in_findings = {field.removeprefix("findings[].") for field in documented if field.startswith("findings[].")}
    # matched: never sent by the webhook
    assert set(schemas["Finding"]["properties"]) == {field for field in in_findings if "." not in field} - {"matched"}
    in_clues = {field.removeprefix("clues[].") for field in in_findings if field.startswith("clues[].")}
    assert set(schemas["Finding"]["properties"]["clues"]["items"]["properties"]) == in_clues - {"matched"}


def test_the_openapi_document_is_this_version_and_lets_readers_tolerate_new_fields() -> None:
    """A scheduler that validates answers against the document must not break when a minor
    version adds a field; what the server writes is held to docs/verdict.md above."""
    from gate import __version__

    assert OPENAPI["info"]["version"] == __version__
    schemas = OPENAPI["components"]["schemas"]
    answers = [
        schemas["CheckResponse"],
        schemas["Verdict"],
        schemas["Finding"],
        schemas["Verdict"]["properties"]["audience"],
    ]
    assert [schema.get("additionalProperties", True) for schema in answers] == [True] * 4


def test_the_documents_name_the_schema_version_written() -> None:
    assert f'`"{SCHEMA_VERSION}"`' in read("verdict.md")
    assert f"`schema_version` {SCHEMA_VERSION}" in read("README.md")


# --- docs/matching.md -------------------------------------------------------------------


def one_identifier(kind: str, value: str) -> Matcher:
    rows = io.StringIO()
    csv.writer(rows, lineterminator="\n").writerows([("client_id", "kind", "value"), ("X-1", kind, value)])
    normalizer = Normalizer()
    return build_matcher(
        parse_wordlist("docs", "docs", {"clients.csv": rows.getvalue().encode()}, normalizer), normalizer
    )


EXAMPLES = [
    (
        plain_text(row["kind"]),
        first_code(row["listed"]),
        first_code(row["text"]),
        None if plain_text(row["found"]) == NONE else first_code(row["found"]),
    )
    for row in table_rows(section("matching.md", "Examples"))
]


def test_the_matching_document_has_examples_of_every_kind() -> None:
    assert {kind for kind, *_ in EXAMPLES} == {kind.name for kind in KINDS if kind.listed}


@pytest.mark.parametrize(("kind", "listed", "text", "found"), EXAMPLES, ids=[f"{row[0]}: {row[2]}" for row in EXAMPLES])
def test_each_example_of_the_matching_document_holds(kind: str, listed: str, text: str, found: str | None) -> None:
    findings, _ = check_text(one_identifier(kind, listed), text, path="example", today=TODAY, reveal=True)
    assert [finding.matched for finding in findings] == ([] if found is None else [found])


# --- docs/wordlist-format.md --------------------------------------------------------------


def test_the_files_are_the_ones_read_and_only_clients_csv_is_required() -> None:
    rows = table_rows(section("wordlist-format.md", "Files"))
    assert {first_code(row["file"]): plain_text(row["required"]) for row in rows} == {
        name: "yes" if name == "clients.csv" else "no" for name in WORDLIST_FILES
    }
    with pytest.raises(GateError):
        parse_wordlist("docs", "docs", {}, Normalizer())


def test_the_kinds_are_the_table_of_kinds() -> None:
    rows = table_rows(section("wordlist-format.md", "clients.csv"))
    assert [(first_code(row["kind"]), plain_text(row["what"]), plain_text(row["default action"])) for row in rows] == [
        (kind.name, kind.what, kind.action_shown) for kind in KINDS
    ]


def test_the_columns_and_limits_are_the_parsers() -> None:
    text = prose("wordlist-format.md")
    for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
        assert f"`{column}`" in text
    assert f"at most {MAX_VALUE_LENGTH} characters" in text
    assert f"at least {MIN_CHARACTERS} characters" in text
    assert f"at least {MIN_DIGITS} digits" in text


def test_the_policy_keys_are_the_parsers() -> None:
    rows = table_rows(section("wordlist-format.md", "policy.toml"))
    assert [first_code(row["key"]) for row in rows] == list(POLICY_KEYS)
    variants = next(row for row in rows if first_code(row["key"]) == "variants")
    assert set(code_spans(variants["value"])) - {"true", "false"} == set(VARIANTS)


def test_the_version_is_the_digest_the_document_describes() -> None:
    order = [span for span in code_spans_of(section("wordlist-format.md", "Version")) if span in WORDLIST_FILES]
    assert sorted(order) == sorted(WORDLIST_FILES)
    example = {name: (EXAMPLE / name).read_bytes() for name in WORDLIST_FILES}
    for files in (example, {**example, "allow.txt": None, "staff.csv": None}):
        digest = hashlib.sha256()
        for name in order:
            content = files[name]
            if content is not None:
                digest.update(name.encode() + b"\0" + str(len(content)).encode() + b"\0" + content)
        assert wordlist_version(files) == "sha256:" + digest.hexdigest()


# --- docs/webhook-api.md ------------------------------------------------------------------


TOKEN = "docs-token-0123456789"
ERROR_CALLS = ("ApiError", "error_response")  # (status, code, message)


@pytest.fixture
def webhook(tmp_path: Path) -> FlaskClient:
    """A test client of the app, for one organisation, taking bodies of at most 64 bytes."""
    config = parse_server_config(
        {
            "server": {"audit_db": "audit.sqlite3", "max_body_bytes": 64},
            "orgs": {"example": {"wordlist": str(EXAMPLE), "token_sha256": [token_hash(TOKEN)]}},
        },
        base=tmp_path,
        environ={"GATE_AUDIT_KEY": "docs-audit-key-0123456789"},
    )
    return create_app(config).test_client()


def framework_errors(client: FlaskClient) -> set[tuple[int, str]]:
    """(status, code) of the errors the framework raises and the app's handler answers:
    no such path, no such method, a body too large."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    responses = [
        client.get("/no/such/path"),
        client.get("/v1/orgs/example/check"),
        client.post("/v1/orgs/example/check", data=b" " * 100, headers=headers),
    ]
    return {(response.status_code, response.get_json()["error"]["code"]) for response in responses}


def raised_errors() -> set[tuple[int, str]]:
    """(status, code) of every error webhook/ raises with both written out."""
    errors: set[tuple[int, str]] = set()
    constructors: set[str] = set()
    for path in sorted((ROOT / "webhook").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in ERROR_CALLS:
                found = literal_calls(node, name, shallow=True)
                errors |= found
                constructors |= {name} if found else set()
    assert constructors == set(ERROR_CALLS), "an error's class or function renamed? follow it here"
    return errors


def call_name(node: ast.Call) -> str:
    function = node.func
    return (
        function.id if isinstance(function, ast.Name) else function.attr if isinstance(function, ast.Attribute) else ""
    )


def literal_calls(node: ast.AST, name: str, *, shallow: bool = False) -> set[tuple[int, str]]:
    """(status, code) of the calls of `name` at `node` (or under it) whose status, and
    code, are written as literals."""
    calls = [node] if shallow else list(ast.walk(node))
    found: set[tuple[int, str]] = set()
    for call in calls:
        if not (isinstance(call, ast.Call) and call_name(call) == name and len(call.args) >= 2):
            continue
        status, code = call.args[:2]
        match status, code:
            case ast.Constant(value=int(number)), ast.Constant(value=str(text)):
                found.add((number, text))
    return found


def documented_errors() -> set[tuple[int, str]]:
    rows = table_rows(section("webhook-api.md", "Errors"))
    return {(int(plain_text(row["status"])), first_code(row["code"])) for row in rows}


def test_the_document_lists_every_error_the_webhook_answers_and_no_other(webhook: FlaskClient) -> None:
    answered = raised_errors() | framework_errors(webhook)
    documented = documented_errors()
    assert not answered - documented, "errors the webhook answers that docs/webhook-api.md does not list"
    assert not documented - answered, "errors docs/webhook-api.md lists that the webhook does not answer"


def test_the_openapi_document_names_only_documented_errors() -> None:
    documented = documented_errors()
    responses = OPENAPI["paths"]["/v1/orgs/{org}/check"]["post"]["responses"]
    assert {int(status) for status in responses if int(status) >= 400} <= {status for status, _ in documented}
    settings = set(SERVER_DEFAULTS) | set(ORG_KEYS)
    named = set(re.findall(r"`([a-z]+(?:_[a-z]+)+)`", (ROOT / "webhook" / "openapi.yaml").read_text(encoding="utf-8")))
    assert named - settings <= {code for _, code in documented}


def test_the_endpoints_are_the_openapi_documents() -> None:
    rows = table_rows(section("webhook-api.md", "Endpoints"))
    documented = {tuple(first_code(row["request"]).split(" ", 1)) for row in rows}
    assert documented == {(method.upper(), path) for path, item in OPENAPI["paths"].items() for method in item}


def test_the_formats_of_a_post_are_the_readers() -> None:
    rows = table_rows(section("webhook-api.md", "Requests"))
    formats = next(row for row in rows if plain_text(row["member"]) == "format")
    assert set(code_spans(formats["what"])) == set(CONTENT_FORMATS)  # `text` is also the member read


def test_the_server_configuration_is_the_parsers() -> None:
    rows = table_rows(section("webhook-api.md", "Server configuration"))
    keys = {first_code(row["key"]): row["default"] for row in rows}
    server = {key.removeprefix("server."): cell for key, cell in keys.items() if key.startswith("server.")}
    assert {
        key: tomllib.loads(f"value = {first_code(cell)}")["value"] for key, cell in server.items()
    } == SERVER_DEFAULTS
    assert {key.removeprefix("orgs.NAME.") for key in keys if key.startswith("orgs.")} == set(ORG_KEYS)
    assert {key.removeprefix("officers.NAME.") for key in keys if key.startswith("officers.")} == set(OFFICER_KEYS)
    assert len(keys) == len(server) + len(ORG_KEYS) + len(OFFICER_KEYS)


def test_the_audit_columns_are_the_logs() -> None:
    rows = table_rows(section("webhook-api.md", "Audit log"))
    assert [first_code(row["column"]) for row in rows] == list(COLUMNS)


def test_the_signature_numbers_and_the_canonical_json_are_the_codes() -> None:
    text = prose("webhook-api.md")
    assert f"within {TOLERANCE_SECONDS} seconds" in text
    assert f"at least {MIN_SECRET_BYTES} bytes" in text
    assert 'json.dumps(post, sort_keys=True, separators=(",", ":"), ensure_ascii=False)' in text
    post = {"text": "Zoë's day", "id": "q-1", "n": [5550147788, 1.5]}
    canonical = json.dumps(post, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert content_sha256(post) == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_request_id_is_echoed_as_documented(webhook: FlaskClient) -> None:
    match = re.search(r"`X-Request-Id` if it is 1 to (\d+) characters of `([^`]+)`", prose("webhook-api.md"))
    assert match, "docs/webhook-api.md: the rule of X-Request-Id"
    longest, characters = int(match[1]), match[2].replace(" ", "")
    assert characters == "A-Za-z0-9._-"

    def echoed(request_id: str) -> bool:
        return webhook.get("/healthz", headers={"X-Request-Id": request_id}).headers["X-Request-Id"] == request_id

    assert echoed("Az09._-" + "a" * (longest - 7))
    assert not echoed("a" * (longest + 1))
    assert not echoed("a b")
    assert re.fullmatch(r"[0-9a-f]{32}", webhook.get("/healthz").headers["X-Request-Id"])


def test_the_example_policy_of_the_wordlist_readme_parses() -> None:
    """The policy.toml that wordlists/README.md shows is one the gate accepts, every key in it."""
    from gate.wordlist import parse_policy

    readme = (ROOT / "wordlists" / "README.md").read_text(encoding="utf-8")
    example = readme.split("## `policy.toml`", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    policy = parse_policy("policy.toml", example.encode())
    assert policy.languages == ("en", "fr") and policy.actions == {"other": "warn"}
    assert not any(policy.variant(name) is False for name in ("nicknames", "title_last", "last_first"))
