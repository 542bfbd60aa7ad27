"""Facts that follow from other facts are computed by the store on import, never taken from a
cell (R13a's enforceability, R5's City label); history that breaks a rule imports, flagged (R17).

Each test imports the worked example with one or two cells changed, on SQLite and PostgreSQL.
"""

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from seips_core.auth.roles import Actor, Role
from seips_core.config import CITY_LA
from seips_core.db import read_session
from seips_core.minutes import minutes_html
from seips_core.models import Decision, Meeting, Pupil
from seips_core.queries.flags import county_flags
from seips_core.queries.tiers import tier_counts
from seips_core.transfer import ImportRefused, export_path, import_path

EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"
COORDINATOR = Actor(
    "co-ordinator@example", "Example Co-ordinator", Role.COORDINATOR, frozenset({"EXV"})
)
#: The example's Fair Access allocation (decisions.csv row 2) and the member school that
#: stops being notified of its meeting (invitations.csv row 4, Mockford School).
ALLOCATION_ROW, MOCKFORD_ROW = 2, 4


def example_with(tmp_path: Path, **changes: dict[tuple[int, str], str]) -> Path:
    """A copy of the example with cells changed: ``file={(row, column): text}``, rows counted
    as a spreadsheet does (the header is row 1)."""
    folder = tmp_path / "import"
    shutil.copytree(EXAMPLE, folder)
    for name, cells in changes.items():
        path = folder / f"{name}.csv"
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        for (row, column), text in cells.items():
            rows[row - 1][rows[0].index(column)] = text
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def allocation(engine: Engine) -> Decision:
    with read_session(engine) as session:
        return session.exec(
            select(Decision).where(Decision.outcome == "allocate_fair_access")
        ).one()


def minutes(engine: Engine) -> str:
    with read_session(engine) as session:
        meeting = session.exec(select(Meeting)).one()
        return minutes_html(session, COORDINATOR, meeting.id, full_names=False)


