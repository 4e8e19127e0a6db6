"""The hooks with the real tools: git in a temporary repository, and pre-commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gate.cli import main
from hooks.pre_commit import main as hook_main
from tests.support.documents import exif, image

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "wordlists" / "example")


def run(*command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "config", "user.email", "marketing@example.org"],
        ["git", "config", "user.name", "Marketing"],
        ["git", "config", "commit.gpgsign", "false"],
    ):
        assert run(*command, cwd=folder).returncode == 0
    return folder


def environment(private_cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GATE_WORDLIST": EXAMPLE,
        "GATE_CACHE_DIR": str(private_cache),
    }


def test_plain_git_hook_checks_the_staged_content(
    repository: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repository)
    assert main(["install-hook"]) == 0
    assert capsys.readouterr().out == f"installed {Path('.git/hooks/pre-commit')}\n"
    env = environment(private_cache)
    post = repository / "post.md"
    post.write_text("Thanks to Kim Lowe for the mural.\n")
    assert run("git", "add", "post.md", cwd=repository).returncode == 0
    post.write_text("Thanks to our volunteers for the mural.\n")  # cleaned, but not staged
    blocked = run("git", "commit", "-q", "-m", "story", cwd=repository, env=env)
    assert blocked.returncode == 1
    assert "post.md:1:11: EX-001 name — a client's name" in blocked.stderr  # git shows hook output there
    assert run("git", "log", cwd=repository).returncode != 0  # nothing was committed
    assert run("git", "add", "post.md", cwd=repository).returncode == 0
    clean = run("git", "commit", "-q", "-m", "story", cwd=repository, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr


PLANTED = {
    # Modules a content repository could commit, hoping the hook imports them from its root.
    "gate.py": "import sys\nsys.exit(0)\n",
    "gate/__init__.py": "import sys\nsys.exit(0)\n",
    "argparse.py": "import sys\nsys.exit(0)\n",
    "yaml.py": "import sys\nsys.exit(0)\n",
    "sitecustomize.py": "import sys\nsys.exit(0)\n",
}


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_plain_git_hook_never_runs_code_from_the_repository(
    planted: str, repository: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository)
    assert main(["install-hook"]) == 0
    (repository / planted).parent.mkdir(exist_ok=True)
    (repository / planted).write_text(PLANTED[planted])
    (repository / "post.md").write_text("Thanks to Kim Lowe for the mural.\n")
    assert run("git", "add", ".", cwd=repository).returncode == 0
    env = {**environment(private_cache), "PYTHONPATH": str(repository)}  # even if pointed there
    blocked = run("git", "commit", "-q", "-m", "story", cwd=repository, env=env)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "post.md:1:11: EX-001 name" in blocked.stderr
    assert run("git", "log", cwd=repository).returncode != 0  # nothing was committed


STAGED_CHANGES = [
    # (what the commit before held, what is staged now, findings)
    ("a symbolic link to a clean post", "file", ["story.md:1:11: EX-001 name"]),
    ("a clean file", "symbolic link to kim-lowe.md", ["story.md:1:1: EX-001 name"]),
    ("a clean file", "file", ["story.md:1:11: EX-001 name"]),
]


def test_staged_checks_the_path_of_a_clean_file(repository: Path, private_cache: Path) -> None:
    (repository / "posts").mkdir()
    (repository / "posts" / "kim-lowe-story.md").write_text("An open day at the garden.\n")
    (repository / "posts" / "kim-lowe.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\x10JFIF\0")
    (repository / "posts" / "open-day.md").write_text("An open day at the garden.\n")
    assert run("git", "add", ".", cwd=repository).returncode == 0
    done = run(sys.executable, "-m", "gate", "check", "--staged", cwd=repository, env=environment(private_cache))
    assert done.returncode == 1, done.stdout + done.stderr
    assert [line.split(" — ")[0] for line in done.stdout.splitlines() if ": EX-" in line] == [
        "posts/kim-lowe-story.md (path):1:7: EX-001 name",
        "posts/kim-lowe.jpg (path):1:7: EX-001 name",
    ]


@pytest.mark.parametrize(("before", "staged", "findings"), STAGED_CHANGES)
def test_staged_checks_every_blob_that_will_be_committed(
    before: str, staged: str, findings: list[str], repository: Path, private_cache: Path
) -> None:
    (repository / "clean.md").write_text("Open day.\n")
    story = repository / "story.md"
    if before.startswith("a symbolic link"):
        story.symlink_to("clean.md")
    else:
        story.write_text("Open day.\n")
    assert run("git", "add", ".", cwd=repository).returncode == 0
    assert run("git", "commit", "-q", "-m", "clean", cwd=repository).returncode == 0
    story.unlink()
    if staged == "file":
        story.write_text("Thanks to Kim Lowe for the mural.\n")
    else:
        story.symlink_to("kim-lowe.md")
    assert run("git", "add", "story.md", cwd=repository).returncode == 0
    story.unlink()  # the working tree no longer holds it: only the index does
    done = run(sys.executable, "-m", "gate", "check", "--staged", cwd=repository, env=environment(private_cache))
    assert done.returncode == 1, done.stdout + done.stderr
    assert [
        line.split(": EX-001")[0] + ": EX-001 name" for line in done.stdout.splitlines() if ": EX-" in line
    ] == findings


def test_install_hook_refuses_to_overwrite(
    repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repository)
    hook = repository / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    assert main(["install-hook"]) == 2
    assert capsys.readouterr().err == (
        f"gate: error: {Path('.git/hooks/pre-commit')} exists; pass --force to replace it\n"
    )
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert main(["install-hook", "--force"]) == 0
    assert "gate check --staged" in hook.read_text()


def test_hook_entry_takes_gate_check_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("Kim Lowe")
    assert hook_main([]) == 0
    assert hook_main(["--wordlist", EXAMPLE, "--format", "json", "a.md"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["client_id"] == "EX-001"


def test_repository_config_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    monkeypatch.chdir(content)
    shutil.copytree(EXAMPLE, tmp_path / "lists" / "ours")
    (content / ".gate.toml").write_text('wordlist = "../lists/ours"\nformat = "github"\nfail_on_unscanned = true\n')
    (content / "logo.png").write_bytes(b"\x89PNG\0")
    assert hook_main(["logo.png"]) == 1
    assert capsys.readouterr().out == (
        "::warning file=logo.png::not scanned — binary file (contains NUL bytes)\n"
        "block: 0 findings, 0 suppressed, 1 not scanned\n"
    )
    (content / ".gate.toml").write_text("wordlist = 3\n")
    assert hook_main(["logo.png"]) == 2
    assert capsys.readouterr().err == "gate: error: .gate.toml: wordlist must be a string (a folder's path)\n"


DECOY_REFUSED = (
    "gate: error: .gate.toml: the wordlist it names lies inside the repository being checked, "
    "where a commit can change it; keep it outside, or pass --wordlist or set GATE_WORDLIST\n"
)


@pytest.mark.parametrize("named", ["decoy", "./posts/../decoy", "{repository}/decoy", "link-to-decoy", "."])
def test_a_wordlist_inside_the_content_repository_is_refused(
    named: str, repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repository / "posts").mkdir()
    (repository / "decoy").mkdir()
    (repository / "decoy" / "clients.csv").write_text("client_id,kind,value\nX,name,Nobody At All\n")
    (repository / "link-to-decoy").symlink_to(repository / "decoy")
    (repository / ".gate.toml").write_text(f'wordlist = "{named.format(repository=repository)}"\n')
    (repository / "posts" / "story.md").write_text("Thanks to Kim Lowe.\n")
    monkeypatch.chdir(repository / "posts")  # a hook may run anywhere in the work tree
    (repository / "posts" / ".gate.toml").write_bytes((repository / ".gate.toml").read_bytes())
    assert hook_main(["story.md"]) == 2
    assert capsys.readouterr().err == DECOY_REFUSED
    assert main(["check", "--staged"]) == 2
    assert capsys.readouterr().err == DECOY_REFUSED


def test_a_wordlist_the_person_chose_is_trusted_wherever_it_lies(
    repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(EXAMPLE, repository / "lists")
    (repository / ".gate.toml").write_text('wordlist = "lists"\n')
    (repository / "story.md").write_text("Thanks to Kim Lowe.\n")
    monkeypatch.chdir(repository)
    assert hook_main(["--wordlist", "lists", "story.md"]) == 1
    monkeypatch.setenv("GATE_WORDLIST", "lists")
    assert hook_main(["story.md"]) == 1
    assert "EX-001 name" in capsys.readouterr().out


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One pre-commit home for the session: the hook's environment is built once."""
    yield tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(repository: Path, home: Path, private_cache: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**environment(private_cache), "PRE_COMMIT_HOME": str(home)}
    env.pop("PYTHONPATH")
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(ROOT),
        "client-confidentiality",
        "--verbose",
        "--color",
        "never",
    ]
    command += ["--files", *files] if files else ["--all-files"]
    return run(*command, cwd=repository, env=env)


