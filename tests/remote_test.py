"""`gate check --server` against hostile servers and URLs: real HTTP servers on 127.0.0.1,
each answering what its case needs. The token goes nowhere but the server named, and only
the server's own complete, consistent verdict approves."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gate.adapters.remote import check_url, remote_check
from gate.cli import main
from gate.content import Content
from gate.errors import ERROR_PREFIX, GateError
from gate.signatures import parse_secret, signature
from gate.verdict import Finding, NotScanned, Verdict, build_verdict, verdict_to_dict

TOKEN = "remote-test-token-4f1c"
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
POSTS = [
    Content("posts/a.md", "Thanks Kim Lowe"),
    Content("logo.png", None, "binary file"),
    Content("posts/b.md", "Open day"),
]
KIM = Finding("/text", 1, 8, 1, 15, "EX-001", "name", "block", "client name: remove it")
PHONE = Finding("/text", 2, 1, 2, 14, "EX-002", "phone", "warn", "client phone")


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: object = None  # JSON, or bytes as they are
    headers: dict[str, str] = field(default_factory=dict)


Respond = Callable[[Received], Reply]


@dataclass
class Stub:
    url: str
    received: list[Received]


@contextmanager
def serving(respond: Respond) -> Iterator[Stub]:
    """An HTTP server on 127.0.0.1 that records every request and answers `respond(request)`."""
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = Received(self.path, self.header_names(), self.rfile.read(int(self.headers["Content-Length"])))
            received.append(request)
            self.answer(respond(request))

        def do_GET(self) -> None:  # a proxied request arrives as GET/POST with a full URL
            received.append(Received(self.path, self.header_names(), b""))
            self.answer(Reply(404, {"error": {"message": "no"}}))

        def header_names(self) -> dict[str, str]:
            return {name.lower(): value for name, value in self.headers.items()}

        def answer(self, reply: Reply) -> None:
            body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield Stub(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def post_ids(request: Received) -> list[str]:
    return [post["id"] for post in json.loads(request.body)["posts"]]


def result(post_id: str, verdict: Verdict, **changes: Any) -> dict[str, Any]:
    """A result as the webhook writes it; `changes` replace fields, None removes one."""
    record = {"post_id": post_id, "content_sha256": "0" * 64, **verdict_to_dict(verdict), **changes}
    return {name: value for name, value in record.items() if value is not None}


def honest(request: Received) -> dict[str, Any]:
    """What the webhook answers: Kim Lowe blocks in posts/a.md, the rest approves."""
    results = [
        result(post_id, build_verdict("example", "sha256:ab", [KIM] if post_id == "posts/a.md" else []))
        for post_id in post_ids(request)
    ]
    decision = "block" if any(item["decision"] == "block" for item in results) else "approve"
    return {"request_id": "r1", "decision": decision, "policy": {"block_message": "Ask Dana"}, "results": results}


def answering(change: Callable[[dict[str, Any]], object]) -> Respond:
    """The honest answer, edited in place by `change` (what it returns is ignored)."""

    def respond(request: Received) -> Reply:
        answer = honest(request)
        change(answer)
        return Reply(200, answer)

    return respond


def edit_first_result(**changes: Any) -> Respond:
    return answering(lambda answer: answer["results"][0].update(changes))


def edit_first_finding(**changes: Any) -> Respond:
    def change(answer: dict[str, Any]) -> None:
        finding = answer["results"][0]["findings"][0]
        finding.update(changes)
        for name in [name for name, value in changes.items() if value is None]:
            del finding[name]

    return answering(change)


def remove_from_first_result(name: str) -> Respond:
    return answering(lambda answer: answer["results"][0].pop(name))


def only_result(verdict: Verdict, decision: str) -> Respond:
    """Every post answered with `verdict`, the answer's decision `decision`."""

    def respond(request: Received) -> Reply:
        results = [result(post_id, verdict) for post_id in post_ids(request)]
        return Reply(200, {"decision": decision, "results": results})

    return respond