def refused(path: Path, engine: Engine) -> list[str]:
    with pytest.raises(ImportRefused) as refusal:
        import_path(path, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        assert session.exec(select(Pupil)).all() == []  # nothing of it was written
    return [str(problem) for problem in refusal.value.problems]


# --- R13a: enforceability follows from who was notified ----------------------------------------


def test_an_allocation_with_enforceable_blank_at_a_meeting_a_member_school_was_not_told_of_is_stored_unenforceable(  # noqa: E501
    engine, tmp_path
):
    folder = example_with(
        tmp_path,
        invitations={(MOCKFORD_ROW, "notified_date"): ""},
        decisions={(ALLOCATION_ROW, "enforceable"): ""},
    )
    import_path(folder, engine, actor="co-ordinator@example")
    assert allocation(engine).enforceable is False
    page = minutes(engine)
    assert "Enforceable: no (R13a)" in page
    assert "R13a: 1 school(s) not notified (Mockford School)" in page
    with read_session(engine) as session:
        flagged = [f.subject for f in county_flags(session, date(2026, 11, 25)) if f.rule == "R13a"]
    assert flagged == ["EX-010"]


def test_an_allocation_at_a_meeting_every_member_school_was_told_of_is_stored_enforceable(
    engine, tmp_path
):
    import_path(
        example_with(tmp_path, decisions={(ALLOCATION_ROW, "enforceable"): ""}),
        engine,
        actor="co-ordinator@example",
    )
    assert allocation(engine).enforceable is True
    assert "Enforceable: no" not in minutes(engine)


@pytest.mark.parametrize(
    ("notified", "cell", "computed"), [("", "yes", "no"), ("2026-11-05", "no", "yes")]
)
def test_an_enforceable_cell_that_contradicts_the_invitations_refuses_the_import(
    engine, tmp_path, notified, cell, computed
):
    folder = example_with(
        tmp_path,
        invitations={(MOCKFORD_ROW, "notified_date"): notified},
        decisions={(ALLOCATION_ROW, "enforceable"): cell},
    )
    assert refused(folder, engine) == [
        f"decisions.csv row {ALLOCATION_ROW}, column enforceable: R13a: the store computes "
        f"{computed} from the outcome and the meeting's invitations, not {cell}: leave the "
        "cell blank, or put right what it follows from."
    ]


def test_invitations_imported_for_an_open_stored_meeting_recompute_its_allocations(
    engine, tmp_path
):
    """As ``set_notified`` does: the school was notified in time, its record came later."""
    folder = example_with(
        tmp_path, meetings={(2, "status"): "open"}, decisions={(ALLOCATION_ROW, "enforceable"): ""}
    )
    path = folder / "invitations.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[: MOCKFORD_ROW - 1] + rows[MOCKFORD_ROW:])
    import_path(folder, engine, actor="co-ordinator@example")
    assert allocation(engine).enforceable is False  # Mockford has no invitation at all
    with read_session(engine) as session:
        meeting = session.exec(select(Meeting)).one()
    later = tmp_path / "later"
    later.mkdir()
    (later / "invitations.csv").write_text(
        f"meeting,school_urn,notified_date\nmeeting-{meeting.id},990003,2026-11-05\n",
        encoding="utf-8",
    )
    import_path(later, engine, actor="co-ordinator@example")
    assert allocation(engine).enforceable is True


# --- R5: the City's label follows from the tier and the home LA --------------------------------


def test_a_city_address_pupil_at_tier_3_gets_psp2a_without_a_label_cell(engine, tmp_path):
    # EX-003 is at Tier 3 at Sampleton High School (tier_history.csv row 4, label blank).
    folder = example_with(tmp_path, pupils={(4, "home_la"): CITY_LA})
    import_path(folder, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        view = tier_counts(session, COORDINATOR, "EXV", on=date(2026, 11, 25))
    (sampleton,) = [row for row in view.schools if row.school == "Sampleton High School"]
    assert sampleton.psp_labels[3] == ("PSP2a", 1)
    export_path(tmp_path / "out", engine)
    with (tmp_path / "out" / "tier_history.csv").open(encoding="utf-8-sig") as handle:
        labels = {
            (row["case_ref"], row["tier"]): row["psp_label"] for row in csv.DictReader(handle)
        }
    assert labels[("EX-003", "3")] == "PSP2a"
    assert labels[("EX-002", "4")] == "PSP3"  # the example's City pupil, at Tier 4
    assert labels[("EX-001", "3")] == ""  # a county address has no City label


def test_a_psp_label_cell_that_contradicts_the_home_la_refuses_the_import(engine, tmp_path):
    # EX-001 lives in the county: PSP1 would say a City address at Tier 2 (row 2).
    folder = example_with(tmp_path, tier_history={(2, "psp_label"): "PSP1"})
    assert refused(folder, engine) == [
        "tier_history.csv row 2, column psp_label: R5: the store computes blank from the tier "
        "and the child's home LA (blank unless the City's), not PSP1: leave the cell blank, or "
        "put right what it follows from."
    ]


# --- R17: an unlawful off-roll in history imports, flagged --------------------------------------


def test_history_with_an_off_roll_without_a_lawful_reason_imports_flagged_r17(engine, tmp_path):
    # EX-008 (row 9) left the roll in October for no lawful reason: the reason is left blank.
    folder = example_with(tmp_path, pupils={(9, "off_roll_date"): "2026-10-05"})
    import_path(folder, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        flags = [f for f in county_flags(session, date(2026, 11, 25)) if f.rule == "R17"]
    assert [(f.subject, f.severity) for f in flags] == [("EX-008", "critical")]


def test_an_unlawful_off_roll_reason_word_is_refused_naming_r17(engine, tmp_path):
    folder = example_with(
        tmp_path, pupils={(9, "off_roll_date"): "2026-10-05", (9, "off_roll_reason"): "excluded"}
    )
    assert refused(folder, engine) == [
        "pupils.csv row 9, column off_roll_reason: R17: must be one of enrolled_elsewhere, "
        "missing (not 'excluded')"
    ]
