"""The tables the pages show and let users download, built from query rows: plain data in, a
table (or its CSV) out.

Column names are the words on screen; rule ids are in them where a rule defines the column.
Every CSV is made by ``csv_text``, which formula-escapes its text cells.
"""

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache

import pandas as pd
import pyarrow as pa

from seips_core.auth.accounts import UserSummary
from seips_core.auth.local_time import COUNTY_TIME
from seips_core.models.choices import TIERS, WEEKDAYS
from seips_core.queries.agenda_suggestions import Suggestion
from seips_core.queries.ap_load import ProviderLoad, WeekCount
from seips_core.queries.audit import AuditRow
from seips_core.queries.fair_access_cases import CaseRow
from seips_core.queries.fairness import FairnessView
from seips_core.queries.meetings import AgendaEntry, InvitationRow, MeetingRow
from seips_core.queries.placements import PlacementRow
from seips_core.queries.providers import ProviderRow
from seips_core.queries.record_views import RecordViewRow
from seips_core.rules.fair_access_stage import AllocationClock, OnRollClock, Stage
from seips_core.rules.flag import Flag
from seips_core.transfer.cells import escape_formula

from .widgets import grid_text, pupil_label, rule_label, severity_label

TIER_COLUMNS = [f"Tier {tier}" for tier in TIERS]


def filter_flags(flags: Sequence[Flag], rules: list[str], severities: list[str]) -> list[Flag]:
    """The flags of the chosen rules and severities; an empty choice means all of them."""
    return [
        flag
        for flag in flags
        if (not rules or flag.rule in rules) and (not severities or flag.severity in severities)
    ]


def csv_text(table: pd.DataFrame | pa.Table) -> str:
    """``table`` as CSV for a spreadsheet, every text cell formula-escaped.

    A subject, message or audit value that starts with ``=``, ``+``, ``-`` or ``@`` (typed by
    anyone who can import data) would otherwise run as a formula when the file is opened.
    """
    frame = table.to_pandas() if isinstance(table, pa.Table) else table
    safe = frame.map(lambda cell: escape_formula(cell) if isinstance(cell, str) else cell)
    return safe.to_csv(index=False)


def flags_frame(flags: Sequence[Flag], pupils: dict[str, str], *, icons: bool) -> pa.Table:
    """One row per flag: severity, rule, subject, partnership, what is wrong.

    Pupils appear as case reference and the label in ``pupils`` (initials in projection
    mode). ``icons`` adds the severity icon for the screen; the CSV download keeps plain
    words. An Arrow table, which is what Streamlit sends to the browser: made directly, it
    costs a tenth of a pandas DataFrame.
    """
    return pa.table(
        {
            "Severity": [
                severity_label(flag.severity) if icons else flag.severity.capitalize()
                for flag in flags
            ],
            "Rule": [rule_label(flag.rule) for flag in flags],
            "Subject": [pupil_label(flag.subject, pupils.get(flag.subject)) for flag in flags],
            "Partnership": [flag.partnership or "County-wide" for flag in flags],
            "What is wrong": [flag.message for flag in flags],
        }
    )


def flags_csv(flags: Sequence[Flag], pupils: dict[str, str]) -> str:
    """The flags as a co-ordinator's CSV: the table's columns, plain words, every row."""
    return csv_text(flags_frame(flags, pupils, icons=False))


#: What an insert or a delete changed, in words (an update lists its fields).
_WHOLE_ROW = {"insert": "Added", "delete": "Removed"}


