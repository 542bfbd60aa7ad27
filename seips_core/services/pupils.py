"""Changes to a pupil's own record: taking a pupil off roll (R17).

R17: a pupil stays on the school's roll while programme managed (Tier 4, R5), absent and
supported, or placed in AP (R26), and may be taken off roll only when enrolled elsewhere or
genuinely missing. Off-rolling for any other reason is unlawful whatever the pupil's provision,
so the service refuses it outright: nothing is written. Only history may hold an off-roll
without a lawful reason (imported with the reason left blank): the catalogue flags it as
critical (``rules.pupils.off_roll_without_reason``).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, or_, select
from sqlmodel import Session

from ..auth.roles import Actor, Capability, require
from ..auth.scope import in_scope
from ..concurrency import changed_by, retried
from ..db import write_session
from ..errors import Conflict, InvalidValue, RuleViolation
from ..models import Placement, Provider, Pupil, School
from ..models.choices import OFF_ROLL_REASONS
from ..rules.flag import when


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

    ``reason`` must be ``enrolled_elsewhere`` or ``missing`` (``choices.OFF_ROLL_REASONS``):
    any other reason, or none, is refused naming the field and R17, whether the pupil is at
    Tier 4, in a placement or has no provision at all. A placement that has not ended by
    ``on`` is named in a warning, to be ended if the pupil no longer attends. The pupil's
    school stays on the record, so the responsible partnership (R2) is still known.
    ``expected_version``, when given, is the version the user saw; a pupil changed since is a
    ``Conflict``.
    """
    require(actor, Capability.EDIT_CASES, doing="take a pupil off roll")
    if reason not in OFF_ROLL_REASONS:
        given = f"'{reason}' is not a lawful reason" if reason else "no reason was given"
        raise RuleViolation(
            "R17",
            f"Off-roll reason: {given}. A pupil stays on the school's roll while programme "
            "managed, placed in AP or absent and supported, and may be taken off roll only "
            "when enrolled elsewhere or genuinely missing.",
        )
    with write_session(actor.email, engine) as session:
        # Locked, so that a placement saved at the same moment (services.placements locks the
        # pupil too) is either seen here or sees the pupil off roll.
        pupil = in_scope(session, actor, Pupil, pupil_id, lock=True).row
        if pupil.school_id is None:
            raise InvalidValue(f"Pupil: {pupil.case_ref} is on no school's roll.")
        # The roll is the school's: its partnership's, even if the actor sees the pupil
        # through another (an open Fair Access case, R13).
        in_scope(session, actor, School, pupil.school_id)
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
        pupil.off_roll_date = on
        pupil.off_roll_reason = reason
        session.flush()
        warnings = tuple(
            f"R17: the placement at {provider} has not ended: end it if the pupil no longer "
            "attends."
            for provider in providers
        )
        return OffRoll(pupil.version, warnings)


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
