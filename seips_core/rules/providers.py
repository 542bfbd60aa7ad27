"""Checks on an AP provider as a whole, across every partnership using it (R8, R10)."""

from dataclasses import dataclass
from datetime import date

from .flag import Flag, raised, when

#: R8: the partnerships' guidance (faq Q12), the cautious default of the ``r8_threshold`` setting.
GUIDANCE_THRESHOLD = 4
#: R8: the Education Act 1996 s.463 as amended.
STATUTORY_THRESHOLD = 5
#: R8: the Setting row a county admin changes to move between the two.
THRESHOLD_SETTING = "r8_threshold"
#: R10: a DSL trained longer ago than this many years needs retraining.
DSL_TRAINING_YEARS = 2


@dataclass(frozen=True)
class ProviderFacts:
    """A provider's registration and training, and the pupils it currently serves substantially.

    The counts are of distinct pupils with a current substantial placement there (R7 or 18
    hours a week), across all partnerships and schools (R8).
    """

    name: str
    is_registered_school: bool = False
    staff_training_date: date | None = None
    dsl_training_date: date | None = None
    substantial_pupils: int = 0
    substantial_lac_or_ehcp_pupils: int = 0


def threshold_from_setting(value: str | None) -> int:
    """R8's pupil threshold from the setting's text; anything but a positive number gives 4."""
    try:
        threshold = int(value) if value is not None else GUIDANCE_THRESHOLD
    except ValueError:
        return GUIDANCE_THRESHOLD
    return threshold if threshold > 0 else GUIDANCE_THRESHOLD


def threshold_source(threshold: int) -> str:
    """Where R8's threshold comes from, named on screen as docs/rules.md asks."""
    if threshold == GUIDANCE_THRESHOLD:
        return f"the partnerships' guidance; the statute says {STATUTORY_THRESHOLD}"
    if threshold == STATUTORY_THRESHOLD:
        return "the statute, Education Act 1996 s.463"
    return (
        f"the county's setting; guidance says {GUIDANCE_THRESHOLD}, "
        f"the statute {STATUTORY_THRESHOLD}"
    )


def unregistered_school_risk(provider: ProviderFacts, threshold: int) -> Flag | None:
    """R8: unregistered, with substantial provision to enough pupils or to a LAC/EHCP pupil."""
    if provider.is_registered_school:
        return None
    reasons = []
    if provider.substantial_pupils >= threshold:
        reasons.append(
            f"substantial provision to {provider.substantial_pupils} pupils "
            f"(limit: {threshold} or more, {threshold_source(threshold)})"
        )
    if provider.substantial_lac_or_ehcp_pupils >= 1:
        reasons.append(
            f"to {provider.substantial_lac_or_ehcp_pupils} looked-after or EHCP pupil(s) "
            "(limit: 1 or more)"
        )
    if not reasons:
        return None
    return Flag(
        "R8",
        provider.name,
        f"May be acting as an unregistered school: {' and '.join(reasons)}",
        "critical",
        None,
    )


def dsl_training_due_before(on: date) -> date:
    """R10: a DSL last trained before this day, 2 years before ``on``, needs retraining."""
    try:
        return on.replace(year=on.year - DSL_TRAINING_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year - DSL_TRAINING_YEARS, day=28)


def safeguarding_training_lapsed(provider: ProviderFacts, on: date) -> Flag | None:
    """R10: staff trained in safeguarding, and a DSL trained by the county within 2 years."""
    problems = []
    if provider.staff_training_date is None:
        problems.append("no staff training record")
    if provider.dsl_training_date is None:
        problems.append("no DSL training record")
    elif provider.dsl_training_date < dsl_training_due_before(on):
        problems.append(
            f"DSL last trained {when(provider.dsl_training_date)}, "
            f"more than {DSL_TRAINING_YEARS} years ago"
        )
    if not problems:
        return None
    return Flag(
        "R10",
        provider.name,
        f"Safeguarding training not in date: {'; '.join(problems)}",
        "warning",
        None,
    )


def provider_flags(provider: ProviderFacts, on: date, threshold: int) -> list[Flag]:
    """Every provider rule's flag for ``provider`` on ``on``."""
    return raised(
        unregistered_school_risk(provider, threshold), safeguarding_training_lapsed(provider, on)
    )
