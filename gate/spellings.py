"""The other spellings a name is written in: German umlauts and ß as people type them
without the letters (`Müller` as `Mueller`, `Weiß` as `Weiss`), and the transliterations
of common Arabic given names (`Mohammed`, `Mohamed`, `Muhammad`…), each family a small table
read from the spellings that English-language records show most.

A name is compiled in each of its spellings, so a text that writes it the other way is a
match. Only the spellings of the name as listed are added: a listed `Mueller` does not also
stand for `Müller` (a `ue` is not always a `ü`: Manuel, Samuel).
"""

from __future__ import annotations

import re

GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"})
# Families of one Arabic given name as English-language records spell it.
FAMILIES = (
    ("Muhammad", "Mohammed", "Mohamed", "Mohammad", "Muhammed", "Mohamad", "Mohamud"),
    ("Ahmed", "Ahmad"),
    ("Hussein", "Husain", "Hussain", "Husein", "Hossein"),
    ("Hassan", "Hasan"),
    ("Hussam", "Husam"),
    ("Abdul", "Abdel", "Abdal"),
    ("Abdullah", "Abdallah", "Abdulla"),
    ("Yusuf", "Youssef", "Yousef", "Yusef", "Yousif"),
    ("Omar", "Umar"),
    ("Osman", "Othman", "Uthman"),
    ("Mustafa", "Moustafa", "Mostafa"),
    ("Khaled", "Khalid"),
    ("Fatima", "Fatma", "Fatimah"),
    ("Aisha", "Aysha", "Ayesha", "Aicha"),
    ("Karim", "Kareem"),
    ("Rashid", "Rasheed"),
)
_FAMILY_OF = {spelling.casefold(): family for family in FAMILIES for spelling in family}
_WORD = re.compile(r"[^\W\d_]+")
MAX_SPELLINGS = 24  # of one value


def spellings(value: str) -> list[str]:
    """`value`, then its other spellings (at most MAX_SPELLINGS in all): each word of a
    family spelled each other way, one word at a time (the given name is the word that
    varies), then all of those with the German letters typed out."""
    written = [value]
    for word in _WORD.finditer(value):
        family = _FAMILY_OF.get(word.group().casefold(), ())
        for other in family:
            spelled = _cased(other, word.group())
            written.append(value[: word.start()] + spelled + value[word.end() :])
    german = [form.translate(GERMAN) for form in written]
    return list(dict.fromkeys([*written, *german]))[:MAX_SPELLINGS]


def _cased(spelling: str, like: str) -> str:
    """`spelling` in the case `like` is written in (all capitals, all small, or as titled)."""
    if like.isupper():
        return spelling.upper()
    if like.islower():
        return spelling.lower()
    return spelling
