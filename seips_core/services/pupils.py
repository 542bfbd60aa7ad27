"""Changes to a pupil's own record: taking a pupil off roll (R17).

R17: a pupil stays on the school's roll while programme managed or absent and supported, and
may be taken off roll only when enrolled elsewhere or genuinely missing. Recording an off-roll
here is refused outright while the pupil has a placement that has not ended (R26: the pupil
stays on the home school's roll during AP) unless one of those two reasons is given. Without a
placement, an off-roll with no reason is recorded as what happened and answered with the
critical R17 flag the catalogue raises for it (``rules.pupils.off_roll_without_reason``).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require, require_partnership
from ..concurrency import changed_by, locked, retried
from ..db import write_session
from ..errors import Conflict, InvalidValue, RuleViolation
from ..models import Placement, Provider, Pupil
from ..models.choices import OFF_ROLL_REASONS
from ..rules.flag import when
from ..rules.pupils import PupilFacts, off_roll_without_reason
from .placements import partnership_of_school


@dataclass(frozen=True)
class OffRoll:
    """The pupil's new version, and what the co-ordinator should still do about it."""

    version: int
    warnings: tuple[str, ...]


@retried
def take_off_roll(
    engine: Engine,
    actor: Actor,
    pupil_id: int,
    *,
    reason: str | None,
    on: date,
    expected_version: int | None = None,
) -> OffRoll:
    """Record that the pupil left their school's roll on ``on`` (R17), in one transaction.

    ``reason`` is ``enrolled_elsewhere`` or ``missing`` (``choices.OFF_ROLL_REASONS``), or
    None when the school gave no lawful reason. Refused while the pupil has a placement that
    has not ended by ``on`` (running, or agreed and still to start) unless the reason is one
    of the two. The pupil's school stays on the record, so the responsible partnership (R2)
    is still known. ``expected_version``, when given, is the version the user saw; a pupil
    changed since is a ``Conflict``.
    """
    require(actor, Capability.EDIT_CASES, doing="take a pupil off roll")
    reason = reason or None
    if reason is not None and reason not in OFF_ROLL_REASONS:
        raise InvalidValue(
            f"Off-roll reason: '{reason}' is not one of {', '.join(OFF_ROLL_REASONS)} (R17: a "
            "pupil leaves the roll only when enrolled elsewhere or genuinely missing)."
        )
    with write_session(actor.email, engine) as session:
        # Locked, so that a placement saved at the same moment (services.placements locks the
        # pupil too) is either seen here or sees the pupil off roll.
        pupil = locked(session, Pupil, pupil_id)
        if pupil is None:
            raise InvalidValue(f"Pupil: there is no pupil {pupil_id}.")
        if pupil.school_id is None:
            raise InvalidValue(f"Pupil: {pupil.case_ref} is on no school's roll.")
        code = partnership_of_school(session, pupil.school_id)
        require_partnership(actor, code)
        if expected_version is not None and pupil.version != expected_version:
            who = changed_by(session, Pupil, pupil_id) or "someone else"
            raise Conflict(
                f"Pupil: the record was changed by {who} since you opened it: reload to see "
                "the change, then make yours again."
            )
        if pupil.off_roll_date is not None:
            raise InvalidValue(
                f"Off-roll date: {pupil.case_ref} is already off roll since "
                f"{when(pupil.off_roll_date)}."
            )
        providers = _placements_not_ended(session, pupil_id, on)
        if providers and reason is None:
            raise RuleViolation(
                "R17",
                f"Off-roll reason: {pupil.case_ref} is in a placement at "
                f"{', '.join(providers)} and stays on the school's roll while placed (R26); a "
                "pupil may leave the roll only when enrolled elsewhere or genuinely missing.",
            )
        pupil.off_roll_date = on
        pupil.off_roll_reason = reason
        session.flush()
        warnings = [
            f"R17: the placement at {provider} has not ended: end it if the pupil no longer "
            "attends."
            for provider in providers
        ]
        flag = off_roll_without_reason(
            PupilFacts(pupil.case_ref, code, off_roll_date=on, off_roll_reason=reason), on
        )
        if flag is not None:
            warnings.append(f"{flag.rule}: {flag.message}")
        return OffRoll(pupil.version, tuple(warnings))


def _placements_not_ended(session: Session, pupil_id: int, on: date) -> list[str]:
    """The providers of the pupil's placements not ended before ``on``, started or not."""
    return list(
        session.scalars(
            select(Provider.name)
            .join(Placement, Placement.provider_id == Provider.id)
            .where(
                Placement.pupil_id == pupil_id,
                or_(Placement.end_date.is_(None), Placement.end_date >= on),
            )
            .order_by(Provider.name)
            .distinct()
        )
    )