def test_manifest_is_valid() -> None:
    done = run(sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def finding_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if ": EX-" in line)


def test_pre_commit_blocks_a_client_and_batches_agree(
    repository: Path, pre_commit_home: Path, private_cache: Path
) -> None:
    posts = repository / "posts"
    posts.mkdir()
    names = []
    for number in range(1500):  # more names than one command line holds
        name = f"posts/{number:04d}-a-long-file-name-so-that-pre-commit-splits-the-list-into-batches.md"
        text = "Open day on Saturday.\n" if number % 250 else f"Thanks, **Kim** Lowe (post {number}).\n"
        (repository / name).write_text(text)
        names.append(name)
    assert run("git", "add", ".", cwd=repository).returncode == 0
    done = pre_commit(repository, pre_commit_home, private_cache)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("block: ") > 1  # pre-commit did split the files into batches
    single = subprocess.run(
        [sys.executable, "-m", "gate", "check", *names],
        cwd=repository,
        capture_output=True,
        text=True,
        env=environment(private_cache),
        check=False,
    )
    assert single.returncode == 1
    assert finding_lines(done.stdout) == finding_lines(single.stdout)
    assert len(finding_lines(single.stdout)) == 6
    assert (
        "posts/0000-a-long-file-name-so-that-pre-commit-splits-the-list-into-batches.md:1:11: EX-001 name"
        in done.stdout
    )