def _moment(moment: datetime | None) -> str:
    """A stored moment on the UK clock (SQLite hands back UTC without its zone)."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone(COUNTY_TIME):%d/%m/%Y %H:%M}"


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _value(value: object) -> str:
    """A stored value as a reader writes it: days and moments the UK way."""
    if value is None or value == "":
        return "(empty)"
    text = str(value)
    if _ISO_DAY.fullmatch(text):
        return f"{date.fromisoformat(text):%d/%m/%Y}"
    if _ISO_MOMENT.fullmatch(text):
        return _moment(datetime.fromisoformat(text))
    return text


def what_changed(row: AuditRow) -> str:
    """``"tier: 2 → 3; to_date: (empty) → 2026-03-04"``; names and dates of birth come from
    the query already as ``(hidden) → (changed)``."""
    if row.action in _WHOLE_ROW:
        return _WHOLE_ROW[row.action]
    return "; ".join(
        f"{change.field}: {_value(change.before)} → {_value(change.after)}"
        for change in row.changes
    )


def audit_frame(rows: Sequence[AuditRow]) -> pd.DataFrame:
    """One row per audit entry: when (UK clock), who, action, table, case, what changed."""
    return pd.DataFrame(
        {
            "When": [f"{row.at:%d/%m/%Y %H:%M}" for row in rows],
            "Who": [row.actor for row in rows],
            "Action": [row.action.capitalize() for row in rows],
            "Table": [row.table.replace("_", " ") for row in rows],
            "Case": [row.case_ref or "" for row in rows],
            "What changed": [what_changed(row) for row in rows],
        }
    )


#: How a name reached the reader, in the case history's words.
_VIEW_HOW = {"names shown": "On screen", "download": "Downloaded"}


def views_table(rows: Sequence[RecordViewRow]) -> pa.Table:
    """Who viewed a pupil's record by name: when (UK clock), who, on which page, and how;
    nothing of what they saw."""
    return pa.table(
        {
            "When": [f"{row.at:%d/%m/%Y %H:%M}" for row in rows],
            "Who": [row.actor for row in rows],
            "Page": [row.page for row in rows],
            "How": [_VIEW_HOW[row.kind] for row in rows],
        }
    )


def users_frame(users: Sequence[UserSummary]) -> pd.DataFrame:
    """One row per account: who, role, partnerships, how they sign in, and its state."""
    return pd.DataFrame(
        {
            "Email address": [user.email for user in users],
            "Name": [user.display_name for user in users],
            "Role": [user.role.label for user in users],
            "Partnerships": [", ".join(user.partnerships) or "All" for user in users],
            "Signs in with": [
                "password" if user.has_password else "council account" for user in users
            ],
            "Active": ["Yes" if user.is_active else "No (removed)" for user in users],
            "Last sign-in": [_moment(user.last_sign_in) for user in users],
            "Sessions ended": [_moment(user.sessions_ended_at) for user in users],
        }
    )


#: What each R13b standing is called on screen: a symbol and a word.
STANDING_WORDS = {"over": "▲ Over its share", "under": "▼ Under its share", "fair": "Fair"}


def fairness_frame(view: FairnessView) -> pd.DataFrame:
    """One row per member school: roll, allocations against fair share (R13b), refusals and
    delays (R22), its last allocation, and for one year group what R23 weighs."""
    rows = view.schools
    frame: dict[str, list[object]] = {
        "School": [row.school for row in rows],
        "On roll": [row.number_on_roll for row in rows],
        "Allocations": [row.allocations for row in rows],
        "Fair share": [round(row.fair_share, 1) for row in rows],
        "Difference": [f"{row.difference:+.1f}" for row in rows],
        "Standing": [STANDING_WORDS[row.standing] for row in rows],
        "Refusals": [row.refusals for row in rows],
        "Delays": [row.delays for row in rows],
        "Last allocation": [
            f"{row.last_allocation:%d/%m/%Y} ({row.days_since_last} days)"
            if row.last_allocation
            else "Never"
            for row in rows
        ],
    }
    if view.year_group is not None:
        frame[f"Fair Access in Year {view.year_group}"] = [
            row.fair_access_in_year_group for row in rows
        ]
        frame[f"LAC in Year {view.year_group}"] = [row.lac_in_year_group for row in rows]
        frame[f"EHCP in Year {view.year_group}"] = [row.ehcp_in_year_group for row in rows]
    return pd.DataFrame(frame)


#: How a clock's status is shown: a symbol and a word.
STATUS_WORDS = {"past": "✖ Past", "near": "⚠ Near", "ok": ""}


def _clock(clock: AllocationClock | OnRollClock | None) -> str:
    """A clock in words, marked when near or past its limit."""
    if clock is None:
        return ""
    mark = STATUS_WORDS[clock.status]
    return f"{mark} · {clock.summary}" if mark else clock.summary


def cases_frame(rows: list[CaseRow], *, partnership: bool) -> pd.DataFrame:
    """The case list as the page and its CSV show it."""
    frame = {
        "Case": [pupil_label(row.case_ref, row.label) for row in rows],
        "Year": [row.year_group for row in rows],
        "Stage": [f"{row.stage.name} ({row.stage.day:%d/%m/%Y})" for row in rows],
        "Allocation clock": [_clock(row.allocation_clock) for row in rows],
        "On-roll clock": [_clock(row.on_roll_clock) for row in rows],
        "Days out of education": [row.days_out_of_education for row in rows],
        "School allocated": [row.allocated_school or "" for row in rows],
        "Eligibility": [
            ("" if row.eligibility.ok else "✖ ") + row.eligibility.reason.removeprefix("R20: ")
            for row in rows
        ],
        "Flags": [", ".join(sorted({flag.rule for flag in row.flags})) for row in rows],
    }
    if partnership:
        frame = {"Partnership": [row.partnership for row in rows], **frame}
    return pd.DataFrame(frame)


@lru_cache(maxsize=512)
def steps_table(stage: Stage) -> pa.Table:
    """A case's R13 steps and their dates, for the case shown under the list.

    Kept per stage (the cached answer hands back the same stage on each run until the store
    changes): made and escaped for ``st.table`` once, not on every run (issue 13).
    """
    return pa.table(
        {
            "Step": [step.name for step in stage.steps],
            "Date": [f"{step.day:%d/%m/%Y}" if step.day else "—" for step in stage.steps],
        }
    )


#: R8's standing of a provider, as the register shows it: a symbol and words.
R8_WORDS = {
    "at or over": "✖ At or over the line",
    "one away": "⚠ One pupil away",
    "below": "Below",
    "registered school": "Registered school: outside R8",
}


def _day(value: date | None, missing: str = "None held") -> str:
    return f"{value:%d/%m/%Y}" if value else missing


def register_table(rows: Sequence[ProviderRow]) -> pd.DataFrame:
    """The provider register: R8 counts county-wide against the line, safeguarding (R10, R27),
    LEBC (R12). Counts only: no pupil is named."""
    return pd.DataFrame(
        {
            "Provider": [row.name for row in rows],
            "Against the line": [R8_WORDS[row.status] for row in rows],
            "Substantial pupils (county)": [
                f"{row.substantial_pupils} of {row.threshold} "
                f"({row.substantial_lac_or_ehcp} LAC/EHCP)"
                for row in rows
            ],
            "Pupils now": [row.current_pupils for row in rows],
            "Staff safeguarding": [_day(row.staff_training_date) for row in rows],
            "DSL": [
                f"{row.dsl_name or 'None named'}, trained {_day(row.dsl_training_date)}"
                for row in rows
            ],
            "Schools' confirmations": [
                f"{row.commissioning_schools - row.commissioning_schools_unconfirmed} of "
                f"{row.commissioning_schools} schools"
                for row in rows
            ],
            "LEBC check": [_day(row.lebc_check_date) for row in rows],
            "Flags": [", ".join(sorted({flag.rule for flag in row.flags})) for row in rows],
        }
    )


def load_table(load: Sequence[ProviderLoad]) -> pd.DataFrame:
    """Pupils attending each provider on each weekday (AM or PM)."""
    frame = pd.DataFrame({"Provider": [row.provider for row in load]})
    for index, day in enumerate(WEEKDAYS):
        frame[day] = [row.by_weekday[index] for row in load]
    frame["Pupils"] = [row.pupils for row in load]
    return frame


def weeks_table(weeks: Sequence[WeekCount]) -> pd.DataFrame:
    """Pupils in AP and in substantial AP (R7), week by week."""
    return pd.DataFrame(
        {
            "Week of": [f"{week.monday:%d/%m/%Y}" for week in weeks],
            "Pupils in AP": [week.pupils for week in weeks],
            "Substantial": [week.substantial for week in weeks],
            "School days": [week.school_days for week in weeks],
        }
    )


def placements_table(rows: Sequence[PlacementRow]) -> pd.DataFrame:
    """The placements running: who, where, the week, days a week (R7), dates (R9, R26), school
    days so far and the flags' rules."""
    return pd.DataFrame(
        {
            "Pupil": [pupil_label(row.case_ref, row.label) for row in rows],
            "School": [row.school for row in rows],
            "Provider": [row.provider for row in rows],
            "Week": [grid_text(row.grid) for row in rows],
            "Days a week: here / all AP": [
                f"{row.days_at_provider} / {row.total_ap_days}" for row in rows
            ],
            "Hours": [f"{row.hours_per_week:g}" for row in rows],
            "From – planned end": [
                f"{_day(row.start_date)} – "
                + (
                    _day(row.planned_end_date, "")
                    or (f"{row.max_duration_weeks} weeks" if row.max_duration_weeks else "none")
                )
                for row in rows
            ],
            "Plan agreed": [_day(row.plan_agreed_date, "No") for row in rows],
            "Next review": [_day(row.next_review_date, "None set") for row in rows],
            "School days so far": [row.school_days_so_far for row in rows],
            "Flags": [", ".join(sorted({flag.rule for flag in row.flags})) for row in rows],
        }
    )


