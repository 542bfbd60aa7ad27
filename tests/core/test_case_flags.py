"""One case's flags read from that case's rows alone (issue 13) are exactly the flags the
partnership's whole list holds for it: every rule of the sample county, on both engines."""

from datetime import date

import pytest
from sqlalchemy import select

from seips_core.db import read_session
from seips_core.models import Partnership, Pupil, School
from seips_core.queries.agenda_item import case_flags
from seips_core.queries.flags import county_flags
from seips_core.sample_county import generate_sample

ON = date(2026, 11, 25)


@pytest.fixture
def county(engine):
    generate_sample(engine, today=ON)
    return engine


def test_each_case_has_the_flags_its_partnership_lists_for_it(county):
    with read_session(county) as session:
        codes = session.scalars(select(Partnership.code).order_by(Partnership.code)).all()
        checked_rules: set[str] = set()
        for code in codes:
            listed = county_flags(session, ON, code)
            pupils = set(session.scalars(select(Pupil.case_ref)))
            flagged = {flag.subject for flag in listed} & pupils
            # Pupils the list leaves alone must stay clean when read on their own.
            unflagged = session.scalars(
                select(Pupil.case_ref)
                .join(School, School.id == Pupil.school_id)
                .join(Partnership, Partnership.id == School.partnership_id)
                .where(Partnership.code == code, Pupil.case_ref.not_in(flagged))
                .order_by(Pupil.case_ref)
                .limit(15)
            ).all()
            assert flagged, f"the sample plants flags on pupils of {code}"
            for case_ref in sorted(flagged) + list(unflagged):
                expected = [flag for flag in listed if flag.subject == case_ref]
                assert case_flags(session, case_ref, ON, code) == expected, case_ref
                checked_rules |= {flag.rule for flag in expected}
    # Every rule that raises flags on a pupil was compared, not only the common ones.
    assert {"R4", "R7", "R13", "R15", "R21", "R25"} <= checked_rules, checked_rules
