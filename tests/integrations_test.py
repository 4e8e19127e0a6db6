"""docs/integrations/ tested against a real server: every recipe's request, exactly as
written there (but for the token and the host), sent to gunicorn serving the example
organisation, with the answer the recipe shows; the CI jobs' commands run as written; the
n8n workflow wired as its page says."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.server import TOKEN, Server, gunicorn_command, running, write_example_config

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ROOT / "docs" / "integrations"
HTTP_PAGES = sorted(path.name for path in RECIPES.glob("*.md") if "```http" in path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("integrations")
    write_example_config(folder)
    with running(gunicorn_command(), folder) as served:
        yield served


def blocks(page: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", (RECIPES / page).read_text(encoding="utf-8"), re.DOTALL)


def send(server: Server, message: str) -> tuple[int, dict[str, Any]]:
    """The HTTP message as written, to `server`: its token for <GATE_TOKEN>, its address for the host."""
    head, body = message.split("\n\n", 1)
    request_line, *header_lines = head.splitlines()
    method, target, version = request_line.split(" ")
    assert version == "HTTP/1.1"
    headers = dict(line.split(": ", 1) for line in header_lines)
    assert headers.pop("Host") == "gate.example.org"
    headers["Authorization"] = headers["Authorization"].replace("<GATE_TOKEN>", TOKEN)
    connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=30)
    try:
        connection.request(method, target, body=body.strip().encode(), headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def findings(answer: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (result["post_id"], item["path"], item["client_id"], item["kind"])
        for result in answer["results"]
        for item in result["findings"]
    ]


@pytest.mark.parametrize("page", HTTP_PAGES)
def test_a_recipes_request_gets_the_answer_it_shows(server: Server, page: str) -> None:
    (request,) = blocks(page, "http")
    (shown,) = blocks(page, "json")
    status, answer = send(server, request)
    expected = json.loads(shown)
    assert status == 200, answer
    assert answer["decision"] == expected["decision"]
    assert findings(answer) == findings(expected)


def test_every_recipe_page_is_tested_and_listed() -> None:
    pages = {path.name for path in RECIPES.glob("*.md")} - {"README.md"}
    assert set(HTTP_PAGES) == {"n8n.md", "zapier.md", "make.md"}
    listed = set(re.findall(r"\]\(([a-z0-9-]+\.md)\)", (RECIPES / "README.md").read_text(encoding="utf-8")))
    assert listed == pages


def test_the_n8n_workflow_checks_then_branches_on_the_decision() -> None:
    workflow = json.loads((RECIPES / "n8n-workflow.json").read_text(encoding="utf-8"))
    nodes = {node["name"]: node for node in workflow["nodes"]}
    check = nodes["Check with the gate"]
    assert check["type"] == "n8n-nodes-base.httpRequest"
    (request,) = blocks("n8n.md", "http")
    method, target, _ = request.splitlines()[0].split(" ")
    assert check["parameters"]["method"] == method
    assert check["parameters"]["url"] == f"https://gate.example.org{target}"
    assert check["parameters"]["jsonBody"] == "={{ JSON.stringify($json) }}"  # the item as it is
    assert check["parameters"]["genericAuthType"] == "httpHeaderAuth"
    (condition,) = nodes["Approved?"]["parameters"]["conditions"]["conditions"]
    assert (condition["leftValue"], condition["operator"]["operation"], condition["rightValue"]) == (
        "={{ $json.decision }}",
        "equals",
        "approve",
    )
    approved, blocked = workflow["connections"]["Approved?"]["main"]
    assert [link["node"] for link in approved] == ["Publish"]
    assert [link["node"] for link in blocked] == ["Keep as draft, tell the author"]
    assert workflow["connections"]["Check with the gate"]["main"] == [
        [{"node": "Approved?", "type": "main", "index": 0}]
    ]


def ci_commands() -> dict[str, str]:
    """The `gate check` line of each CI recipe's file, as the CI service would run it."""
    github = yaml.safe_load((RECIPES / "github-actions.yml").read_text(encoding="utf-8"))
    (step,) = [step for step in github["jobs"]["gate"]["steps"] if "gate check" in step.get("run", "")]
    assert set(step["env"]) == {"GATE_URL", "GATE_TOKEN", "GATE_SIGNING_SECRET"}
    gitlab = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text(encoding="utf-8"))
    (line,) = [line for line in gitlab["client-confidentiality"]["script"] if line.startswith("gate check")]
    return {"github-actions.md": step["run"], "gitlab-ci.md": line}


def run_ci(command: str, folder: Path, posts: tuple[str, ...], url: str) -> subprocess.CompletedProcess[str]:
    """`command` in `folder`, its posts/ holding `posts`, as a CI job runs it: the gate
    installed, GATE_URL and GATE_TOKEN set, and a signing secret the project does not set
    read as empty."""
    (folder / "posts").mkdir()
    for name in posts:
        shutil.copy(ROOT / "wordlists" / "example-posts" / name, folder / "posts" / name)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATE_")}
    return subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env={
            **environment,
            "GATE_URL": url,
            "GATE_TOKEN": TOKEN,
            "GATE_SIGNING_SECRET": "",
            "PATH": f"{Path(sys.executable).parent}:{environment['PATH']}",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("page", ["github-actions.md", "gitlab-ci.md"])
@pytest.mark.parametrize(("posts", "status"), [(("open-day.md",), 0), (("open-day.md", "success-story.md"), 1)])
def test_a_ci_recipes_command_blocks_what_names_a_client(
    server: Server, tmp_path: Path, page: str, posts: tuple[str, ...], status: int
) -> None:
    command = ci_commands()[page]
    assert blocks(page, "sh") == [command + "\n"]  # the page shows the file's command
    done = run_ci(command, tmp_path, posts, server.url)
    assert done.returncode == status, done.stderr
    if status and "--format github" in command:
        assert "::error file=posts/success-story.md,line=3" in done.stdout


@pytest.mark.parametrize("page", ["github-actions.md", "gitlab-ci.md"])
def test_a_ci_recipes_command_fails_when_the_server_cannot_be_reached(tmp_path: Path, page: str) -> None:
    done = run_ci(ci_commands()[page], tmp_path, ("open-day.md",), "http://127.0.0.1:9")
    assert done.returncode == 2
    assert "gate: error:" in done.stderr
