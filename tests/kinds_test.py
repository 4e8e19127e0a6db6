"""The table of kinds is the one list of them: the OpenAPI document and both READMEs list
exactly its kinds, in its order, and say of each what the table says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gate.kinds import ACTIONS, FINDING_KIND_NAMES, KIND_NAMES, KINDS, Kind, kind_named, sarif_rule_id

ROOT = Path(__file__).resolve().parent.parent


def kind_enums(document: object) -> list[object]:
    """The enum of every schema property named "kind", wherever it stands in the document
    (a property without one is listed as None, so that it fails rather than hides)."""
    enums: list[object] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict) and "kind" in properties:
                enums.append(properties["kind"].get("enum"))
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    return enums


def plain_text(inline: Token) -> str:
    """A cell's text as a reader sees it: code spans without their backticks."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def markdown_tables(markdown: str) -> list[list[list[str]]]:
    """Every table of a Markdown text, as rows (the header first) of cells' plain text."""
    tables: list[list[list[str]]] = []
    previous = ""
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and previous in ("th_open", "td_open"):
            tables[-1][-1].append(plain_text(token))
        previous = token.type
    return tables


def table_of_kinds(path: Path) -> list[dict[str, str]]:
    """The rows of the one table whose first column is "kind", by column name."""
    tables = [table for table in markdown_tables(path.read_text(encoding="utf-8")) if table[0][0] == "kind"]
    assert len(tables) == 1, f"{path.relative_to(ROOT)}: expected one table of kinds, found {len(tables)}"
    header, *rows = tables[0]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_openapi_document_lists_exactly_the_kinds_a_finding_has() -> None:
    document = yaml.safe_load((ROOT / "webhook" / "openapi.yaml").read_text(encoding="utf-8"))
    enums = kind_enums(document)
    assert enums, "webhook/openapi.yaml: no property named kind"
    assert enums == [list(FINDING_KIND_NAMES)] * len(enums)
    assert "detail" not in FINDING_KIND_NAMES  # a clue alone is no finding


def test_the_readme_lists_each_kind_with_its_description_action_and_rule() -> None:
    rows = table_of_kinds(ROOT / "README.md")
    assert [row["kind"] for row in rows] == list(KIND_NAMES)
    assert rows == [
        {
            "kind": kind.name,
            "what": kind.what,
            "default action": kind.action_shown,
            "SARIF rule": "none" if kind.clue else kind.sarif_rule.id,
        }
        for kind in KINDS
    ]


def test_the_wordlist_readme_lists_each_kind_of_the_list_with_its_description() -> None:
    rows = table_of_kinds(ROOT / "wordlists" / "README.md")
    assert [(row["kind"], row["what"]) for row in rows] == [(kind.name, kind.what) for kind in KINDS if kind.listed]


def test_each_kind_has_one_row_and_one_rule() -> None:
    assert len(set(KIND_NAMES)) == len(KINDS)
    assert len({kind.sarif_rule.id for kind in KINDS}) == len(KINDS)
    assert all(kind.sarif_rule.id == sarif_rule_id(kind.name) for kind in KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_NAMES)
def test_each_kind_says_what_it_is_and_does_by_default(kind: Kind) -> None:
    assert kind_named(kind.name) is kind
    assert kind.default_action in ACTIONS
    assert kind.what and kind.default_message and kind.sarif_rule.short_description


def test_a_kind_not_in_the_table_is_no_kind() -> None:
    with pytest.raises(KeyError):
        kind_named("nmae")