def test_pre_commit_blocks_a_clean_file_whose_name_is_a_client_and_sees_images(
    repository: Path, pre_commit_home: Path, private_cache: Path
) -> None:
    (repository / "posts").mkdir()
    (repository / "posts" / "kim-lowe-story.md").write_text("An open day at the garden.\n")
    # The hook's environment has the [documents] libraries (the manifest's additional_dependencies).
    (repository / "posts" / "Lucas_Berg.jpg").write_bytes(image(exif=exif(0x013B, "Kim Lowe")))
    assert run("git", "add", ".", cwd=repository).returncode == 0
    done = pre_commit(repository, pre_commit_home, private_cache)
    assert done.returncode == 1, done.stdout + done.stderr
    assert finding_lines(done.stdout) == [
        line + " — a client's name: remove it or anonymise the story, or get the client's written consent"
        " and have it recorded in the client list (consent_until)"
        for line in (
            "posts/Lucas_Berg.jpg (exif:Artist):1:1: EX-001 name",
            "posts/Lucas_Berg.jpg (path):1:7: EX-002 name",
            "posts/kim-lowe-story.md (path):1:7: EX-001 name",
        )
    ]
    assert "Lucas_Berg.jpg: not scanned" not in done.stdout


def test_pre_commit_passes_a_clean_post(repository: Path, pre_commit_home: Path, private_cache: Path) -> None:
    (repository / "post.md").write_text("Open day on Saturday at the Ed Marsh Community Garden.\n")
    assert run("git", "add", "post.md", cwd=repository).returncode == 0
    done = pre_commit(repository, pre_commit_home, private_cache, "post.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


OPTION_LIKE_NAMES = ["--wordlist=decoy", "--today=1900-01-01", "-"]


@pytest.mark.parametrize("name", OPTION_LIKE_NAMES)
def test_a_file_named_like_an_option_never_becomes_one(
    name: str, repository: Path, pre_commit_home: Path, private_cache: Path
) -> None:
    """pre-commit passes file names after the hook's options, with no `--` between."""
    (repository / "decoy").mkdir()
    (repository / "decoy" / "clients.csv").write_text("client_id,kind,value\nX,name,Nobody At All\n")
    (repository / name).write_text("harmless\n")
    (repository / "story.md").write_text("Thanks to Kim Lowe for the mural.\n")
    assert run("git", "add", "--", ".", cwd=repository).returncode == 0
    done = pre_commit(repository, pre_commit_home, private_cache)
    assert done.returncode == 1 and "Passed" not in done.stdout, done.stdout + done.stderr  # pre-commit's own code
    refused = f"gate: error: {name!r} is both an option and a file here: rename the file, or put -- before the files"
    assert "- exit code: 2" in done.stdout and refused in done.stdout
    if name != "-":  # for gate check, "-" is standard input
        single = run(
            sys.executable, "-m", "gate", "check", name, "story.md", cwd=repository, env=environment(private_cache)
        )
        assert (single.returncode, single.stderr) == (2, refused + "\n")
    after_dashes = run(
        sys.executable, "-m", "gate", "check", "--", name, "story.md", cwd=repository, env=environment(private_cache)
    )
    assert after_dashes.returncode == 1 and "story.md:1:11: EX-001 name" in after_dashes.stdout
