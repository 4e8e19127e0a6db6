"""The layout states the architecture, and these tests keep it honest: imports go one way
(webhook and hooks → command line → adapters → core), and a plain install brings no web
server."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each layer may import of the project's own packages.
ALLOWED = {
    "core": ("gate",),
    "adapters": ("gate", "gate.adapters"),
    "cli": ("gate", "gate.adapters", "gate.cli"),
}
MAIN = ROOT / "gate" / "__main__.py"  # `python -m gate`: the command line's entry
LAYERS = {
    "core": sorted(set((ROOT / "gate").glob("*.py")) - {MAIN}),
    "adapters": sorted((ROOT / "gate" / "adapters").glob("*.py")),
    "cli": [MAIN, *sorted((ROOT / "gate" / "cli").glob("*.py"))],
}
PROJECT = ("gate", "hooks", "webhook", "bench", "tests")


def project_imports(path: Path) -> list[tuple[str, ast.AST]]:
    """(module, node) for each import of one of the project's packages in `path`."""
    found: list[tuple[str, ast.AST]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [(name, node) for name in names if name.split(".")[0] in PROJECT]
    return found


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "gate":
        return parts[0]
    if len(parts) > 1 and parts[1] in ("adapters", "cli"):
        return f"gate.{parts[1]}"
    return "gate"


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_imports_only_the_layers_below(layer: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {module}"  # type: ignore[attr-defined]
        for path in LAYERS[layer]
        for module, node in project_imports(path)
        if layer_of(module) not in ALLOWED[layer]
        and not (path.name == "__init__.py" and layer == "cli" and module == "webhook")
    ]
    assert wrong == []


def test_the_command_line_loads_the_webhook_only_inside_its_server_dispatch() -> None:
    tree = ast.parse((ROOT / "gate" / "cli" / "__init__.py").read_text(encoding="utf-8"))
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    importers = [
        function.name
        for function in functions
        if any(module == "webhook" for module, _ in project_imports_of(function))
    ]
    assert importers == ["run_server_command"]
    top_level = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert all("webhook" not in ast.dump(node) for node in top_level)


def project_imports_of(function: ast.FunctionDef) -> list[tuple[str, ast.AST]]:
    return [
        (node.module or "", node)
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PROJECT
    ]


def test_a_plain_install_requires_no_web_server() -> None:
    requirements = importlib.metadata.requires("client-confidentiality-gate") or []
    unconditional = {
        line.split(";")[0].split(">")[0].split("=")[0].strip().lower()
        for line in requirements
        if "extra ==" not in line
    }
    server = {line.split(">")[0].strip().lower() for line in requirements if 'extra == "server"' in line}
    assert unconditional.isdisjoint({"flask", "gunicorn", "werkzeug"})
    assert server == {"flask", "gunicorn"}


def test_the_installed_distribution_holds_every_package_and_data_file() -> None:
    """What pip installs is the source tree's packages, every one (a subpackage left out
    of setup.cfg once made the installed server unable to start while the tests, which
    import the source tree, passed)."""
    files = {str(path) for path in importlib.metadata.files("client-confidentiality-gate") or []}
    shipped = {
        str(path.relative_to(ROOT))
        for top in ("gate", "hooks", "webhook")
        for path in (ROOT / top).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped - files == set()


# A Python in which flask and gunicorn cannot be imported, as after a plain install.
WITHOUT_SERVER = """
import importlib.abc, sys
class NoServer(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("flask", "gunicorn", "werkzeug"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NoServer())
import importlib.util
importlib.util.find_spec = lambda name, *a: None if name in ("flask", "gunicorn") else real(name, *a)
"""


def run_without_server(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import importlib.util; real = importlib.util.find_spec\n"
        + WITHOUT_SERVER
        + "from gate.cli import main\nraise SystemExit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_gate_check_runs_without_the_server_extra(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("Thanks to everyone who came.\n", encoding="utf-8")
    done = run_without_server(
        "check", "--no-cache", "--wordlist", str(ROOT / "wordlists" / "example"), str(post), cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("approve:")


def test_gate_serve_without_the_server_extra_says_what_to_install(tmp_path: Path) -> None:
    done = run_without_server("serve", "--config", str(tmp_path / "gate.toml"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "gate: error: `gate serve` needs flask and gunicorn: pip install 'client-confidentiality-gate[server]'\n"
    )


def test_the_core_modules_import_each_other_without_cycles() -> None:
    """A cycle (verdict ↔ audience was one) means a type lives in the wrong module."""
    graph = {
        f"gate.{path.stem}": {
            module for module, node in project_imports(path) if layer_of(module) == "gate" and module != "gate"
        }
        for path in LAYERS["core"]
    }
    cycles = [
        f"{module} → {other}"
        for module, imports in graph.items()
        for other in imports
        if module in reachable(graph, other)
    ]
    assert cycles == []


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for module in graph.get(stack.pop(), set()) - seen:
            seen.add(module)
            stack.append(module)
    return seen
