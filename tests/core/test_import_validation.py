"""Validation of whole imports on plain tables (no store), and the formats' fit to the models."""

from pathlib import Path

from sqlalchemy import UniqueConstraint

from seips_core.transfer.describe import END, START, formats_markdown, with_formats
from seips_core.transfer.formats import FORMATS, FORMATS_BY_NAME
from seips_core.transfer.reading import Table
from seips_core.transfer.validate import NewRow, StoredRow, check_import

DOCS = Path(__file__).parents[2] / "docs" / "import.md"


def table(name: str, *lines: str) -> Table:
    """A table as read from ``name``.csv: the first line the header, the others data rows 2…"""
    header, *rows = [tuple(cell.strip() for cell in line.split(",")) for line in lines]
    return Table(name, f"{name}.csv", header, tuple(enumerate(rows, start=2)))


def messages(tables: list[Table], stored=None) -> list[str]:
    return [str(problem) for problem in check_import(tables, stored or {}).problems]


SCHOOL_HEADER = "urn,name,partnership_code,number_on_roll,local_authority"


def test_headers_are_read_in_any_case_and_order_with_spaces_for_underscores():
    partnerships = table("partnerships", "Name, CODE", "Example Vale,EXV")
    schools = table(
        "schools",
        "Local Authority,Number On Roll,Partnership-Code,URN,Name",
        "Shire County,900,EXV,990001,Examplebury Academy",
    )
    checked = check_import([partnerships, schools], {})
    assert checked.problems == []
    (school,) = checked.rows["schools"]
    assert school.values["urn"] == 990001
    assert school.values["partnership_code"] == NewRow("partnerships", 0)
    assert school.values["member"] is True  # R3: a left-out column takes its default


def test_a_table_is_named_in_any_case_and_given_once():
    header = ("case_ref", "school_urn", "tier", "from_date")
    sheet = Table("Tier History", "county.xlsx sheet Tier History", header, ())
    first = Table("Partnerships", "Partnerships.csv", ("code", "name"), ((2, ("EXV", "Vale")),))
    again = table("partnerships", "code,name", "EXW,Wold")
    checked = check_import([sheet, first, again], {})
    assert list(checked.rows) == ["partnerships", "tier_history"]
    assert [str(problem) for problem in checked.problems] == [
        "partnerships.csv: given twice (also Partnerships.csv)"
    ]


def test_references_reach_rows_already_in_the_store():
    schools = table("schools", SCHOOL_HEADER, "990001,Examplebury Academy,EXV,900,Shire County")
    checked = check_import([schools], {"partnerships": {("EXV",): 7}})
    assert checked.problems == []
    assert checked.rows["schools"][0].values["partnership_code"] == StoredRow(7)


def test_a_ref_written_as_export_writes_it_points_at_the_stored_row():
    invitations = table("invitations", "meeting,school_urn", "meeting-12,990001")
    stored = {"meetings": {("meeting-12",): 12}, "schools": {(990001,): 3}}
    checked = check_import([invitations], stored)
    assert checked.problems == []
    assert checked.rows["invitations"][0].values["meeting"] == StoredRow(12)


def test_a_key_made_of_references_is_checked_against_the_store():
    invitations = table("invitations", "meeting,school_urn", "meeting-12,990001")
    stored = {
        "meetings": {("meeting-12",): 12},
        "schools": {(990001,): 3},
        "invitations": {(StoredRow(12), StoredRow(3)): 40},
    }
    assert messages([invitations], stored) == [
        "invitations.csv row 2, column meeting: "
        "invitation (meeting, school_urn) meeting-12, 990001 is already in the store"
    ]


