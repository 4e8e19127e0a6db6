"""Files that are not UTF-8 are read in the encoding detected for them, and the verdict
says which; a detected single-byte encoding is also read as Windows-1252 and -1250, where
a spreadsheet's CSV most often is. Both ways: what names a client, and what does not."""

from __future__ import annotations

import pytest

from gate.check import check_contents
from gate.content import decode_content
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows(
    "A,name,Magnus Håkansson,\nB,name,André Dufresne,\nC,name,Dmitri Volkov,\nD,name,田中優希,\n"
    "E,name,Νίκος Μπέης,\nF,name,Paweł Łukasz,\n"
)
RUSSIAN = "Спасибо нашему клиенту {name} за прекрасный вечер. Мы рады видеть всех на празднике в субботу."

# (what is written, its encoding, (client, line, column) of each finding)
CASES = [
    ("name,note\nMagnus Håkansson,visit\nAndré Dufresne,café – “thanks”\n", "cp1252", [("A", 2, 1), ("B", 3, 1)]),
    ("name,note\nMagnus Hansson,visit\nAndrea Dufresne,café\n", "cp1252", []),
    ("Thanks to Paweł Łukasz for the mural – “dziękuję”, said the whole team today.\n", "cp1250", [("F", 1, 11)]),
    ("Thanks, André Dufresne! Our café opens at nine; déjà vu for everyone.\n", "latin-1", [("B", 1, 9)]),
    (RUSSIAN.format(name="Дмитрию Волкову"), "koi8_r", []),  # a declined name is issue of variants, not of bytes
    (RUSSIAN.format(name="Dmitri Volkov"), "cp1251", [("C", 1, 24)]),
    ("田中優希さん、ありがとうございました。今日はとても楽しかったです。", "shift_jis", [("D", 1, 1)]),
    ("Ευχαριστούμε τον Νίκος Μπέης για τη βοήθεια στο πάρκο σήμερα.", "cp1253", [("E", 1, 18)]),
]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"), CASES, ids=[f"{case[1]}-{i}" for i, case in enumerate(CASES)]
)
def test_a_legacy_encoding_is_detected_and_read(text: str, encoding: str, expected: list[tuple[str, int, int]]) -> None:
    content = decode_content("notes.csv", text.encode(encoding))
    verdict = check_contents(MATCHER, [content], today=TODAY)
    assert [(item.client_id, item.line, item.column) for item in verdict.findings] == expected
    assert verdict.not_scanned == ()
    (read,) = verdict.encodings
    assert read.path == "notes.csv"
    assert (content.text is not None and content.text.replace("\ufffd", "") == text.replace("\ufffd", "")) or expected


def test_utf8_says_nothing_of_its_encoding() -> None:
    verdict = check_contents(MATCHER, [decode_content("a.csv", "André Dufresne".encode())], today=TODAY)
    assert (verdict.encodings, len(verdict.findings)) == ((), 1)


def test_a_windows_1252_file_taken_for_another_encoding_is_still_read_as_windows_1252() -> None:
    """charset-normalizer takes short Windows-1252 text for Windows-1250, which reads the
    "å" of Håkansson as "ĺ": the reading as Windows-1252 finds the name where it stands."""
    data = "Magnus Håkansson\n".encode("cp1252")
    content = decode_content("a.csv", data)
    verdict = check_contents(MATCHER, [content], today=TODAY)
    assert [(item.client_id, item.column, item.end_column) for item in verdict.findings] == [("A", 1, 16)]


def test_bytes_no_encoding_fits_are_reported_and_the_rest_checked() -> None:
    content = decode_content("a.txt", b"Andr\xc3 Dufresne \xff\xfe\xfd\x80\x81")
    assert content.text is not None
    assert content.problem.startswith("undecodable bytes") or content.encoding


def test_utf8_with_a_stray_byte_is_read_as_utf8() -> None:
    """One byte pasted from elsewhere does not make a UTF-8 file Latin-2: a browser shows
    it as UTF-8 with one replacement character, and so does the gate."""
    data = "Thanks to André Dufresne and Magnus Håkansson!".encode() + b"\x80\n"
    content = decode_content("a.md", data)
    verdict = check_contents(MATCHER, [content], today=TODAY)
    assert [(item.client_id, item.column) for item in verdict.findings] == [("B", 11), ("A", 30)]
    assert (content.encoding, content.problem) == (
        "",
        "undecodable bytes from offset 48 (not UTF-8 text); the rest was checked",
    )


def test_a_legacy_file_with_a_stray_utf8_character_is_still_legacy() -> None:
    data = ("Magnus Håkansson och André Dufresne, tack! " * 3).encode("cp1252") + "ü".encode()
    verdict = check_contents(MATCHER, [decode_content("a.txt", data)], today=TODAY)
    assert {item.client_id for item in verdict.findings} == {"A", "B"}
    assert len(verdict.encodings) == 1
