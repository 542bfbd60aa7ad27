"""A county's flags refreshed from the ones before (issue 13) equal the whole store's, on the
sample county, on both engines.

After writes in a few partnerships, a county admin's flag list is the previous one with those
partnerships' flags and the flags of no partnership worked out again (``refreshed``). That is
only right if every flag belongs to exactly one part: a partnership's (it names it), the
providers' counted once county-wide (R8, R10), or no partnership's.
"""

from datetime import date

import pytest
from sqlalchemy import Engine, select

from seips_core.db import read_session, write_session
from seips_core.models import Partnership, Pupil, School
from seips_core.queries.flag_list import flag_list, refreshed
from seips_core.queries.partnerships import partnership_choices
from seips_core.sample_county import generate_sample

#: A spring day (placements running, one provider over R8's line) and an autumn one.
DAYS = (date(2026, 3, 4), date(2026, 11, 25))


@pytest.fixture
def county(engine) -> Engine:
    generate_sample(engine, today=DAYS[1])
    return engine


def test_the_county_refreshed_part_by_part_equals_the_whole_store(county):
    with read_session(county) as session:
        codes = [choice.code for choice in partnership_choices(session)]
        for on in DAYS:
            for full_names in (False, True):
                whole = flag_list(session, on, None, full_names=full_names)
                # Every part worked out again, or one: the same list as the whole store's.
                for changed in (codes, codes[:1]):
                    assert refreshed(session, whole, changed, on, full_names) == whole
                assert {flag.partnership for flag in whole.flags} >= {None, *codes[:2]}


def test_a_write_in_one_partnership_refreshed_into_the_countys_flags(county):
    """R17: a pupil taken off roll without a reason is flagged in their school's partnership;
    the refreshed list picks it up, with the pupil's new name."""
    on = DAYS[1]
    with read_session(county) as session:
        before = flag_list(session, on, None, full_names=True)
    with write_session("test", county) as session:
        pupil = session.scalars(
            select(Pupil).where(Pupil.school_id.is_not(None), Pupil.off_roll_date.is_(None))
        ).first()
        pupil.off_roll_date, pupil.off_roll_reason = on, None
        pupil.first_name = "Renamed"
        code = session.scalar(
            select(Partnership.code)
            .join(School, School.partnership_id == Partnership.id)
            .where(School.id == pupil.school_id)
        )
    with read_session(county) as session:
        after = flag_list(session, on, None, full_names=True)
        assert after != before
        assert refreshed(session, before, [code], on, True) == after