def test_every_problem_is_reported_in_reading_order_not_just_the_first():
    pupils = table(
        "pupils",
        "case_ref,first_name,last_name,date_of_birth,year_group,home_la,lac_status,shoe_size",
        "EX-1,Ann,Example,2012-13-01,14,Shire County,fostered,5",
        "EX-1,,Specimen,2012-01-01,9,Shire County,,4",
    )
    assert messages([pupils]) == [
        "pupils.csv, column shoe_size: unknown column: pupils has case_ref, first_name, "
        "last_name, date_of_birth, year_group, school_urn, home_la, lac_status, lac_la, ehcp, "
        "sen_support, pupil_premium, top_up_amount, top_up_year_start, off_roll_date, "
        "off_roll_reason, anonymised_on",
        "pupils.csv row 2, column date_of_birth: "
        "must be a date written YYYY-MM-DD or DD/MM/YYYY (not '2012-13-01')",
        "pupils.csv row 2, column year_group: must be a whole number from 7 to 13 (not '14')",
        "pupils.csv row 2, column lac_status: "
        "R18: must be one of none, own_la, other_la (not 'fostered')",
        "pupils.csv row 3, column case_ref: "
        "case reference EX-1 appears twice in this file (first at row 2)",
        "pupils.csv row 3, column first_name: required: this cell is empty",
    ]


def test_text_longer_than_the_store_holds_is_refused():
    partnerships = table("partnerships", "code,name", "A-VERY-LONG-PARTNERSHIP-CODE,Example")
    assert messages([partnerships]) == [
        "partnerships.csv row 2, column code: at most 16 characters (this has 28)"
    ]


def test_checks_across_columns_name_their_rule():
    tiers = table(
        "tier_history",
        "case_ref,school_urn,tier,from_date,to_date,psp_label",
        "EX-1,990001,4,2026-09-07,2026-09-07,PSP2a",
    )
    exclusions = table(
        "exclusions",
        "case_ref,school_urn,kind,start_date,school_days",
        "EX-1,990001,suspension,2026-09-07,",
        "EX-1,990001,permanent,2026-10-07,3",
    )
    stored = {"pupils": {("EX-1",): 1}, "schools": {(990001,): 1}}
    assert messages([tiers, exclusions], stored) == [
        "tier_history.csv row 2, column to_date: must be after from_date (2026-09-07)",
        "tier_history.csv row 2, column psp_label: "
        "R5: PSP2a is the City's label for Tier 3, not Tier 4",
        "exclusions.csv row 2, column school_days: "
        "R25: a suspension needs its number of school days",
        "exclusions.csv row 3, column school_days: "
        "R25: leave blank for a permanent exclusion (it has no length)",
    ]


def test_a_column_of_values_without_a_header_is_refused():
    partnerships = table("partnerships", "code,name,", "EXV,Example,stray")
    assert messages([partnerships]) == ["partnerships.csv: column C has values but no header"]


def test_every_reference_points_into_an_earlier_file_with_a_one_column_key():
    for place, fmt in enumerate(FORMATS):
        for column in fmt.columns:
            if column.refers_to is not None:
                target = FORMATS_BY_NAME[column.refers_to]
                assert FORMATS.index(target) < place, (fmt.name, column.name)
                assert len(target.key) == 1, (fmt.name, column.name)


def test_every_stored_column_of_every_model_has_a_column_in_its_file():
    """Filled from its cell, or (R13a's enforceability) computed by the store and exported."""
    for fmt in FORMATS:
        filled = {column.attribute for column in fmt.columns if column.attribute}
        computed = {column.name for column in fmt.columns if column.computed}
        stored = {c.name for c in fmt.model.__table__.columns} - {"id", "version"}
        assert filled | (computed & stored) == stored, fmt.name
        assert not filled & computed, fmt.name  # a computed fact is never taken from a cell


def unique_column_sets(table) -> set[frozenset[str]]:
    """The sets of columns a table holds once: unique constraints, indexes and columns."""
    sets = {
        frozenset(c.name for c in k.columns)
        for k in table.constraints
        if isinstance(k, UniqueConstraint)
    }
    sets |= {frozenset(c.name for c in index.columns) for index in table.indexes if index.unique}
    return sets - {frozenset({"id"})}


