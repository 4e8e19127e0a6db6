"""The readers' libraries are the `[documents]` extra: without it the gate still imports
and checks text, and a file it would read is not approved, with what to install."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import documents

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "wordlists" / "example"
LIBRARIES = ("PIL", "pypdf", "defusedxml")
# A Python in which the documents libraries cannot be imported, as after a plain install.
WITHOUT_DOCUMENTS = f"""
import importlib.abc, sys
class NoDocuments(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {LIBRARIES!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name.split(".")[0])
        return None
sys.meta_path.insert(0, NoDocuments())
from gate.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def run_without_documents(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DOCUMENTS, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_a_png_without_the_extra_blocks_and_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(documents.png_text("tEXt", "Comment", "An open day"))
    (tmp_path / "post.md").write_text("Thanks to everyone who came.\n")
    done = run_without_documents(
        "check", "--no-cache", "--wordlist", str(EXAMPLE), "photo.png", "post.md", cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[:2] == [
        "photo.png: not scanned — a PNG image, and Pillow (which reads it) is not installed: not read, so not "
        "approved; pip install 'client-confidentiality-gate[documents]'",
        "block: 0 findings, 0 suppressed, 1 not scanned",
    ]


def test_a_pdf_and_an_office_file_without_the_extra_name_their_library(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(documents.pdf())
    (tmp_path / "report.docx").write_bytes(documents.docx_file("body", "everyone"))
    done = run_without_documents(
        "check", "--no-cache", "--wordlist", str(EXAMPLE), "report.docx", "report.pdf", cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        "report.docx: not scanned — an Office file, and defusedxml (which reads it) is not installed: not read, "
        "so not approved; pip install 'client-confidentiality-gate[documents]'",
        "report.pdf: not scanned — a PDF, and pypdf (which reads it) is not installed: not read, so not approved; "
        "pip install 'client-confidentiality-gate[documents]'",
    ]


def test_text_and_archives_need_no_extra(tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text("Thanks to Kim Lowe.\n")
    (tmp_path / "photos.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty archive
    done = run_without_documents(
        "check", "--no-cache", "--wordlist", str(EXAMPLE), "post.md", "photos.zip", cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert "post.md:1:11: EX-001 name" in done.stdout
    assert "photos.zip: not scanned — a ZIP archive, not an Office or OpenDocument file: not read\n" in done.stdout


def test_the_hook_installs_the_documents_and_ocr_extras() -> None:
    """pre-commit installs the hook's repository without extras, and then the manifest's
    additional_dependencies: they are the [documents] and [ocr] extras."""
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    extras = [*setup["options.extras_require"]["documents"].split(), *setup["options.extras_require"]["ocr"].split()]
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["additional_dependencies"] == list(dict.fromkeys(extras))
