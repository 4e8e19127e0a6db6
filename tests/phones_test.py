"""Phone digit forms and the table they are looked up in."""

from __future__ import annotations

from gate.phones import PhoneTable
from tests.support.wordlists import compile_rows, places


def test_table_tells_forms_apart_by_leading_zeros_and_length() -> None:
    table = PhoneTable.pack({"0201234567": 1, "201234567": 2, "12345678901234567890": 3})
    forms = ("0201234567", "201234567", "00201234567", "12345678901234567890", "1234567890123456789")
    assert [table.get(form) for form in forms] == [1, 2, None, 3, None]
    assert (len(table), table.max_digits) == (3, 20)


def test_number_longer_than_any_phone_still_matches_whole() -> None:
    matcher = compile_rows("P,phone,1234 5678 9012 3456 7890,\n")
    assert places(matcher, "ref 12345678901234567890 / 123456789012345678901") == [("P", 1, 5, 1, 24)]
