"""The kinds of client identifier, in one table: what each is, how the matcher finds it,
what a finding of it does by default, and its SARIF rule.

A new kind is a new row here: the wordlist, the matcher, the checks, the lint and the
reports read it from this table, and tests/kinds_test.py holds the OpenAPI document and
both READMEs to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How the matcher turns a value into what it looks for:
#   words   the normalised value, as whole words
#   name    the same, and the variants that policy.toml's [variants] turn on
#           ("Lowe, Kim", "K. Lowe", "#KimLowe")
#   handle  the normalised value without its leading "@"; a finding covers the "@" or "#"
#           written before it
#   token   the normalised value, whole (its TokenRule)
#   groups  its letter and digit groups, with any of the id separators between them
#   digits  its digits, looked up in the phone table whatever is written between them
Family = Literal["words", "name", "handle", "token", "groups", "digits"]
Action = Literal["block", "warn"]
ACTIONS: tuple[Action, ...] = ("block", "warn")  # what a finding may do, in policy.toml and the verdict

# Families whose values are words of prose, where a common English word would cry wolf.
_WORD_FAMILIES: tuple[Family, ...] = ("words", "name", "handle")
_CONSENT = "or get the client's written consent and have it recorded in the client list (consent_until)"


@dataclass(frozen=True)
class TokenRule:
    """A kind written as one token: a match that the text continues is part of another
    token ("kim@example.org" is not in "kim@example.org.uk", nor handle "kim_lowe" in
    "@kim_lowe_official", nor "AB-7731" in "AB-7731-2")."""

    before: str  # these characters continue the token leftwards when a letter or digit precedes them
    after: str  # and these rightwards when a letter or digit follows them
    # Written without blanks: a match that spans one in the original is a coincidence of
    # normalisation ("kim lowe" for handle kim_lowe), not the token.
    unbroken: bool
    # Only a digit continues a digit: the number goes on in "AB-7731-2", while in
    # "AB-7731.pdf", "/cases/AB-7731" and "notes_AB-7731" a word meets the number.
    digits_only: bool = False


@dataclass(frozen=True)
class SarifRule:
    """A reporting descriptor of SARIF 2.1.0, as format_sarif writes it for a kind."""

    id: str
    name: str
    short_description: str


@dataclass(frozen=True)
class Kind:
    """One kind of identifier: a value of the `kind` column of clients.csv."""

    name: str
    what: str  # one line for people, as the READMEs' tables of kinds say it
    family: Family
    token: TokenRule | None
    default_action: Action  # policy.toml's [actions] may say otherwise
    default_message: str  # policy.toml's [messages] may say otherwise
    rule_noun: str  # what the SARIF rule calls a value of this kind
    must_contain: str = ""  # a character every value of this kind is written with
    min_characters: int = 3  # fewer, once normalised, would match everywhere
    # A clue: never a finding alone; clues of one client together are one (gate/clues.py).
    clue: bool = False
    listed: bool = True  # a kind of clients.csv; else one the gate makes (a combination)

    @property
    def sarif_rule(self) -> SarifRule:
        rule = sarif_rule_id(self.name)
        return SarifRule(rule, rule, f"A {self.rule_noun} from the organisation's client list")

    @property
    def action_shown(self) -> str:
        """The default action as the READMEs' tables say it: a clue has none alone."""
        return "none alone" if self.clue else self.default_action

    @property
    def written_in_words(self) -> bool:
        return self.family in _WORD_FAMILIES


KINDS: tuple[Kind, ...] = (
    Kind(
        "name",
        what="a person's name",
        family="name",
        token=None,
        default_action="block",
        default_message=f"a client's name: remove it or anonymise the story, {_CONSENT}",
        rule_noun="client name",
    ),
    Kind(
        "alias",
        what="a nickname, a name they go by",
        family="words",
        token=None,
        default_action="block",
        default_message=f"a client's nickname or alias: remove it or anonymise the story, {_CONSENT}",
        rule_noun="client alias",
    ),
    Kind(
        "handle",
        what="a social-media handle",
        family="handle",
        token=TokenRule(before="_.-", after="_.-", unbroken=True),
        default_action="block",
        default_message=f"a client's social-media handle: remove it, {_CONSENT}",
        rule_noun="client handle",
    ),
    Kind(
        "email",
        what="an e-mail address",
        family="token",
        token=TokenRule(before="._%+-", after="._-", unbroken=True),
        default_action="block",
        default_message="a client's e-mail address: remove it",
        rule_noun="client e-mail address",
        must_contain="@",
    ),
    Kind(
        "phone",
        what="a phone number",
        family="digits",
        token=None,
        default_action="block",
        default_message="a client's phone number: remove it",
        rule_noun="client phone number",
    ),
    Kind(
        "id",
        what="a case number, file number, client number",
        family="groups",
        token=TokenRule(before="-_./\\", after="-_./\\", unbroken=False, digits_only=True),
        default_action="block",
        default_message="a client's case number or file reference: remove it",
        rule_noun="client case number or identifier",
    ),
    Kind(
        "other",
        what="anything else that identifies a client: a family business, a street, a pet's name",
        family="words",
        token=None,
        default_action="block",
        default_message=f"something that identifies a client: remove it or anonymise the story, {_CONSENT}",
        rule_noun="client identifier",
    ),
    Kind(
        "detail",
        what="a weak clue that identifies a client only with another: a street, an employer, a town, an age",
        family="words",
        token=None,
        default_action="block",
        default_message=f"a detail of a client's: with another clue it identifies them, {_CONSENT}",
        rule_noun="client detail",
        min_characters=2,
        # A clue has no action or message of its own (policy.toml refuses [actions] detail):
        # its combination's are used. These two are the table's shape, never shown.
        clue=True,
    ),
    Kind(
        "combination",
        what="two clues or more of one client in one post: details, a given name, an initial",
        family="words",
        token=None,
        default_action="block",
        default_message="these details together identify a client: remove or change some of them",
        rule_noun="combination of a client's details",
        listed=False,
    ),
)
# The order of KINDS is the order of every listing: the SARIF rules, the counts of
# `gate wordlist check`, the error for an unknown kind, the OpenAPI enum.
KIND_NAMES = tuple(kind.name for kind in KINDS)
LISTED_KIND_NAMES = tuple(kind.name for kind in KINDS if kind.listed)  # the kinds of clients.csv
# The kinds a finding can have: what policy.toml's [actions] set, SARIF's rules, the OpenAPI enum.
FINDING_KINDS = tuple(kind for kind in KINDS if not kind.clue)
FINDING_KIND_NAMES = tuple(kind.name for kind in FINDING_KINDS)
_BY_NAME = {kind.name: kind for kind in KINDS}


def kind_named(name: str) -> Kind:
    """The row of a kind the wordlist accepted (KeyError for any other: a bug)."""
    return _BY_NAME[name]


def sarif_rule_id(kind: str) -> str:
    """The SARIF rule of a kind, also for a kind a newer server reports that this gate
    does not know."""
    return f"client-{kind}"
