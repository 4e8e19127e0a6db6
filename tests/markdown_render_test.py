"""What gate/markdown.py puts in a view for a piece it cannot find where it was written
(a tag across a blockquote's lines, an autolink markdown-it decodes): the same text and
breaks as for one it finds, so that the view shows what a reader sees, and a sketch of
it (gate/markdown_sketch.py) can tell."""

from __future__ import annotations

import pytest

from gate.extract import markdown_views

PLACED = [
    # A block tag across a blockquote's lines still breaks the paragraph (it once joined
    # "KimLowe"); its text goes to the attributes, as before.
    ("> Kim<p\n> class=x>Lowe", "Kim\n\nLowe", "<p\nclass=x>"),
    # An alt text is one text, its decoded autolink included, apart from the image's source.
    ("![Kim Lowe<http://x/Kim%20Lowe>Kim](x)", "", "Kim Lowehttp://x/Kim LoweKim\n\nx"),
    ("![<https://example.org/Kim%20Lowe>](p.jpg)", "", "https://example.org/Kim Lowe\n\np.jpg"),
    # A link's target and title, apart from each other.
    ('> [a](b "Kim\n> Lowe")x', "ax", "b\n\nKim\nLowe"),
]


@pytest.mark.parametrize(("text", "shown", "published"), PLACED)
def test_a_piece_not_found_where_written_shows_as_a_found_one_would(text: str, shown: str, published: str) -> None:
    views = markdown_views(text)
    assert [views[0].text, views[1].text] == [shown, published]
