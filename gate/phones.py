"""The digit forms under which a stored phone number can appear in text."""

from __future__ import annotations

import array
import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass

MIN_DIGITS = 7
MAX_PACKED_DIGITS = 18  # int("1" + 18 digits) < 2**63
_NON_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class PhoneTable:
    """Digit forms and their codes as two arrays, sorted by form: a dict of a million
    strings costs over 100 bytes an entry and must be rebuilt on every unpickle."""

    numbers: array.array[int]  # int("1" + form): the leading 1 keeps a form's leading zeros
    codes: array.array[int]
    longer: dict[str, int]  # forms too long for 64 bits (no phone number is)
    max_digits: int

    @classmethod
    def pack(cls, codes: Mapping[str, int]) -> PhoneTable:
        packed = sorted((int("1" + form), code) for form, code in codes.items() if len(form) <= MAX_PACKED_DIGITS)
        return cls(
            numbers=array.array("q", (number for number, _ in packed)),
            codes=array.array("i", (code for _, code in packed)),
            longer={form: code for form, code in codes.items() if len(form) > MAX_PACKED_DIGITS},
            max_digits=max(map(len, codes), default=0),
        )

    def __len__(self) -> int:
        return len(self.numbers) + len(self.longer)

    def get(self, digits: str) -> int | None:
        """The code of a form of ASCII digits, if it is one."""
        if len(digits) > MAX_PACKED_DIGITS:
            return self.longer.get(digits)
        number = int("1" + digits)
        index = bisect.bisect_left(self.numbers, number)
        if index < len(self.numbers) and self.numbers[index] == number:
            return self.codes[index]
        return None


def digit_forms(value: str, default_region: str = "") -> set[str]:
    """Digits as written, plus the international and national forms of the number.

    phonenumbers knows each country's trunk prefix ("020 7946 0958" is "+44 20 7946 0958"),
    which a hand-written rule would get wrong for most of the world.
    """
    # Imported here: only compiling a wordlist needs it, and it costs a pre-commit hook
    # 20 ms of start-up on every commit when the compiled list comes from the cache.
    import phonenumbers

    digits = _NON_DIGIT.sub("", _ascii_digits(value))
    forms = {digits}
    try:
        number = phonenumbers.parse(value, default_region.upper() or None)
    except phonenumbers.NumberParseException:
        return forms
    significant = phonenumbers.national_significant_number(number)
    country = str(number.country_code)
    national = _NON_DIGIT.sub("", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    forms |= {significant, national, country + significant, "00" + country + significant}
    if national != significant and national.endswith(significant):
        # "+44 (0)20 7946 0958": the trunk prefix written after the country code
        forms.add(country + national)
    return {form for form in forms if len(form) >= MIN_DIGITS}


def _ascii_digits(value: str) -> str:
    return "".join(str(int(char)) if char.isdecimal() else char for char in value)