def test_a_file_s_key_and_unique_columns_are_what_the_store_holds_once():
    """So an export always imports back, and a duplicate is refused before the database does."""
    for fmt in FORMATS:
        stored = frozenset(fmt.column(name).attribute for name in fmt.key) - {None}
        expected = {stored} if stored else set()  # a ref is the import's own, not stored
        expected |= {
            frozenset(fmt.column(name).attribute for name in unique.columns)
            for unique in fmt.unique
        }
        assert unique_column_sets(fmt.model.__table__) == expected, fmt.name


def test_a_column_the_store_requires_is_required_or_has_a_default():
    for fmt in FORMATS:
        for column in fmt.columns:
            if column.attribute is None:
                continue
            nullable = fmt.model.__table__.c[column.attribute].nullable
            assert nullable or column.required or column.default is not None, column.name


def test_the_format_documentation_is_generated_from_the_formats():
    document = DOCS.read_text(encoding="utf-8")
    assert START in document and END in document
    assert with_formats(document) == document, (
        "The import guide's formats are out of date: run "
        "python -m seips_core.transfer.describe docs/import.md"
    )
    assert formats_markdown() in document


AGENDA_HEADER = "ref,meeting,position,purpose,case_ref,referral,fair_access_case,placement"
#: A meeting, two pupils and a referral already in the store, as export writes their keys.
IN_THE_STORE = {
    "meetings": {("meeting-1",): 1},
    "pupils": {("EX-001",): 11, ("EX-002",): 12},
    "referrals": {("referral-3",): 3},
}


def test_a_case_given_twice_on_one_agenda_is_refused_by_row_and_column():
    items = table(
        "agenda_items",
        AGENDA_HEADER,
        "item-1,meeting-1,1,referral,EX-001,referral-3,,",
        "item-2,meeting-1,2,referral,EX-001,referral-3,,",
        "item-3,meeting-1,3,tier4_review,EX-002,,,",
        "item-4,meeting-1,4,tier4_review,EX-002,,,",
        "item-5,meeting-1,5,tier4_review,EX-001,,,",
    )
    assert messages([items], IN_THE_STORE) == [
        "agenda_items.csv row 3, column referral: meeting and referral meeting-1, referral-3 "
        "appears twice in this file (first at row 2)",
        "agenda_items.csv row 5, column case_ref: meeting, case_ref and purpose (an item about "
        "no referral, case or placement) meeting-1, EX-002, tier4_review appears twice in this "
        "file (first at row 4)",
    ]


def test_a_second_standing_decision_or_amendment_is_refused_against_the_file_and_the_store():
    header = "ref,agenda_item,amends_decision_id,outcome,rationale,decided_by,decided_at"
    decisions = table(
        "decisions",
        header,
        "dec-1,agenda-item-4,,defer,Wait.,Jo,2026-11-19 10:05",
        "dec-2,agenda-item-5,,defer,Wait.,Jo,2026-11-19 10:05",
        "dec-3,agenda-item-5,,decline,No.,Jo,2026-11-19 10:06",
        "dec-4,agenda-item-5,7,decline,No.,Jo,2026-11-19 10:07",
    )
    stored = {"agenda_items": {("agenda-item-4",): 4, ("agenda-item-5",): 5}}
    held = {"decisions": {("agenda_item",): {(StoredRow(4),)}, ("amends_decision_id",): {(7,)}}}
    standing = "standing decision (amends_decision_id blank) of agenda_item"
    assert [str(p) for p in check_import([decisions], stored, held).problems] == [
        f"decisions.csv row 2, column agenda_item: {standing} agenda-item-4 is already in the "
        "store",
        f"decisions.csv row 4, column agenda_item: {standing} agenda-item-5 appears twice in "
        "this file (first at row 3)",
        "decisions.csv row 5, column amends_decision_id: amendment of decision 7 is already in "
        "the store",
    ]