def approve_blocking_result(request: Received) -> Reply:
    """The hole: an approve that lists a blocking finding."""
    results = [
        result(post_id, build_verdict("example", "v", [KIM]), decision="approve") for post_id in post_ids(request)
    ]
    return Reply(200, {"decision": "approve", "results": results})


# A verdict as the tests compare it: decision, (path, client, action), (path, reason, blocks).
Outcome = tuple[str, list[tuple[str, str, str]], list[tuple[str, str, bool]]]
BLOCK_KIM: Outcome = ("block", [("posts/a.md", "EX-001", "block")], [("logo.png", "binary file", False)])
NOT_A_VERDICT = "{url}: the server's answer is not a verdict: "

# (case, how the server answers, the exact error, or (decision, findings, not scanned))
SERVERS: list[tuple[str, Respond, str | Outcome]] = [
    ("honest", lambda request: Reply(200, honest(request)), BLOCK_KIM),
    (
        "unknown fields tolerated",
        answering(
            lambda answer: [
                answer.update(future={"x": 1}),
                answer["results"][0].update(reviewed_by="x"),
                answer["results"][0]["findings"][0].update(location="page 3"),
                answer["policy"].update(theme="dark"),
            ]
        ),
        BLOCK_KIM,
    ),
    (
        "missing optional fields tolerated",
        answering(
            lambda answer: [
                answer.pop("policy"),
                answer.pop("request_id"),
                *(
                    item.pop(name)
                    for item in answer["results"]
                    for name in ("schema_version", "guidance", "suppressed", "not_scanned")
                ),
            ]
        ),
        BLOCK_KIM,
    ),
    ("schema_version 2.7 accepted", edit_first_result(schema_version="2.7"), BLOCK_KIM),
    (
        "schema_version 3.0 refused",
        edit_first_result(schema_version="3.0"),
        NOT_A_VERDICT + '"results[0].schema_version" is of a newer major version than 2: upgrade the gate',
    ),
    (
        "approve with a blocking finding",
        approve_blocking_result,
        NOT_A_VERDICT + '"results[0].decision" is approve, but the verdict lists what blocks',
    ),
    (
        "approve overall while a result blocks",
        answering(lambda answer: answer.update(decision="approve")),
        NOT_A_VERDICT + '"decision" is approve, but a result blocks',
    ),
    ("missing decision", answering(lambda answer: answer.pop("decision")), NOT_A_VERDICT + '"decision" is missing'),
    (
        "missing result decision",
        remove_from_first_result("decision"),
        NOT_A_VERDICT + '"results[0].decision" is missing',
    ),
    ("missing findings", remove_from_first_result("findings"), NOT_A_VERDICT + '"results[0].findings" is missing'),
    (
        "finding without client_id",
        edit_first_finding(client_id=None),
        NOT_A_VERDICT + '"results[0].findings[0].client_id" is missing',
    ),
    ("finding without kind", edit_first_finding(kind=None), NOT_A_VERDICT + '"results[0].findings[0].kind" is missing'),
    (
        "finding without action",
        edit_first_finding(action=None),
        NOT_A_VERDICT + '"results[0].findings[0].action" is missing',
    ),
    (
        "line of the wrong type",
        edit_first_finding(line="1"),
        NOT_A_VERDICT + '"results[0].findings[0].line" must be an integer',
    ),
    (
        "results not a list",
        answering(lambda answer: answer.update(results={})),
        NOT_A_VERDICT + '"results" must be a list',
    ),
    (
        "one result short",
        answering(lambda answer: answer["results"].pop()),
        NOT_A_VERDICT + '"results" must hold one result for each of the 3 posts sent',
    ),
    (
        "results of other posts",
        edit_first_result(post_id="posts/other.md"),
        NOT_A_VERDICT + '"results[0].post_id" does not match the post sent',
    ),
    (
        "results in another order",
        answering(lambda answer: answer["results"].reverse()),
        NOT_A_VERDICT + '"results[0].post_id" does not match the post sent',
    ),
    ("answer a list", lambda request: Reply(200, [honest(request)]), NOT_A_VERDICT + "the verdict must be an object"),
    (
        "policy of the wrong type",
        answering(lambda answer: answer.update(policy={"block_message": 1})),
        NOT_A_VERDICT + '"policy.block_message" must be a string',
    ),
    ("answer not JSON", lambda request: Reply(200, b"<html>approve</html>"), "{url}: the server's answer is not JSON"),
    (
        "answer nested past any parser",
        lambda request: Reply(200, b"[" * 200_000),
        "{url}: the server's answer is not JSON",
    ),
    (
        "server error",
        lambda request: Reply(500, {"error": {"code": "x", "message": "boom"}}),
        "{url}: the server answered 500 (boom)",
    ),
    (
        "an error that echoes the token",
        lambda request: Reply(401, {"error": {"message": "bad " + request.headers["authorization"]}}),
        "{url}: the server answered 401 (a message that repeats the token, not shown)",
    ),
    (
        "an error that drives the terminal",
        lambda request: Reply(503, {"error": {"message": "\x1b[2Jdown\nexit 0"}}),
        "{url}: the server answered 503 (\\u001b[2Jdown\\nexit 0)",
    ),
    (
        "an error that echoes the token in capitals",
        lambda request: Reply(401, {"error": {"message": "bad " + request.headers["authorization"].upper()}}),
        "{url}: the server answered 401 (a message that repeats the token, not shown)",
    ),
    (
        "the server blocks a post where nothing listed blocks",
        only_result(Verdict("block", "example", "v", (PHONE,), (), ()), "block"),
        (
            "block",
            [("posts/a.md", "EX-002", "warn"), ("logo.png", "EX-002", "warn"), ("posts/b.md", "EX-002", "warn")],
            [("logo.png", "binary file", False)],
        ),
    ),
    (
        "the server blocks overall where no result does",
        only_result(Verdict("approve", "example", "v", (), (), ()), "block"),
        ("block", [], [("logo.png", "binary file", False)]),
    ),
    (
        "a result's blocking not-scanned entry blocks",
        only_result(
            build_verdict("example", "v", [], [], [NotScanned("/media/0", "corrupt PDF", blocks=True)]), "block"
        ),
        (
            "block",
            [],
            [
                ("posts/a.md", "corrupt PDF", True),
                ("logo.png", "binary file", False),
                ("logo.png", "corrupt PDF", True),
                ("posts/b.md", "corrupt PDF", True),
            ],
        ),
    ),
    (
        "all approved",
        only_result(build_verdict("example", "v", [PHONE]), "approve"),
        (
            "approve",
            [("posts/a.md", "EX-002", "warn"), ("logo.png", "EX-002", "warn"), ("posts/b.md", "EX-002", "warn")],
            [("logo.png", "binary file", False)],
        ),
    ),
]


