"""Where rendered Markdown and HTML come from: every character of a view points into the
file, pieces that are not written as they read are placed, not dropped, and what cannot
read otherwise is not parsed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gate.extract import View, content_views
from gate.markdown import MAX_MISSES

ROOT = Path(__file__).resolve().parent.parent


def rendered(path: str, text: str) -> View:
    views, _ = content_views(path, text)
    return views[0]


def written(view: View, text: str, words: str) -> str:
    """The stretch of `text` the characters of `words` in the view come from."""
    index = view.text.index(words)
    return text[view.starts.source(index) : view.ends.source(index + len(words) - 1) + 1]


def test_a_code_span_across_lines_is_placed_over_the_stretch_it_was_written_in() -> None:
    text = "Thanks `Kim\nLowe` and **more**"
    view = rendered("post.md", text)
    assert "Kim Lowe" in written(view, text, "Kim Lowe").replace("\n", " ")
    assert written(view, text, "more") == "more"


def test_pieces_past_the_search_limit_are_placed_in_their_block() -> None:
    spans = "".join(f"`a{index}\nb` " for index in range(MAX_MISSES + 5))
    text = f"{spans}**Kim** Lowe\n\nnext *block*"
    view = rendered("post.md", text)
    assert view.text.count("a") == MAX_MISSES + 5
    assert "Kim" in written(view, text, "Kim Lowe")
    assert written(view, text, "block") == "block"  # the next block is searched again


def test_a_paragraph_that_reads_as_written_is_not_parsed() -> None:
    text = "Plain words about Kim.\n\n- Thanks **Kim** Lowe!\n\n    Kim *in* a paragraph of the item"
    view = rendered("post.md", text)
    assert "Plain" not in view.text
    assert written(view, text, "Kim Lowe") == "Kim** Lowe"
    assert written(view, text, "in a") == "in* a"  # parsed alone, and not as code


def test_html_tokens_point_at_their_place_across_lines() -> None:
    text = "<html>\n<body>\n  <p>Dear Kim\n  <b>Lowe</b>,</p>\n  <p title='Andr&eacute;'>x</p>\n</body>"
    views, _ = content_views("page.html", text)
    page, attributes = views[0], views[1]
    assert written(page, text, "Kim Lowe") == "Kim\n  <b>Lowe"  # the blanks shown as one space
    assert written(attributes, text, "André") == "Andr&eacute;"


def test_markdown_it_is_imported_only_for_markdown_with_markup() -> None:
    script = (
        "import sys\n"
        "from gate.extract import content_views\n"
        "content_views('a.md', 'Plain words about Kim Lowe.')\n"
        "assert 'markdown_it' not in sys.modules\n"
        "content_views('a.md', 'Thanks **Kim** Lowe')\n"
        "assert 'markdown_it' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