def notified_text(row: InvitationRow) -> str:
    """R13a, beside a school's name: when it was told of the meeting, or that it was not."""
    if row.version is None:
        return "not invited: NOT notified"
    return f"notified {row.notified_date:%d/%m/%Y}" if row.notified_date else "NOT notified"


def attendance_table(rows: Sequence[InvitationRow]) -> pd.DataFrame:
    """Each member school: notified when (R13a), attended or not."""
    return pd.DataFrame(
        {
            "School": [row.school for row in rows],
            "Notified": [_day(row.notified_date, "Not notified") for row in rows],
            "Attended": [
                "—" if row.attended is None else ("Yes" if row.attended else "No") for row in rows
            ],
        }
    )


def agenda_table(entries: Sequence[AgendaEntry]) -> pd.DataFrame:
    """The agenda with each item's standing decision."""
    return pd.DataFrame(
        {
            "Item": [entry.position for entry in entries],
            "Pupil": [pupil_label(entry.case_ref, entry.label) for entry in entries],
            "For": [entry.purpose_label for entry in entries],
            "School": [entry.school or "" for entry in entries],
            "Decision": [
                (entry.decision or "Not decided yet")
                + (" (unenforceable, R13a)" if entry.enforceable is False else "")
                for entry in entries
            ],
        }
    )