def outcome(verdict: Verdict) -> Outcome:
    return (
        verdict.decision,
        [(item.path, item.client_id, item.action) for item in verdict.findings],
        [(item.path, item.reason, item.blocks) for item in verdict.not_scanned],
    )


@pytest.mark.parametrize(("respond", "expected"), [case[1:] for case in SERVERS], ids=[case[0] for case in SERVERS])
def test_hostile_servers(respond: Respond, expected: object) -> None:
    with serving(respond) as server:
        try:
            verdict, _ = remote_check(server.url, "example", TOKEN, POSTS)
            got: object = outcome(verdict)
        except GateError as error:
            got = str(error)
            assert TOKEN not in got
    url = f"{server.url}/v1/orgs/example/check"
    assert got == (expected.format(url=url) if isinstance(expected, str) else expected)
    assert [request.headers["authorization"] for request in server.received] == [f"Bearer {TOKEN}"]


REDIRECTS = [301, 302, 303, 307, 308]


@pytest.mark.parametrize("status", REDIRECTS)
def test_a_redirect_is_an_error_and_never_followed(status: int) -> None:
    with serving(lambda request: Reply(200, honest(request))) as elsewhere:
        target = f"{elsewhere.url}/v1/orgs/example/check"
        with (
            serving(lambda request: Reply(status, b"", {"Location": target})) as server,
            pytest.raises(GateError) as caught,
        ):
            remote_check(server.url, "example", TOKEN, POSTS)
    url = f"{server.url}/v1/orgs/example/check"
    assert str(caught.value) == f"{url}: the server answered {status}, a redirect, which is not followed"
    assert len(server.received) == 1
    assert [request.headers.get("authorization") for request in elsewhere.received] == []


