"""`gate check` and `gate wordlist check` as a person runs them: exit codes and exact output."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import gate.adapters.cache
import gate.matcher
from gate.cli import main
from tests.support.wordlists import write_wordlist

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "wordlists" / "example")
CANARY = "Zebedee Quartermain"


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def wordlist(tmp_path: Path, rows: str, **files: str) -> str:
    return str(write_wordlist(tmp_path / "wl", rows, **files))


def test_block_exit_1_with_one_line_per_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = write(tmp_path / "post.md", "Thanks to\nKim Lowe and (555) 014-7788!\n")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    out = capsys.readouterr()
    assert out.out == (
        f"{post}:2:1: EX-001 name — a client's name: remove it or anonymise the story, or get the client's written consent and have it recorded in the client list (consent_until)\n"
        f"{post}:2:15: EX-001 phone — a client's phone number: remove it\n"
        "block: 2 findings, 0 suppressed, 0 not scanned\n"
        "This post names a client. Our confidentiality policy forbids identifying clients "
        "without their written consent.\n"
        "Tell stories without identifying anyone: change names and details, or ask the compliance "
        "officer (compliance@harbourside.example) to record a client's written consent first. Posts "
        "to staff groups may discuss a client only when everyone in the group is on that client's "
        "care team.\n"
        "https://intranet.example.org/policies/confidentiality\n"
    )
    assert out.err == ""


def test_approve_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = write(tmp_path / "post.md", "Open day on Saturday at the Ed Marsh Community Garden.\n")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 0
    assert capsys.readouterr().out == (
        f"{post}:1:29: EX-008 suppressed — allowed by allow.txt line 4\n"
        "approve: 0 findings, 1 suppressed, 0 not scanned\n"
    )


def test_example_posts_block_and_approve(capsys: pytest.CaptureFixture[str]) -> None:
    posts = ROOT / "wordlists" / "example-posts"
    assert main(["check", "--wordlist", EXAMPLE, str(posts / "open-day.md")]) == 0
    assert main(["check", "--wordlist", EXAMPLE, str(posts)]) == 1
    assert "success-story.md:3:8: EX-001 name" in capsys.readouterr().out


def test_json_format_and_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Case CL 2023 0457")))
    assert main(["check", "--wordlist", EXAMPLE, "--format", "json", "-"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["findings"] == [
        {
            "path": "<stdin>",
            "line": 1,
            "column": 6,
            "end_line": 1,
            "end_column": 17,
            "client_id": "EX-015",
            "kind": "id",
            "action": "block",
            "message": "client case number: never publish case numbers, not even with consent",
        }
    ]
    assert verdict["wordlist"]["org"] == "example"
    assert verdict["wordlist"]["version"].startswith("sha256:")


def test_wordlist_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GATE_WORDLIST", EXAMPLE)
    assert main(["check", write(tmp_path / "a.txt", "Lowe, Kim")]) == 1
    assert "EX-001 name" in capsys.readouterr().out


def test_consent_and_warn_actions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = write(tmp_path / "p.md", "Maria Svensson at the Brandt & Daughters Bakery; Jamal Okafor.\n")
    assert main(["check", "--wordlist", EXAMPLE, "--today", "2027-06-30", post]) == 1
    assert capsys.readouterr().out.splitlines()[:3] == [
        f"{post}:1:23: EX-031 other (warning) — something that identifies a client: remove it or anonymise the story, or get the client's written consent and have it recorded in the client list (consent_until)",
        f"{post}:1:50: EX-010 name — a client's name: remove it or anonymise the story, or get the client's written consent and have it recorded in the client list (consent_until)",
        f"{post}:1:1: EX-004 suppressed — consent until 2027-06-30",
    ]
    assert main(["check", "--wordlist", EXAMPLE, "--today", "2027-07-01", post]) == 1
    assert f"{post}:1:1: EX-004 name — a client's name" in capsys.readouterr().out


def test_binary_files_are_listed_as_not_scanned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\0\0Kim Lowe")
    assert main(["check", "--wordlist", EXAMPLE, "--format", "json", str(tmp_path)]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["not_scanned"] == [
        {"path": str(tmp_path / "logo.png"), "reason": "binary file (contains NUL bytes)"}
    ]


ERRORS = [
    (["check", "--wordlist", "nowhere", "x"], "gate: error: nowhere: wordlist directory not found\n"),
    (["check", "x"], "gate: error: no wordlist: pass --wordlist DIR, set GATE_WORDLIST, or name it in .gate.toml\n"),
    (
        ["check", "--wordlist", EXAMPLE],
        "gate: error: nothing to check: give files or folders, or - for standard input\n",
    ),
    (["check", "--wordlist", EXAMPLE, "missing.md"], "gate: error: missing.md: no such file or directory\n"),
    # Combinations that cannot all be honoured: each used to check less than was asked.
    (
        ["check", "--wordlist", EXAMPLE, "--post", "post.json", "story.md"],
        "gate: error: PATH and --post cannot be combined: check one at a time\n",
    ),
    (
        ["check", "--wordlist", EXAMPLE, "--staged", "story.md"],
        "gate: error: PATH and --staged cannot be combined: check one at a time\n",
    ),
    (
        ["check", "--wordlist", EXAMPLE, "--staged", "--post", "post.json"],
        "gate: error: --staged and --post cannot be combined: check one at a time\n",
    ),
    (
        ["check", "--server", "https://gate.example.org", "--org", "example", "--wordlist", EXAMPLE, "story.md"],
        "gate: error: --server cannot be combined with --wordlist: the server checks against its own list\n",
    ),
    (
        [
            "check",
            "--server",
            "https://gate.example.org",
            "--org",
            "example",
            "--reveal",
            "--today",
            "2027-01-01",
            "story.md",
        ],
        "gate: error: --server cannot be combined with --reveal, --today: the server checks against its own list\n",
    ),
    (
        ["check", "--server", "https://gate.example.org", "--org", "example", "--post", "post.json"],
        "gate: error: --server cannot be combined with --post: the server checks against its own list\n",
    ),
    (["check", "--wordlist", EXAMPLE, "--org", "example", "story.md"], "gate: error: --org goes with --server\n"),
    (
        ["check", "--wordlist", EXAMPLE, "--reveal", "--post", "post.json"],
        "gate: error: --post cannot be combined with --reveal: a post's verdict never carries matched text\n",
    ),
]


@pytest.mark.parametrize(("argv", "stderr"), ERRORS)
def test_errors_exit_2_with_one_line(argv: list[str], stderr: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", stderr)


POSTS = [
    # (the post file, options, exit code, stderr): as the webhook reads a post
    (
        '{"post": {"id": "q", "text": "Thanks Kim Lowe!", "text": "hi"}}',
        [],
        2,
        "an object in the JSON has the same key twice",
    ),
    (
        '{"post": {"id": "q", "text": "hi", "text": "Thanks Kim Lowe!"}}',
        [],
        2,
        "an object in the JSON has the same key twice",
    ),
    ('{"post": {"id": "q", "text": "Thanks Kim Lowe!"}}', [], 1, ""),
    ('{"post": {"id": "q", "text": "Open day", "body": "' + "[" * 40 + '"}}', [], 0, ""),
    ('{"post": {"id": "q", "text": "Open day", "format": "json"}}', [], 0, ""),
    ('{"post": {"id": "q", "text": "{\\"a\\": ", "format": "json"}}', [], 0, ""),
    ('{"post": {"id": "q", "text": "{\\"a\\": ", "format": "json"}}', ["--fail-on-unscanned"], 1, ""),
    ("[" * 5000 + "]" * 5000, [], 2, "not a JSON post"),
]


@pytest.mark.parametrize(("body", "options", "code", "error"), POSTS)
def test_a_post_file_is_read_as_the_webhook_reads_a_post(
    body: str, options: list[str], code: int, error: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write(tmp_path / "post.json", body)
    assert main(["check", "--wordlist", EXAMPLE, *options, "--post", post]) == code
    assert capsys.readouterr().err == (f"gate: error: {post}: {error}\n" if error else "")


def test_broken_wordlist_exits_2_naming_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = wordlist(tmp_path, "A,name,Kim Lowe,\nB,nmae,Ed Marsh,\n")
    post = write(tmp_path / "p.md", "Kim Lowe")
    assert main(["check", "--wordlist", directory, post]) == 2
    assert capsys.readouterr().err == (
        f"gate: error: {directory}/clients.csv:3:2: unknown kind "
        "(expected one of name, alias, handle, email, phone, id, other, detail)\n"
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--format", "xml", "x"])
    assert exit_.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_canary_value_absent_from_text_appears_in_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = wordlist(
        tmp_path, f"Z,name,{CANARY},\nZ,email,zq@example.org,\nA,name,Kim Lowe,\n", allow_txt=f"{CANARY} Foundation\n"
    )
    post = write(tmp_path / "p.md", "Kim Lowe, Lowe Kim, Zebedee, Quartermain.\n")
    for options in ([], ["--format", "json"], ["--reveal"], ["--reveal", "--format", "json"]):
        assert main(["check", "--wordlist", directory, *options, post]) == 1
        out = capsys.readouterr()
        assert "quartermain, zebedee" not in (out.out + out.err).lower()
        assert "zebedee quartermain" not in (out.out + out.err).lower()
        assert "zq@" not in out.out + out.err
    assert main(["wordlist", "check", directory]) == 0
    out = capsys.readouterr()
    assert "Quartermain" not in out.out + out.err


def test_matched_text_only_with_reveal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = wordlist(tmp_path, f"Z,name,{CANARY},\n")
    post = write(tmp_path / "p.md", f"Thanks, {CANARY.upper()}!\n")
    assert main(["check", "--wordlist", directory, post]) == 1
    assert "ZEBEDEE" not in capsys.readouterr().out
    assert main(["check", "--wordlist", directory, "--reveal", post]) == 1
    assert 'matched "ZEBEDEE QUARTERMAIN"' in capsys.readouterr().out


def test_wordlist_check_counts_and_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = wordlist(
        tmp_path,
        "A,name,Kim Lowe,\nA,alias,Hope,\nB,name,Tamsin,\nB,handle,@kimlowe,\nC,name,kim  lowe,\n",
        allow_txt="Kim Lowe Trust\n",
    )
    assert main(["wordlist", "check", directory]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{directory}: 3 clients, 5 identifiers (name 3, alias 1, handle 1), 1 allow terms, 0 staff"
    assert lines[1:4] == [
        f"warning: {directory}/clients.csv:3: A alias: is a common English word and will block ordinary text",
        f"warning: {directory}/clients.csv:4: B name: a single-word name also blocks anyone else of that name",
        f"warning: {directory}/clients.csv:6: C name: same value as line 2 of client A",
    ]
    assert lines[4].startswith("ok: sha256:") and lines[4].endswith(" (3 warnings)")


LINT_CASES = [
    ("Mark Price,", "B name: is made of common English words and will block ordinary text"),
    ("Kim Lowe,2026-11-30", "B name: consent ended on 2026-11-30: it blocks again"),
    ("Kim Lowe,2026-12-01", "B name: consent ends on 2026-12-01 (today): renew it, or the identifier blocks again"),
    ("Kim Lowe,2026-12-02", "B name: consent ends on 2026-12-02 (tomorrow): renew it, or the identifier blocks again"),
    (
        "Kim Lowe,2026-12-31",
        "B name: consent ends on 2026-12-31 (in 30 days): renew it, or the identifier blocks again",
    ),
]


@pytest.mark.parametrize(("row", "warning"), LINT_CASES, ids=[warning.split(": ")[1] for _, warning in LINT_CASES])
def test_wordlist_check_warns_of_common_words_and_consents_running_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, warning: str
) -> None:
    directory = wordlist(tmp_path, f"A,name,Ann Lee,\nB,name,{row}\n")
    assert main(["wordlist", "check", "--today", "2026-12-01", directory]) == 0
    assert capsys.readouterr().out.splitlines()[1:-1] == [f"warning: {directory}/clients.csv:3: {warning}"]


@pytest.mark.parametrize("row", ["Kim Lowe,", "Kim Lowe,2027-01-01", "Grace Hill,"])
def test_wordlist_check_is_quiet_about_a_plain_name_and_a_consent_far_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str
) -> None:
    directory = wordlist(tmp_path, f"A,name,Ann Lee,\nB,name,{row}\n")
    assert main(["wordlist", "check", "--today", "2026-12-01", directory]) == 0
    (ok,) = capsys.readouterr().out.splitlines()[1:]
    assert re.fullmatch(r"ok: sha256:[0-9a-f]{64}", ok)


def test_wordlist_check_names_the_columns_it_ignores_and_every_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "wl"
    directory.mkdir()
    (directory / "clients.csv").write_text(f"client_id,kind,value,notes\nA,name,Kim Lowe,{CANARY}\n")
    assert main(["wordlist", "check", str(directory)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == f"warning: {directory}/clients.csv:1:4: column 4 is not one the gate reads: ignored"
    assert CANARY not in out
    (directory / "clients.csv").write_text("client_id,kind,value\nA,nmae,Kim Lowe\nB,name,\n")
    assert main(["wordlist", "check", str(directory)]) == 2
    assert capsys.readouterr().err == (
        f"gate: error: {directory}/clients.csv:2:2: unknown kind (expected one of name, alias, handle, email, phone, id, other, detail)\n"
        f"gate: error: {directory}/clients.csv:3:3: empty value\n"
    )


def test_example_wordlist_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wordlist", "check", EXAMPLE]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{EXAMPLE}: 32 clients, ")


def test_compiled_wordlist_is_cached_privately(
    tmp_path: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write(tmp_path / "p.md", "Kim Lowe")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    (cached,) = private_cache.glob("*.pickle")
    assert oct(private_cache.stat().st_mode & 0o777) == "0o700"
    cached.write_bytes(b"damaged")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    assert pickle.loads(cached.read_bytes()[gate.adapters.cache.TAG_BYTES :]).org == "example"
    assert oct((private_cache / gate.adapters.cache.KEY_FILE).stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()


def test_the_code_stamp_changes_with_the_given_names_a_list_is_compiled_with(tmp_path: Path) -> None:
    edited = tmp_path / "gate"
    edited.mkdir()
    names = [*(f"{module}.py" for module in gate.adapters.cache.COMPILER_MODULES), *gate.adapters.cache.COMPILER_DATA]
    for name in names:
        (edited / name).write_bytes((ROOT / "gate" / name).read_bytes())
    before = gate.adapters.cache.code_stamp(edited)
    with (edited / "given-names.txt").open("a", encoding="utf-8") as names_file:
        names_file.write("zebedee\n")
    assert gate.adapters.cache.code_stamp(edited) != before


def test_a_changed_gate_never_loads_a_list_an_earlier_one_compiled(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = tmp_path / "gate"
    edited.mkdir()
    names = [*(f"{module}.py" for module in gate.adapters.cache.COMPILER_MODULES), *gate.adapters.cache.COMPILER_DATA]
    for name in names:  # the same code and data, as a reinstall leaves them
        (edited / name).write_bytes((ROOT / "gate" / name).read_bytes())
    assert gate.adapters.cache.code_stamp(edited) != gate.adapters.cache.code_stamp(ROOT / "gate")
    post = write(tmp_path / "p.md", "Kim Lowe")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    (before,) = private_cache.glob("*.pickle")
    monkeypatch.setattr(gate.adapters.cache, "CODE_STAMP", gate.adapters.cache.code_stamp(edited))
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    assert len(list(private_cache.glob("*.pickle"))) == 2 and before.exists()
    capsys.readouterr()


class Planted:
    """Loading this pickle leaves a mark: proof that it was loaded."""

    def __init__(self, mark: str) -> None:
        self.mark = mark

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.mark, "w"))


def test_cache_in_a_folder_others_can_write_is_never_loaded(
    tmp_path: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write(tmp_path / "p.md", "Kim Lowe")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    (cached,) = private_cache.glob("*.pickle")
    mark = tmp_path / "loaded"
    cached.write_bytes(pickle.dumps(Planted(str(mark))))
    private_cache.chmod(0o777)
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    assert not mark.exists()
    capsys.readouterr()


def signed(private_cache: Path, body: bytes) -> bytes:
    """A cache file as this user's gate writes it: the HMAC of its key, then the pickle."""
    key = (private_cache / gate.adapters.cache.KEY_FILE).read_bytes()
    return hmac.new(key, body, hashlib.sha256).digest() + body


