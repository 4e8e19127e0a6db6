"""The care-team rule: client information posted to a group is allowed only where every
member of the group is staff on that client's care team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from gate.errors import GateError
from gate.verdict import AudienceReport, Finding, Suppression
from gate.wordlist import StaffMember, normalize_identity

VISIBILITIES = ("public", "group")
CARE_TEAM = "care team"
OUTSIDE_CARE_TEAM = (
    " — this group reaches people outside the client's care team: "
    "have its admin remove them (see audience), or do not post it there"
)
NO_MEMBERS = "no members listed: the care-team rule cannot be checked"


class AudienceError(GateError):
    """An audience of the wrong shape."""


@dataclass(frozen=True)
class Audience:
    visibility: str
    group: str = ""
    members: tuple[str, ...] = ()


def parse_audience(value: object) -> Audience | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise AudienceError('"audience" must be an object')
    visibility, group, members = value.get("visibility"), value.get("group", ""), value.get("members", [])
    if visibility not in VISIBILITIES:
        raise AudienceError('"audience.visibility" must be "public" or "group"')
    if not isinstance(group, str):
        raise AudienceError('"audience.group" must be a string')
    if not isinstance(members, list) or not all(isinstance(member, str) for member in members):
        raise AudienceError('"audience.members" must be a list of strings')
    return Audience(visibility, group, tuple(members))


def staff_index(staff: Sequence[StaffMember]) -> dict[str, StaffMember]:
    return {identity: member for member in staff for identity in member.members}


def not_staff(staff: Sequence[StaffMember], members: Sequence[str]) -> list[str]:
    """The members (as given) who are not anyone's identity on the staff roster."""
    index = staff_index(staff)
    return [member for member in members if normalize_identity(member) not in index]


def apply_audience(
    staff: Sequence[StaffMember],
    audience: Audience | None,
    findings: Sequence[Finding],
    suppressed: Sequence[Suppression],
) -> tuple[list[Finding], list[Suppression], AudienceReport | None]:
    """Findings about clients whose care team is the whole group become suppressions;
    the others block, saying why; the report names whom to remove."""
    if audience is None or audience.visibility == "public":
        return list(findings), list(suppressed), None
    index = staff_index(staff)
    roster = {member: index.get(normalize_identity(member)) for member in audience.members}
    clients = list(dict.fromkeys(client for finding in findings for client in finding.named))

    def on_team(member: str, client: str) -> bool:
        person = roster[member]
        return person is not None and (person.clients is None or client in person.clients)

    allowed = {client for client in clients if roster and all(on_team(member, client) for member in roster)}
    # A place that names several clients is cleared only where the group is on the care
    # team of every one of them.
    kept = [
        replace(item, message=item.message + OUTSIDE_CARE_TEAM)
        for item in findings
        if not allowed.issuperset(item.named)
    ]
    suppressed = list(suppressed) + [
        Suppression(item.path, item.line, item.column, client, CARE_TEAM)
        for item in findings
        if allowed.issuperset(item.named)
        for client in item.named
    ]
    report = AudienceReport(
        group=audience.group,
        not_staff=tuple(member for member, person in roster.items() if person is None),
        not_on_care_team=tuple(
            (member, missing)
            for member, person in roster.items()
            if person is not None
            for missing in (tuple(client for client in clients if not on_team(member, client)),)
            if missing
        ),
        note="" if roster else NO_MEMBERS,
    )
    return kept, suppressed, report