ONLY_LOCAL_HTTP = "http:// only to this machine (127.0.0.1, ::1, localhost): use https://"
NOT_HTTP = "the server URL must begin https:// (or http:// to this machine)"

URLS: list[tuple[str, str]] = [
    ("https://gate.example.org", "https://gate.example.org/v1/orgs/a%2Fb/check"),
    ("https://gate.example.org/base/", "https://gate.example.org/base/v1/orgs/a%2Fb/check"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/orgs/a%2Fb/check"),
    ("http://127.8.9.10", "http://127.8.9.10/v1/orgs/a%2Fb/check"),
    ("http://[::1]:8080/", "http://[::1]:8080/v1/orgs/a%2Fb/check"),
    ("HTTP://LOCALHOST:8080?x#y", "http://LOCALHOST:8080/v1/orgs/a%2Fb/check"),
    ("http://example.org", ONLY_LOCAL_HTTP),
    ("http://10.0.0.1", ONLY_LOCAL_HTTP),
    ("http://[::2]", ONLY_LOCAL_HTTP),
    ("http://127.0.0.1.example.org", ONLY_LOCAL_HTTP),
    ("http://localhost.example.org", ONLY_LOCAL_HTTP),
    ("http://127.1", ONLY_LOCAL_HTTP),
    ("file:///etc/passwd", NOT_HTTP),
    ("ftp://127.0.0.1/", NOT_HTTP),
    ("127.0.0.1:8080", NOT_HTTP),
    ("https://", "the server URL names no host"),
    ("http://127.0.0.1:99999", "the server URL has an invalid port"),
    (
        "http://user:secret@127.0.0.1",
        "the server URL must not hold a user name or password: the token comes from GATE_TOKEN",
    ),
    (
        "http://127.0.0.1@example.org",
        "the server URL must not hold a user name or password: the token comes from GATE_TOKEN",
    ),
]


@pytest.mark.parametrize(("server", "expected"), URLS)
def test_check_url(server: str, expected: str) -> None:
    try:
        got = check_url(server, "a/b")
    except GateError as error:
        got = str(error)
    assert got == expected


@pytest.mark.parametrize(
    ("server", "expected"),
    [("http://example.org", ONLY_LOCAL_HTTP), ("file:///etc/passwd", NOT_HTTP), ("ftp://example.org/", NOT_HTTP)],
)
def test_a_refused_url_sends_nothing(server: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # urllib would send these through the proxies named in the environment: a proxy that
    # hears nothing shows nothing was sent.
    with serving(lambda request: Reply(200, honest(request))) as proxy:
        for scheme in ("http", "https", "ftp", "no"):
            monkeypatch.setenv(f"{scheme}_proxy", proxy.url if scheme != "no" else "")
        with pytest.raises(GateError) as caught:
            remote_check(server, "example", TOKEN, POSTS)
    assert (str(caught.value), proxy.received) == (expected, [])


def test_http_to_this_machine_goes_direct_never_through_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        serving(lambda request: Reply(200, honest(request))) as proxy,
        serving(lambda request: Reply(200, honest(request))) as server,
    ):
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("no_proxy", "")
        verdict, policy = remote_check(server.url, "example", TOKEN, POSTS)
    assert (outcome(verdict), policy.block_message) == (BLOCK_KIM, "Ask Dana")
    assert (len(server.received), proxy.received) == (1, [])


def verifying(secret: bytes) -> Respond:
    """A server that checks Standard Webhooks signatures as the webhook does."""

    def respond(request: Received) -> Reply:
        headers = request.headers
        expected = signature(secret, headers.get("webhook-id", ""), headers.get("webhook-timestamp", ""), request.body)
        if headers.get("webhook-signature") != "v1," + expected:
            return Reply(401, {"error": {"code": "bad_signature", "message": "bad signature"}})
        return Reply(200, honest(request))

    return respond


SIGNING: list[tuple[str, bytes | None, str | Outcome]] = [
    ("the right secret", parse_secret(SECRET), BLOCK_KIM),
    ("another secret", parse_secret("whsec_" + "A" * 32), "{url}: the server answered 401 (bad signature)"),
    ("no secret", None, "{url}: the server answered 401 (bad signature)"),
]


@pytest.mark.parametrize(("secret", "expected"), [case[1:] for case in SIGNING], ids=[case[0] for case in SIGNING])
def test_signed_requests(secret: bytes | None, expected: object) -> None:
    with serving(verifying(parse_secret(SECRET))) as server:
        try:
            got: object = outcome(remote_check(server.url, "example", TOKEN, POSTS, signing_secret=secret)[0])
        except GateError as error:
            got = str(error)
    assert got == (
        expected.format(url=f"{server.url}/v1/orgs/example/check") if isinstance(expected, str) else expected
    )


def test_each_batch_is_signed_with_its_own_id() -> None:
    many = [Content(f"posts/{number:03}.md", "Open day") for number in range(250)]
    with serving(verifying(parse_secret(SECRET))) as server:
        verdict, _ = remote_check(server.url, "example", TOKEN, many, signing_secret=parse_secret(SECRET))
    ids = [request.headers["webhook-id"] for request in server.received]
    assert (verdict.decision, [len(post_ids(request)) for request in server.received]) == ("approve", [100, 100, 50])
    assert len(set(ids)) == 3 and all(len(item) == 28 and item.startswith("msg_") for item in ids)
    assert all(request.headers["webhook-timestamp"].isdigit() for request in server.received)


def test_an_unreachable_server_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(lambda request: Reply(200, honest(request))) as gone:
        url = gone.url
    (tmp_path / "a.md").write_text("Open day")
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    assert main(["check", "--server", url, "--org", "example", str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{ERROR_PREFIX}{url}/v1/orgs/example/check: cannot reach the server (")
    assert err.endswith("); nothing was checked\n") and err.count("\n") == 1


CLI_CASES: list[tuple[str, Respond, str]] = [
    (
        "redirect",
        lambda request: Reply(302, b"", {"Location": "http://127.0.0.1:9/"}),
        "{url}: the server answered 302, a redirect, which is not followed",
    ),
    (
        "approve of a blocking finding",
        approve_blocking_result,
        NOT_A_VERDICT + '"results[0].decision" is approve, but the verdict lists what blocks',
    ),
    (
        "finding without client_id",
        edit_first_finding(client_id=None),
        NOT_A_VERDICT + '"results[0].findings[0].client_id" is missing',
    ),
]


@pytest.mark.parametrize(("respond", "message"), [case[1:] for case in CLI_CASES], ids=[case[0] for case in CLI_CASES])
def test_cli_exits_2_with_one_line(
    respond: Respond, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("Thanks Kim Lowe")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    with serving(respond) as server:
        code = main(["check", "--server", server.url, "--org", "example", "posts/a.md"])
    url = f"{server.url}/v1/orgs/example/check"
    assert (code, capsys.readouterr()) == (2, ("", f"{ERROR_PREFIX}{message.format(url=url)}\n"))


@pytest.mark.parametrize("server", ["file:///etc/passwd", "http://example.org"])
def test_cli_refuses_a_url_before_sending(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("Open day")
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    code = main(["check", "--server", server, "--org", "example", str(tmp_path / "a.md")])
    expected = NOT_HTTP if server.startswith("file") else ONLY_LOCAL_HTTP
    assert (code, capsys.readouterr()) == (2, ("", f"{ERROR_PREFIX}{expected}\n"))


def test_an_answer_too_large_to_be_a_verdict_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gate.adapters.remote.MAX_ANSWER_BYTES", 1000)
    with (
        serving(lambda request: Reply(200, b" " * 5000 + json.dumps(honest(request)).encode())) as server,
        pytest.raises(GateError) as caught,
    ):
        remote_check(server.url, "example", TOKEN, POSTS)
    assert (
        str(caught.value)
        == f"{server.url}/v1/orgs/example/check: the server's answer is over 0 MiB; nothing was approved"
    )


SIGNING_ENVIRONMENT = [
    ("signed with GATE_SIGNING_SECRET", SECRET, 1, ""),
    ("no GATE_SIGNING_SECRET", "", 2, "{url}: the server answered 401 (bad signature)"),
    ("a secret of 5 bytes", "whsec_c2hvcnQ=", 2, "GATE_SIGNING_SECRET: the secret's key has 5 bytes, fewer than 16"),
    ("a secret that is not base64", "whsec_not base64!", 2, "GATE_SIGNING_SECRET: not a whsec_<base64> secret"),
]


@pytest.mark.parametrize(
    ("secret", "code", "message"),
    [case[1:] for case in SIGNING_ENVIRONMENT],
    ids=[case[0] for case in SIGNING_ENVIRONMENT],
)
def test_cli_signs_with_the_secret_in_the_environment(
    secret: str,
    code: int,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("Thanks Kim Lowe")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GATE_TOKEN", TOKEN)
    monkeypatch.setenv("GATE_SIGNING_SECRET", secret)
    with serving(verifying(parse_secret(SECRET))) as server:
        assert main(["check", "--server", server.url, "--org", "example", "posts/a.md"]) == code
    err = capsys.readouterr().err
    expected = f"{ERROR_PREFIX}{message.format(url=f'{server.url}/v1/orgs/example/check')}\n" if message else ""
    assert err == expected


def test_a_server_that_trickles_its_answer_is_refused_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each read gets a byte before its timeout; the whole answer never comes in time."""
    monkeypatch.setattr("gate.adapters.remote.DEADLINE_SECONDS", 1)

    class Trickle(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"decision": "approve", "results": []}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except BrokenPipeError:
                pass  # the gate hung up at its deadline, as it should

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        with pytest.raises(GateError) as caught:
            remote_check(url, "example", TOKEN, POSTS)
    finally:
        server.shutdown()
        server.server_close()
    assert str(caught.value) == f"{url}/v1/orgs/example/check: the server took over 1 s to answer; nothing was approved"


def at_most(limit: int) -> Respond:
    """The honest server, with `max_posts` = `limit`."""

    def respond(request: Received) -> Reply:
        if len(post_ids(request)) > limit:
            return Reply(422, {"error": {"code": "too_many_posts", "message": f"at most {limit} posts per request"}})
        return Reply(200, honest(request))

    return respond


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_a_server_taking_fewer_posts_a_request_gets_them_in_smaller_batches(limit: int) -> None:
    files = [*POSTS, *(Content(f"posts/{number}.md", "Open day") for number in range(4))]
    with serving(at_most(limit)) as server:
        verdict, _ = remote_check(server.url, "example", TOKEN, files)
    assert outcome(verdict) == (
        "block",
        [("posts/a.md", "EX-001", "block")],
        [("logo.png", "binary file", False)],
    )
    answered = [post_ids(request) for request in server.received if len(post_ids(request)) <= limit]
    assert [post_id for ids in answered for post_id in ids] == [content.path for content in files]


def test_a_server_that_takes_no_post_at_all_is_an_error() -> None:
    with serving(at_most(0)) as server, pytest.raises(GateError) as caught:
        remote_check(server.url, "example", TOKEN, POSTS)
    assert str(caught.value) == (
        f"{server.url}/v1/orgs/example/check: the server refuses even one post a request (too_many_posts)"
    )
