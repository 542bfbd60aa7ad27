"""``seips gias``: the county's open secondary schools from a GIAS extract (issue 14).

The fixture ``tests/fixtures/gias/edubasealldata20261201.csv`` is GIAS-shaped (the columns read
and a few others, Windows-1252, CRLF) and wholly synthetic. Of LA 877 (Shire County) it holds
five open secondary schools (rows 2-6: a Secondary one with a curly apostrophe, one with
"é" and "œ" whose trust has a curly apostrophe, one "Open, but proposed to close" with a blank
NumberOfPupils, an All-through one and a Middle deemed secondary one), and rows that are not
taken: a primary (row 7), a closed secondary (row 8), a 16 plus college (row 10), a special
school (row 11) and one proposed to open (row 14). LA 878 has one school (row 9); LA 879 two,
one of them with the URN ``9000O1`` (a letter O, row 12).
"""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from seips_core.db import get_engine, read_session, write_session
from seips_core.errors import WrongStore
from seips_core.migrate import upgrade
from seips_core.models import AuditEntry, Partnership, School
from seips_core.store_kind import StoreKind, record_kind
from seips_core.transfer import ImportRefused, export_path, import_path
from seips_core.transfer.gias import decode, import_gias, read_gias, read_records, select_schools

GIAS = Path(__file__).parents[1] / "fixtures" / "gias" / "edubasealldata20261201.csv"
SHIRE = "877"
#: LA 877's open secondary schools, by URN.
TAKEN = {900001, 900002, 900003, 900004, 900005}
STORED_LA = "Shire County Council"


def _school(partnership: Partnership, urn: int, name: str, roll: int, **more) -> School:
    return School(
        urn=urn,
        name=name,
        partnership_id=partnership.id,
        number_on_roll=roll,
        local_authority=STORED_LA,
        **more,
    )


@pytest.fixture
def county(engine):
    """A real store with two partnerships and four schools: St Mary's (in GIAS, its name with
    a straight apostrophe, not a member), Shire Vale (as GIAS has it), Old Town (closed in
    GIAS) and Elsewhere School (not in the extract)."""
    with write_session("setup", engine) as session:
        record_kind(session, StoreKind.REAL)
        north, south = Partnership(code="NW", name="North West"), Partnership(code="SE", name="SE")
        session.add_all([north, south])
        session.flush()
        session.add_all(
            [
                _school(north, 900001, "St Mary's Catholic School", 1100, is_member=False),
                _school(
                    north,
                    900004,
                    "Shire Vale All-Through School",
                    1500,
                    establishment_type="Free schools",
                    trust="Shire Learning Trust",
                ),
                _school(north, 900007, "Old Town High School", 300),
                _school(south, 800001, "Elsewhere School", 640),
            ]
        )
    return engine


def _schools(engine) -> dict[int, dict]:
    """Every stored school's columns, by URN."""
    with read_session(engine) as session:
        return {school.urn: school.model_dump() for school in session.scalars(select(School))}


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


def _records(path: Path = GIAS) -> list[list[str]]:
    text, problems = decode(path.read_bytes(), path.name)
    assert problems == [] and text is not None
    return read_records(text, path.name)[0]


def test_only_the_open_secondary_schools_of_the_la_are_taken():
    selection = select_schools(_records(), SHIRE, GIAS.name)
    assert selection.problems == ()
    assert {school.urn for school in selection.schools} == TAKEN
    # Closed ones are remembered (a stored one gets a note), primary, 16 plus, special,
    # proposed-to-open and other LAs' schools are not taken at all.
    assert dict(selection.closed) == {900007: 8}
    middle = next(school for school in selection.schools if school.urn == 900005)
    assert (middle.row, middle.number_on_roll) == (6, 480)


def test_windows_1252_is_read_as_such_and_a_utf_8_copy_reads_the_same(tmp_path):
    names = {school.urn: school for school in read_gias(GIAS, SHIRE).schools}
    assert names[900001].name == "St Mary’s Catholic School"
    assert names[900002].name == "Sacré Cœur Catholic High School"
    assert names[900002].trust == "Our Lady’s Catholic Multi-Academy Trust"

    resaved = tmp_path / "resaved.csv"
    resaved.write_bytes(b"\xef\xbb\xbf" + GIAS.read_bytes().decode("cp1252").encode("utf-8"))
    assert read_gias(resaved, SHIRE).schools == read_gias(GIAS, SHIRE).schools


def test_a_byte_that_is_no_windows_1252_character_is_a_problem_on_its_row(tmp_path):
    damaged = tmp_path / "damaged.csv"
    lines = GIAS.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace(b"Sacr\xe9", b"Sacr\x81")
    damaged.write_bytes(b"\r\n".join(lines))
    (problem,) = read_gias(damaged, SHIRE).problems
    assert problem.row == 3
    assert "0x81" in str(problem) and "Windows-1252" in str(problem)


def test_a_bad_urn_of_the_la_is_named_by_row_and_column_and_other_las_bad_rows_are_not():
    assert select_schools(_records(), SHIRE, GIAS.name).problems == ()  # row 12 is LA 879's
    downs = select_schools(_records(), "879", GIAS.name)
    (problem,) = downs.problems
    assert (problem.row, problem.column) == (12, "URN")
    assert str(problem) == (
        "edubasealldata20261201.csv row 12, column URN: "
        "must be a whole number 1 or more (not '9000O1')"
    )