def suggestions_table(offered: Sequence[Suggestion]) -> pd.DataFrame:
    """What the agenda builder offers: who, for what, their school, why now and its marks
    (R4's home LA among them)."""
    return pd.DataFrame(
        {
            "Pupil": [pupil_label(each.case_ref, each.label) for each in offered],
            "For": [each.purpose_label for each in offered],
            "School": [each.school or "No school" for each in offered],
            "Why now": [" · ".join((each.reason, *each.marks)) for each in offered],
        }
    )


def routed_table(routed: Sequence[Suggestion]) -> pd.DataFrame:
    """The EHCP pupils who came up, with why the panel does not take them (R15)."""
    return pd.DataFrame(
        {
            "Pupil": [pupil_label(each.case_ref, each.label) for each in routed],
            "Came up as": [each.purpose_label for each in routed],
            "Why not the panel": [each.reason for each in routed],
        }
    )


def meetings_table(rows: Sequence[MeetingRow]) -> pd.DataFrame:
    """A partnership's meetings, newest first, with decisions made and the R13a gaps."""
    return pd.DataFrame(
        {
            "Date": [f"{row.meeting_date:%d/%m/%Y}" for row in rows],
            "Meeting": [row.label for row in rows],
            "Status": [row.status for row in rows],
            "Decided": [f"{row.decided} of {row.items}" for row in rows],
            "Notified": [
                f"{len(row.unnotified)} not notified" if row.unnotified else "All" for row in rows
            ],
        }
    )
