"""The digit forms under which a stored phone number can appear in text."""

from __future__ import annotations

import re

MIN_DIGITS = 7
_NON_DIGIT = re.compile(r"\D")


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
    national = _NON_DIGIT.sub(
        "", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    )
    forms |= {significant, national, country + significant, "00" + country + significant}
    if national != significant and national.endswith(significant):
        # "+44 (0)20 7946 0958": the trunk prefix written after the country code
        forms.add(country + national)
    return {form for form in forms if len(form) >= MIN_DIGITS}


def _ascii_digits(value: str) -> str:
    return "".join(str(int(char)) if char.isdecimal() else char for char in value)