def test_a_wrong_la_code_or_a_file_that_is_no_extract_says_so(tmp_path):
    (wrong,) = select_schools(_records(), "886", GIAS.name).problems
    assert "no establishment has LA code 886" in str(wrong) and "877, 878, 879" in str(wrong)
    other = tmp_path / "schools.csv"
    other.write_text("urn,name\n1,A school\n", encoding="utf-8")
    missing = {problem.column for problem in read_gias(other, SHIRE).problems}
    assert missing == {"URN", "LA (code)", "LA (name)", "EstablishmentName", "NumberOfPupils",
                       "TypeOfEstablishment (name)", "EstablishmentStatus (name)",
                       "PhaseOfEducation (name)", "Trusts (name)"}  # fmt: skip


def test_an_import_creates_the_new_schools_and_updates_the_stored_ones(county):
    before = _schools(county)
    plan = import_gias(GIAS, county, la=SHIRE, partnership="SE", actor="cli:ops")
    after = _schools(county)

    assert {school.urn for school in plan.created} == {900002, 900003, 900005}
    assert [change.school.urn for change in plan.updated] == [900001]
    assert [school.urn for school in plan.unchanged] == [900004]
    with read_session(county) as session:
        south = session.scalar(select(Partnership.id).where(Partnership.code == "SE"))
    assert after[900002] | {"id": None} == {
        "id": None,
        "version": 1,
        "urn": 900002,
        "name": "Sacré Cœur Catholic High School",
        "establishment_type": "Academy converter",
        "trust": "Our Lady’s Catholic Multi-Academy Trust",
        "number_on_roll": 850,
        "partnership_id": south,
        "is_member": True,
        "local_authority": "Shire County",
    }
    # A new school with a blank NumberOfPupils: 0 on roll, and a note naming row and column.
    assert after[900003]["number_on_roll"] == 0
    assert any(
        (note.row, note.column) == (4, "NumberOfPupils") and "0 on roll" in note.message
        for note in plan.notes
    )

    # GIAS's name, type and roll; the county's partnership, membership and LA name stay.
    assert after[900001] == before[900001] | {
        "name": "St Mary’s Catholic School",
        "establishment_type": "Voluntary aided school",
        "number_on_roll": 1120,
        "version": 2,
    }
    assert plan.updated[0].fields["name"] == (
        "St Mary's Catholic School",
        "St Mary’s Catholic School",
    )

    # Untouched: the unchanged one, the one not in the extract, the one closed in GIAS.
    for urn in (900004, 800001, 900007):
        assert after[urn] == before[urn]
    assert any((note.row, note.column) == (8, "EstablishmentStatus (name)") for note in plan.notes)
    assert set(after) == set(before) | {900002, 900003, 900005}


def test_every_change_is_audited_as_the_importer(county):
    with read_session(county) as session:
        first_new = session.scalar(select(func.max(AuditEntry.id))) + 1
    import_gias(GIAS, county, la=SHIRE, partnership="SE", actor="cli:ops")
    with read_session(county) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.id >= first_new))
        made = sorted((entry.actor, entry.action, entry.table_name) for entry in entries)
    assert made == [("cli:ops", "insert", "school")] * 3 + [("cli:ops", "update", "school")]


def test_new_schools_without_a_partnership_refuse_the_whole_import(county):
    before = _schools(county)
    with read_session(county) as session:
        audit = _audit_count(session)
    with pytest.raises(ImportRefused) as refused:
        import_gias(GIAS, county, la=SHIRE, partnership=None, actor="cli:ops")
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "URN"),
        (4, "URN"),
        (6, "URN"),
    ]
    assert "--partnership" in str(refused.value) and "Sacré Cœur" in str(refused.value)
    assert _schools(county) == before  # not even St Mary's, which had no problem
    with read_session(county) as session:
        assert _audit_count(session) == audit


def test_an_unknown_partnership_is_named_with_the_codes_the_store_has(county):
    with pytest.raises(ImportRefused) as refused:
        import_gias(GIAS, county, la=SHIRE, partnership="XX", actor="cli:ops")
    assert str(refused.value.problems[0]) == (
        "--partnership: no partnership has the code XX (the store's codes: NW, SE)"
    )


def test_a_blank_roll_keeps_the_stored_figure(county):
    with write_session("setup", county) as session:
        north = session.scalar(select(Partnership).where(Partnership.code == "NW"))
        session.add(_school(north, 900003, "Hillside Academy", 777))
    plan = import_gias(GIAS, county, la=SHIRE, partnership="SE", actor="cli:ops")
    hillside = _schools(county)[900003]
    assert (hillside["number_on_roll"], hillside["trust"]) == (777, "Shire Learning Trust")
    (change,) = [change for change in plan.updated if change.school.urn == 900003]
    assert "number_on_roll" not in change.fields


def test_a_dry_run_plans_but_writes_nothing(county):
    before = _schools(county)
    plan = import_gias(GIAS, county, la=SHIRE, partnership="SE", actor="cli:ops", dry_run=True)
    assert len(plan.created) == 3 and len(plan.updated) == 1
    assert _schools(county) == before


def test_a_demo_store_refuses_the_register(engine):
    with write_session("setup", engine) as session:
        record_kind(session, StoreKind.DEMO)
    with pytest.raises(WrongStore):
        import_gias(GIAS, engine, la=SHIRE, partnership="SE", actor="cli:ops")


def test_type_and_trust_travel_in_the_schools_file(county, tmp_path):
    import_gias(GIAS, county, la=SHIRE, partnership="SE", actor="cli:ops")
    export_path(tmp_path / "out", county)
    header = (tmp_path / "out" / "schools.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",establishment_type,trust")

    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    upgrade(copy_url)
    copy = get_engine(copy_url)
    import_path(tmp_path / "out", copy, actor="test")

    def register(engine) -> dict[int, tuple]:
        return {urn: (s["establishment_type"], s["trust"]) for urn, s in _schools(engine).items()}

    assert register(copy) == register(county)
    assert register(copy)[900002] == (
        "Academy converter",
        "Our Lady’s Catholic Multi-Academy Trust",
    )
