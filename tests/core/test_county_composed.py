"""A county's flags and home figures composed of its partnerships' (issue 13) equal the whole
store's, on the sample county, on both engines.

The pages compose a county admin's view from answers cached per partnership, so that a write
in one partnership recomputes that partnership's part alone. The composition is only right if
every flag belongs to exactly one part: each partnership's flags but those on providers, the
flags of no partnership, and the providers' flags counted once county-wide (R8, R10).
"""

from datetime import date

import pytest
from sqlalchemy import Engine

from seips_core.db import read_session
from seips_core.queries.flag_list import case_flag_list, combined, flag_list, provider_flag_list
from seips_core.queries.flags import Unassigned
from seips_core.queries.home import home_figures, summed
from seips_core.queries.partnerships import partnership_choices
from seips_core.sample_county import generate_sample

#: A spring day (placements running, one provider over R8's line) and an autumn one.
DAYS = (date(2026, 3, 4), date(2026, 11, 25))


@pytest.fixture
def county(engine) -> Engine:
    generate_sample(engine, today=DAYS[1])
    return engine


def test_the_county_composed_of_its_partnerships_equals_the_whole_store(county):
    with read_session(county) as session:
        codes = [choice.code for choice in partnership_choices(session)]
        for on in DAYS:
            for full_names in (False, True):
                parts = [case_flag_list(session, on, code, full_names=full_names) for code in codes]
                parts.append(case_flag_list(session, on, Unassigned.ROWS, full_names=full_names))
                providers = provider_flag_list(session, on)
                whole = flag_list(session, on, None, full_names=full_names)
                assert combined([*parts, providers]) == whole
            # Not vacuous: providers flagged once, and several partnerships with flags.
            assert providers.flags
            assert {flag.rule for flag in providers.flags} <= {"R8", "R10"}
            assert sum(1 for part in parts if part.flags) >= 2
            figures = summed(home_figures(session, on, code) for code in codes)
            assert figures == home_figures(session, on, None)
            assert figures.placements_running and figures.open_referrals