SWAPPED_CACHES = [
    # How another user, or a damaged disk, could put a pickle where the gate loads one.
    "a pickle without the HMAC",
    "a pickle with another key's HMAC",
    "a link to a signed pickle elsewhere",
    "a signed pickle, the key readable by others",
    "a signed pickle others can write",
]


@pytest.mark.parametrize("case", SWAPPED_CACHES)
def test_a_cache_file_this_users_gate_did_not_write_is_never_unpickled(
    case: str, tmp_path: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write(tmp_path / "p.md", "Kim Lowe")
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    (cached,) = private_cache.glob("*.pickle")
    mark = tmp_path / "loaded"
    planted = pickle.dumps(Planted(str(mark)))
    if case == "a pickle without the HMAC":
        cached.write_bytes(planted)
    elif case == "a pickle with another key's HMAC":
        cached.write_bytes(hmac.new(b"k" * 32, planted, hashlib.sha256).digest() + planted)
    elif case == "a link to a signed pickle elsewhere":
        (tmp_path / "elsewhere.pickle").write_bytes(signed(private_cache, planted))
        cached.unlink()
        cached.symlink_to(tmp_path / "elsewhere.pickle")
    elif case == "a signed pickle, the key readable by others":
        cached.write_bytes(signed(private_cache, planted))
        (private_cache / gate.adapters.cache.KEY_FILE).chmod(0o644)
    else:
        cached.write_bytes(signed(private_cache, planted))
        cached.chmod(0o666)
    assert main(["check", "--wordlist", EXAMPLE, post]) == 1
    assert not mark.exists()
    capsys.readouterr()


def test_real_process_no_traceback(tmp_path: Path) -> None:
    post = write(tmp_path / "p.md", "Kim Lowe")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    blocked = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--wordlist", EXAMPLE, post],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (blocked.returncode, blocked.stderr) == (1, "")
    broken = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--wordlist", str(tmp_path), post],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert broken.returncode == 2
    assert broken.stderr == f"gate: error: {tmp_path}/clients.csv: missing (every wordlist needs one)\n"


def test_processes_that_miss_the_cache_at_once_compile_the_list_once(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = []
    compile_for_real = gate.matcher.build_matcher

    def slow_compile(*arguments: Any) -> Any:
        compiled.append(arguments)
        time.sleep(0.3)  # long enough for the other to arrive and wait
        return compile_for_real(*arguments)

    monkeypatch.setattr(gate.adapters.cache, "build_matcher", slow_compile)
    with ThreadPoolExecutor(max_workers=2) as pool:
        loaded = list(
            pool.map(lambda _: gate.adapters.cache.load_matcher(Path(EXAMPLE), cache_directory=private_cache), range(2))
        )
    assert len(compiled) == 1 and [item.version for item in loaded] == [loaded[0].version] * 2


def test_wordlist_compile_fills_the_cache(
    tmp_path: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["wordlist", "compile", EXAMPLE]) == 0
    version = capsys.readouterr().out.removeprefix("compiled: ").strip()
    assert version.startswith("sha256:") and len(list(private_cache.glob("*.pickle"))) == 1
    assert gate.adapters.cache.cached_matcher(Path(EXAMPLE), private_cache).version == version  # type: ignore[union-attr]
    assert main(["wordlist", "compile", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"gate: error: {tmp_path}/clients.csv: missing (every wordlist needs one)\n"


def test_the_cache_keeps_the_newest_compiled_lists_only(tmp_path: Path, private_cache: Path) -> None:
    names: list[str] = []
    for number in range(gate.adapters.cache.KEEP_CACHED + 4):
        wordlist = tmp_path / "example"
        shutil.rmtree(wordlist, ignore_errors=True)
        shutil.copytree(EXAMPLE, wordlist)
        with (wordlist / "clients.csv").open("a", encoding="utf-8") as clients:
            clients.write(f"EX-{number + 100},id,CASE-{number:04d},\n")
        gate.adapters.cache.load_matcher(wordlist, cache_directory=private_cache)
        (newest,) = set(private_cache.glob("*.pickle")) - {private_cache / name for name in names}
        os.utime(newest, ns=(number * 10**9, number * 10**9))  # in the order they were compiled
        names.append(newest.name)
    kept = sorted(path.name for path in private_cache.glob("*.pickle"))
    assert kept == sorted(names[4:])
    assert not (private_cache / f".{names[3]}.lock").exists() and (private_cache / f".{names[4]}.lock").exists()


def test_two_organisations_with_the_same_files_keep_their_own_names(
    tmp_path: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write(tmp_path / "p.md", "Kim Lowe")
    for org in ("harbourside", "riverbank", "harbourside"):
        shutil.copytree(EXAMPLE, tmp_path / org, dirs_exist_ok=True)
        assert main(["check", "--wordlist", str(tmp_path / org), "--format", "json", post]) == 1
        assert json.loads(capsys.readouterr().out)["wordlist"]["org"] == org
    assert len(list(private_cache.glob("*.pickle"))) == 2


def crash(*arguments: object, **options: object) -> object:
    raise RuntimeError(f"{CANARY} broke something")


@pytest.mark.parametrize("debug", ["", "1"])
@pytest.mark.parametrize("entry", ["gate", "gate-pre-commit"])
def test_a_crash_is_exit_2_in_one_line_without_the_message(
    entry: str, debug: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 1 is a block: a crash that exited 1 would read as one to CI, and its message
    could quote the text or the list."""
    import gate.cli.check
    import hooks.pre_commit

    monkeypatch.setattr(gate.cli.check, "check_contents", crash)
    monkeypatch.setenv("GATE_DEBUG", debug)
    (tmp_path / "post.md").write_text("Open day\n")
    run = main if entry == "gate" else hooks.pre_commit.main
    argv = ["--wordlist", EXAMPLE, str(tmp_path / "post.md")]
    assert run(["check", *argv] if entry == "gate" else argv) == 2
    first, *rest = capsys.readouterr().err.splitlines()
    assert first == (
        "gate: error: unexpected RuntimeError: the check did not finish, nothing is approved "
        "(GATE_DEBUG=1 shows the traceback)"
    )
    assert bool(rest) == bool(debug) and (CANARY in "\n".join(rest)) == bool(debug)
