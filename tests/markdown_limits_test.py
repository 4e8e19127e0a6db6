"""markdown-it reads each `[` slowly: past MAX_MARKDOWN_BRACKETS a file, or a post as a
whole, is refused as rendered (it blocks) without being parsed."""

from __future__ import annotations

from gate.extract import MARKDOWN_TOO_MANY_LINKS, MAX_MARKDOWN_BRACKETS, Problem, content_views
from gate.post import check_post
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows("A,name,Kim Lowe,\n")


def test_a_file_past_the_limit_is_refused_as_rendered_but_read_as_written() -> None:
    text = "[Kim](x) Lowe\n\n" + "![" * MAX_MARKDOWN_BRACKETS + "\n\nKim%20Lowe"
    views, problems = content_views("post.md", text)
    assert problems == [Problem(MARKDOWN_TOO_MANY_LINKS, blocks=True)]
    assert [view.text[-8:] for view in views] == ["Kim Lowe"]  # the percent view only


def test_a_file_at_the_limit_is_rendered() -> None:
    text = "[Kim](x) Lowe " + "[" * (MAX_MARKDOWN_BRACKETS - 1)
    views, problems = content_views("post.md", text)
    assert problems == []
    assert views and "Kim Lowe" in views[0].text


def test_a_post_past_the_limit_in_all_its_fields_blocks_as_a_whole() -> None:
    share = MAX_MARKDOWN_BRACKETS // 4 + 1
    post = {"id": "p", "text": "Open day", "notes": ["[" * share] * 4}
    verdict = check_post(MATCHER, post, today=TODAY).verdict
    assert (verdict.decision, [(item.path, item.reason, item.blocks) for item in verdict.not_scanned]) == (
        "block",
        [("", MARKDOWN_TOO_MANY_LINKS, True)],
    )


def test_a_post_within_the_limit_is_rendered_in_every_field() -> None:
    post = {"id": "p", "text": "Open day", "notes": ["Thanks [Kim](https://example.org) Lowe!", "[" * 100]}
    verdict = check_post(MATCHER, post, today=TODAY).verdict
    assert [(item.path, item.column) for item in verdict.findings] == [("/notes/0", 9)]
