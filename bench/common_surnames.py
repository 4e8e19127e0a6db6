"""`python -m bench.common_surnames`: writes gate/common-surnames.txt, the surnames common
enough that a title and one of them (`Mr Smith`, `Mme Martin`) more likely names someone
else than the client: such a finding warns, where a title and a rarer surname blocks
(gate/written.py).

The surnames are those of Faker's person providers that are lists of the most frequent
surnames of a country, ranked by how many people bear them: en_US (the 1,000 most frequent
of the US Census 2010), en_GB (500) and fr_FR (400). Faker's other locales list surnames
alphabetically, with no frequency: they are left out. Run it again after a Faker upgrade
and commit the file with the Faker version its header names.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path

from gate.precision import fold_word

LOCALES = ("en_US", "en_GB", "fr_FR")
OUTPUT = Path(__file__).resolve().parent.parent / "gate" / "common-surnames.txt"


def surnames(locales: Iterable[str] = LOCALES) -> list[str]:
    """The locales' most frequent surnames, folded, each once, sorted."""
    names: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names.update(fold_word(name) for name in provider.last_names)
    return sorted(names)


def render(names: list[str], faker_version: str) -> str:
    header = (
        "# Common surnames: a title and one of them (`Mr Smith`) warns, a title and a rarer\n"
        "# surname blocks (gate/written.py). Written by `python -m bench.common_surnames` from\n"
        f"# Faker {faker_version}'s most frequent surnames of {', '.join(LOCALES)}\n"
        "# (en_US: the US Census 2010), folded to lower case without accents. Faker is\n"
        "# MIT-licensed: https://github.com/joke2k/faker\n"
    )
    return header + "".join(f"{name}\n" for name in names)


def main() -> int:
    names = surnames()
    OUTPUT.write_text(render(names, importlib.metadata.version("faker")), encoding="utf-8")
    print(f"{OUTPUT}: {len(names)} surnames")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
