"""Checks on a school as a whole (R3)."""

from dataclasses import dataclass

from .flag import Flag


@dataclass(frozen=True)
class SchoolFacts:
    """A school's membership and its pupils who cost the partnership most on the date."""

    name: str
    partnership: str | None
    is_member: bool = True
    #: Pupils at Tier 4 with this school responsible (R2, R6).
    tier4_pupils: int = 0
    #: Permanent exclusions by this school in the current academic year.
    permanent_exclusions: int = 0


def non_member_full_cost(school: SchoolFacts) -> Flag | None:
    """R3: a non-member's Tier 4 or permanently excluded pupils are served at full cost (R14)."""
    if school.is_member or not (school.tier4_pupils or school.permanent_exclusions):
        return None
    pupils = []
    if school.tier4_pupils:
        pupils.append(f"{school.tier4_pupils} pupil(s) at Tier 4")
    if school.permanent_exclusions:
        pupils.append(f"{school.permanent_exclusions} permanent exclusion(s) this academic year")
    return Flag(
        "R3",
        school.name,
        f"Non-member school with {' and '.join(pupils)}: full cost recovery applies (R14), "
        "not the member rate",
        "advisory",
        school.partnership,
    )
