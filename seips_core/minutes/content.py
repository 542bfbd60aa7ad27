"""What the minutes of a meeting say, read once and rendered twice (Word and a printable page).

Plain data: attendance and the quorum, each item's standing decision and rationale with the
rules' warnings (rule ids first), the actions set with owners, due dates and whether they are
done, the earlier meetings' actions carried forward (``queries.actions``), and whether the chair
has signed off.
"""

from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import select
from sqlmodel import Session

from ..auth.local_time import COUNTY_TIME
from ..auth.roles import Actor
from ..auth.scope import hidden_items
from ..config import COUNTY_LA
from ..models import AgendaItem, Decision, Partnership, Pupil
from ..models.choices import DECISION_OUTCOMES
from ..queries.actions import ActionRow, carried_forward, meeting_actions
from ..queries.decisions import meeting_items, replaced_decision
from ..queries.meetings import invitations, meeting_facts, meeting_in_scope, meeting_quorum
from ..queries.pupils import pupil_labels
from ..rules.agenda import HOME_LA_MARK, PURPOSE_LABELS
from ..rules.meetings import DecisionFacts, decision_flags, meeting_label


@dataclass(frozen=True)
class AttendanceLine:
    school: str
    notified: str
    attended: str


@dataclass(frozen=True)
class ItemMinute:
    position: int
    case_ref: str
    #: Initials, or the full name when asked for and allowed.
    pupil: str
    purpose: str
    decision: str
    rationale: str
    enforceable: bool
    #: "R13a: …", "R16: …", "R4: …": what the rules say about the decision.
    warnings: tuple[str, ...]
    #: "Amended after sign-off (was: Defer)" when the standing decision is an amendment.
    amended: str | None


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner: str
    due: str
    case_ref: str | None
    #: The day it was done, empty while open.
    done: str = ""
    #: The meeting that set it (for an action carried forward).
    meeting: str = ""


@dataclass(frozen=True)
class ActionTable:
    """A heading, its table's columns and rows, and what stands there when it has none."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str


@dataclass(frozen=True)
class Minutes:
    title: str
    partnership: str
    meeting_date: str
    #: "Draft" until signed off, then "Signed off by … on …".
    status: str
    signed_off: bool
    attendance: tuple[AttendanceLine, ...]
    #: "Quorum: 5 present, 4 of 7 member schools (a majority) needed: quorate." (``rules.quorum``)
    quorum: str
    meeting_warnings: tuple[str, ...]
    items: tuple[ItemMinute, ...]
    actions: tuple[ActionLine, ...]
    carried_forward: tuple[ActionLine, ...]

    def action_tables(self) -> tuple[ActionTable, ...]:
        """The actions this meeting set, then those it took forward from earlier ones."""
        return (
            ActionTable(
                "Actions",
                ("Action", "Owner", "Due", "Done", "Case"),
                tuple((a.description, a.owner, a.due, a.done, a.case_ref or "")
                      for a in self.actions),
                "No actions recorded.",
            ),
            ActionTable(
                "Actions carried forward",
                ("Action", "Owner", "Due", "Set at", "Case"),
                tuple((a.description, a.owner, a.due, a.meeting, a.case_ref or "")
                      for a in self.carried_forward),
                "None: every earlier action due by this meeting was done by then.",
            ),
        )  # fmt: skip


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def minutes_content(
    session: Session, viewer: Actor, meeting_id: int, *, full_names: bool
) -> Minutes:
    """The minutes of meeting ``meeting_id`` as the viewer may read them."""
    meeting, code = meeting_in_scope(session, viewer, meeting_id)
    facts = meeting_facts(session, meeting)
    attendance = tuple(
        AttendanceLine(
            row.school,
            _day(row.notified_date) or "Not notified (R13a)",
            {None: "Not recorded", True: "Yes", False: "No"}[row.attended],
        )
        for row in invitations(session, viewer, code, meeting_id)
    )
    missing = facts.unnotified_schools
    meeting_warnings = (
        (f"R13a: {len(missing)} school(s) not notified ({', '.join(missing)}): Fair Access "
         "allocations at this meeting are unenforceable.",)
        if missing else ()
    )  # fmt: skip
    items = _items(session, viewer, meeting, facts, full_names=full_names)
    name = session.scalar(select(Partnership.name).where(Partnership.code == code))
    if meeting.signed_off_at is not None:
        at = meeting.signed_off_at
        at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(COUNTY_TIME)
        status = f"Signed off by {meeting.signed_off_by} on {at:%d/%m/%Y}"
    else:
        status = "Draft" + (" (closed without sign-off)" if meeting.status == "closed" else "")
    return Minutes(
        title=f"Minutes: {meeting_label(code, meeting.kind, meeting.meeting_date)}",
        partnership=f"{name} ({code})",
        meeting_date=_day(meeting.meeting_date),
        status=status,
        signed_off=meeting.signed_off_at is not None,
        attendance=attendance,
        quorum=meeting_quorum(session, viewer, meeting_id).summary(),
        meeting_warnings=meeting_warnings,
        items=items,
        actions=tuple(map(_action_line, meeting_actions(session, viewer, meeting_id))),
        carried_forward=tuple(map(_action_line, carried_forward(session, viewer, meeting_id))),
    )


def _items(session, viewer, meeting, facts, *, full_names) -> tuple[ItemMinute, ...]:
    """The items in order; one about a child the viewer may not read (``hidden_items``) by
    case reference only."""
    hidden = hidden_items(session, viewer, meeting)
    rows = session.execute(
        meeting_items(
            meeting.id,
            AgendaItem.id,
            AgendaItem.position,
            AgendaItem.purpose,
            Pupil.case_ref,
            Pupil.home_la,
            Decision,
        )
    ).all()
    labels = pupil_labels(
        session,
        [row.case_ref for row in rows if row.id not in hidden],
        full_names=full_names and viewer.may("see_names"),
    )
    return tuple(
        ItemMinute(
            position=position,
            case_ref=case_ref,
            pupil=labels.get(case_ref, ""),
            purpose=PURPOSE_LABELS[purpose],
            decision=DECISION_OUTCOMES[decision.outcome] if decision else "No decision recorded",
            rationale=decision.rationale if decision else "",
            enforceable=decision.enforceable if decision else True,
            warnings=_warnings(decision, case_ref, home_la, facts) if decision else (),
            amended=_amended(session, decision) if decision else None,
        )
        for _item_id, position, purpose, case_ref, home_la, decision in rows
    )


def _warnings(decision: Decision, case_ref: str, home_la: str, facts) -> tuple[str, ...]:
    """The rules' word on a recorded decision, each starting with its rule id."""
    flags = decision_flags(
        DecisionFacts(
            case_ref=case_ref,
            outcome=decision.outcome,
            meeting=facts,
            parents_agree=decision.parents_agree,
            home_school_agrees=decision.home_school_agrees,
            receiving_school_agrees=decision.receiving_school_agrees,
        )
    )
    found = [f"{flag.rule}: {flag.message}" for flag in flags]
    if decision.outcome == "programme_manage_tier4" and home_la != COUNTY_LA:
        found.append(f"{HOME_LA_MARK} ({home_la})")
    return tuple(found)


def _amended(session: Session, decision: Decision) -> str | None:
    was = replaced_decision(session, decision)
    if was is None:
        return None
    return f"Amended after sign-off (was: {DECISION_OUTCOMES[was.outcome]})"


def _action_line(row: ActionRow) -> ActionLine:
    return ActionLine(
        row.description, row.owner, _day(row.due_date), row.case_ref, _day(row.done_date),
        row.meeting,
    )  # fmt: skip
