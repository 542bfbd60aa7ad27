"""The school profile page (issue 15) on the sample county: a chair picks a school and sees its
figures as the store holds them, never a pupil's name (projection mode off, too); the address
names the school; a viewer sees the counts but no pupils and no charges."""

from conftest import TODAY, demo_actor
from direct_counts import dates_of_birth, full_names, school_counts
from page_helpers import SCHOOLS, open_page, open_part, show_names, shown_text

from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.queries.schools import school_choices

PICKER = "profile_school"
PARTS = "profile_part"


def schools_of(url: str, role: Role) -> dict[int, str]:
    """The schools the role's demo account's partnership holds (a county admin's: the county's),
    by id, as the picker lists them."""
    actor = demo_actor(url, role)
    code = None if actor.sees_all else min(actor.partnerships)
    with read_session(get_engine(url)) as session:
        return dict(school_choices(session, actor, code))


def metrics(app) -> dict[str, int]:
    return {metric.label: int(metric.value.replace(",", "")) for metric in app.metric}


def test_a_chair_sees_the_profile_of_the_school_chosen_and_no_pupil_name(app_as, county_url):
    schools = schools_of(county_url, Role.CHAIR)
    chosen = list(schools)[1]
    app = open_page(show_names(app_as(Role.CHAIR).run()), SCHOOLS)
    assert app.title[0].value == "School profile"
    assert app.selectbox(key=PICKER).value == next(iter(schools))  # the first, at first
    app.selectbox(key=PICKER).set_value(chosen).run()
    assert not app.exception
    assert app.query_params["school"] == str(chosen)  # the address names it, for a link
    assert app.markdown[0].value.startswith(f"**{schools[chosen]}** · URN ")
    (code,) = demo_actor(county_url, Role.CHAIR).partnerships
    expected = school_counts(county_url, TODAY, code)[schools[chosen]]
    shown = metrics(app)
    assert shown["Pupils at Tier 4"] == expected["Tier 4"]
    assert shown["Pupils at any tier"] == sum(expected[f"Tier {tier}"] for tier in (1, 2, 3, 4))
    assert shown["Open referrals"] == expected["Open referrals"]
    parts = [tab.label for tab in app.tabs]
    assert parts[:3] == ["Term by term", "Fair Access", "AP placements"]
    assert parts[3].startswith("Charges 2025/26")
    assert len(app.get("plotly_chart")) == 1  # the tiers term by term, the part open at first
    secrets = [*full_names(county_url), *dates_of_birth(county_url)]
    for part in parts:
        text = shown_text(open_part(app, PARTS, part))
        assert not [secret for secret in secrets if secret in text], part


def test_the_address_opens_a_school_and_another_partnerships_school_is_not_shown(
    app_as, county_url
):
    schools = schools_of(county_url, Role.CHAIR)
    last = list(schools)[-1]
    app = app_as(Role.CHAIR).run()
    app.query_params["school"] = str(last)
    app.switch_page(SCHOOLS).run()
    assert app.selectbox(key=PICKER).value == last
    elsewhere = next(iter(schools_of(county_url, Role.COUNTY_ADMIN).keys() - schools.keys()))
    app = app_as(Role.CHAIR).run()
    app.query_params["school"] = str(elsewhere)
    app.switch_page(SCHOOLS).run()
    assert not app.exception and not app.error
    assert app.selectbox(key=PICKER).value == next(iter(schools))


def test_a_viewer_sees_the_schools_counts_but_no_pupils_and_no_charges(app_as):
    app = open_page(app_as(Role.VIEWER), SCHOOLS)
    assert [tab.label for tab in app.tabs] == ["Term by term"]
    assert "Pupils at Tier 4" in metrics(app)
    assert not app.get("table") or all("Pupil" not in t.value.columns for t in app.table)
