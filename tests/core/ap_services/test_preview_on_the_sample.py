"""On the sample county, the preview's R8 count is the store's and its R8 flag the catalogue's."""

from datetime import date

from ap_services_store import every_row, substantial_pupils_in_sql
from sqlalchemy import select

from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session
from seips_core.models import Partnership, Provider, Pupil, School
from seips_core.queries.flags import county_flags
from seips_core.sample_county import generate_sample
from seips_core.services.placements import PlacementInput, preview_placement

#: The sample's NW panel meets on this Wednesday.
ON = date(2026, 11, 25)
NW_COORDINATOR = Actor("co.nw@shire.example", "Co NW", Role.COORDINATOR, frozenset({"NW"}))


def test_every_providers_count_and_r8_flag_are_the_stores_and_the_catalogues(engine):
    generate_sample(engine, today=ON)
    with read_session(engine) as session:
        pupil_id = session.scalars(
            select(Pupil.id)
            .join(School, School.id == Pupil.school_id)
            .join(Partnership, Partnership.id == School.partnership_id)
            .where(Partnership.code == "NW", Pupil.off_roll_date.is_(None))
            .order_by(Pupil.id)
        ).first()
        providers = session.execute(
            select(Provider.id, Provider.name).where(~Provider.is_registered_school)
        ).all()
        r8 = {flag.subject: flag for flag in county_flags(session, ON) if flag.rule == "R8"}
    assert r8, "the sample plants a provider over R8's line"
    before = every_row(engine)
    for provider_id, name in providers:
        # One Friday afternoon: part time, so the count with the change is the count without.
        data = PlacementInput(pupil_id, provider_id, "FriPM", 2.5, ON)
        preview = preview_placement(engine, NW_COORDINATOR, None, data, on=ON)
        counted = substantial_pupils_in_sql(engine, name, ON)
        assert preview.r8_before.substantial_pupils == counted, name
        assert preview.r8_after == preview.r8_before, name
        assert [f for f in preview.flags if f.rule == "R8"] == ([r8[name]] if name in r8 else [])
        assert not preview.crosses_r8
    assert every_row(engine) == before
