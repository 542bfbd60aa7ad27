"""The pages' tables: flag filters, flag rows with privacy-safe subjects, the schools table."""

import csv
import io
from datetime import UTC, datetime

import pandas as pd

from dashboard.tables import (
    audit_frame,
    csv_text,
    filter_flags,
    flags_csv,
    flags_frame,
    schools_frame,
)
from seips_core.queries.audit import CHANGED, HIDDEN, AuditRow, Change
from seips_core.queries.schools import SchoolFigures
from seips_core.rules.flag import Flag

FLAGS = [
    Flag("R8", "Oak Farm AP", "Substantial provision to 4 pupils (limit 4).", "critical", None),
    Flag("R11", "SC-0001", "Placement review overdue since 1 Mar 2026.", "warning", "NORTH"),
    Flag("R7", "SC-0002", "4 days a week at Oak Farm AP (more than 3).", "advisory", "NORTH"),
    Flag("R11", "SC-0003", "No review date for the placement.", "warning", "SOUTH"),
    Flag("R7", "SC-0003", "5 days a week at Oak Farm AP (more than 3).", "advisory", "SOUTH"),
]


def test_filters_by_rule_and_severity_and_an_empty_choice_means_all():
    assert filter_flags(FLAGS, [], []) == FLAGS
    assert filter_flags(FLAGS, ["R11"], []) == [FLAGS[1], FLAGS[3]]
    assert filter_flags(FLAGS, ["R7", "R11"], ["advisory"]) == [FLAGS[2], FLAGS[4]]
    assert filter_flags(FLAGS, ["R8"], ["warning"]) == []


def test_flag_rows_name_pupils_by_case_reference_and_initials_only():
    frame = flags_frame(FLAGS, {"SC-0001": "A. B."}, icons=True).to_pydict()
    assert frame["Subject"] == [
        "Oak Farm AP",
        "SC-0001 (A. B.)",
        "SC-0002",
        "SC-0003",
        "SC-0003",
    ]
    assert frame["Partnership"][:2] == ["County-wide", "NORTH"]
    assert frame["Rule"][0] == "R8: AP at risk of being an unregistered school"
    assert frame["What is wrong"][1] == FLAGS[1].message


def test_severity_is_said_in_words_with_an_icon_on_screen_and_plain_words_in_the_csv():
    on_screen = flags_frame(FLAGS[:3], {}, icons=True)["Severity"].to_pylist()
    in_csv = flags_frame(FLAGS[:3], {}, icons=False)["Severity"].to_pylist()
    assert on_screen == ["✖ Critical", "⚠ Warning", "ℹ Advisory"]
    assert in_csv == ["Critical", "Warning", "Advisory"]


def test_the_schools_table_shows_the_partnership_column_only_for_the_county():
    rows = [SchoolFigures("Hill School", "NORTH", False, 700, (3, 2, 1, 4), 5)]
    county = schools_frame(rows, with_partnership=True)
    one = schools_frame(rows, with_partnership=False)
    assert county.iloc[0].to_dict() == {
        "School": "Hill School",
        "Partnership": "NORTH",
        "Member": "No",
        "On roll": 700,
        "Tier 1": 3,
        "Tier 2": 2,
        "Tier 3": 1,
        "Tier 4": 4,
        "Open referrals": 5,
    }
    assert "Partnership" not in one.columns


def test_the_csv_holds_every_flag_given_with_plain_words_and_no_names():
    rows = list(csv.DictReader(io.StringIO(flags_csv(FLAGS, {"SC-0002": "C. D."}))))
    assert len(rows) == len(FLAGS)
    assert rows[2] == {
        "Severity": "Advisory",
        "Rule": "R7: More than 3 days a week at one AP",
        "Subject": "SC-0002 (C. D.)",
        "Partnership": "NORTH",
        "What is wrong": FLAGS[2].message,
    }


def test_every_text_cell_of_a_csv_download_is_formula_escaped():
    flags = [Flag("R8", '=HYPERLINK("http://x")', "-5 days: @once +1", "critical", None)]
    (row,) = csv.DictReader(io.StringIO(flags_csv(flags, {})))
    assert row["Subject"] == '\'=HYPERLINK("http://x")'
    assert row["What is wrong"] == "'-5 days: @once +1"
    frame = pd.DataFrame({"Count": [-3], "Note": ["+44 1234"], "Plain": ["fine"]})
    assert csv_text(frame).splitlines() == ["Count,Note,Plain", "-3,'+44 1234,fine"]


def test_audit_rows_say_what_changed_in_words():
    at = datetime(2026, 3, 4, 14, 5, tzinfo=UTC)
    rows = [
        AuditRow(at, "a@x.example", "insert", "tier_change", 7, "SC-1", ()),
        AuditRow(
            at,
            "b@x.example",
            "update",
            "pupil",
            3,
            "SC-2",
            (
                Change("first_name", HIDDEN, CHANGED),
                Change("off_roll_date", None, "2026-03-04"),
                Change("last_sign_in", "2026-07-01T08:30:00+00:00", None),
            ),
        ),
        AuditRow(at, "c@x.example", "delete", "setting", 1, None, ()),
    ]
    frame = audit_frame(rows)
    assert frame.to_dict("records")[1] == {
        "When": "04/03/2026 14:05",
        "Who": "b@x.example",
        "Action": "Update",
        "Table": "pupil",
        "Case": "SC-2",
        "What changed": "first_name: (hidden) → (changed); off_roll_date: (empty) → 04/03/2026; "
        "last_sign_in: 01/07/2026 09:30 → (empty)",  # UK summer time
    }
    assert list(frame["What changed"]) == ["Added", frame["What changed"][1], "Removed"]
    assert list(frame["Table"]) == ["tier change", "pupil", "setting"]
