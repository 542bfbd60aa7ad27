"""county_flags against a small county built through write_session, on SQLite and PostgreSQL.

Each test adds the row that should raise a rule beside its near neighbour that should not, and
checks what a chair would see: which rule, on which subject, how severe.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from seips_core.config import COUNTY_LA
from seips_core.db import read_session, write_session
from seips_core.models import (
    AgendaItem,
    Decision,
    Exclusion,
    FairAccessCase,
    FairAccessCategory,
    FairAccessRefusal,
    Meeting,
    MeetingInvitation,
    Partnership,
    Placement,
    Provider,
    Pupil,
    Referral,
    SafeguardingConfirmation,
    School,
    Setting,
    TermDate,
    TierChange,
)
from seips_core.models.choices import SESSIONS
from seips_core.queries.flags import county_flags, days_a_week_column, flag_counts
from seips_core.rules.flag import Flag
from seips_core.rules.sessions import days_a_week

#: A Wednesday in the second half of the autumn term 2025.
ON = date(2025, 11, 12)
#: Autumn 2025 with its October half term (27–31 Oct).
TERMS = [
    ("Autumn 1", date(2025, 9, 3), date(2025, 10, 24)),
    ("Autumn 2", date(2025, 11, 3), date(2025, 12, 19)),
]
TWO_DAYS = "MonAM MonPM TueAM TuePM"


@dataclass
class County:
    """A two-partnership county whose every record is complete: it raises no flag."""

    engine: Engine
    ids: dict[str, int] = field(default_factory=dict)
    confirmed: set[tuple[str, str]] = field(default_factory=set)

    def add(self, *rows) -> list[int]:
        with write_session("test", self.engine) as session:
            session.add_all(rows)
            session.flush()
            return [row.id for row in rows]

    def build(self) -> "County":
        self.ids["NWL"], self.ids["HBN"] = self.add(
            Partnership(code="NWL", name="North West"), Partnership(code="HBN", name="Hinckley")
        )
        school = dict(number_on_roll=900, local_authority=COUNTY_LA)
        names = ("Ashby School", "Coalville School", "Castle School", "Hinckley School")
        self.ids.update(
            zip(
                names,
                self.add(
                    School(urn=1, name=names[0], partnership_id=self.ids["NWL"], **school),
                    School(urn=2, name=names[1], partnership_id=self.ids["NWL"], **school),
                    School(
                        urn=3,
                        name=names[2],
                        partnership_id=self.ids["NWL"],
                        is_member=False,
                        **school,
                    ),
                    School(urn=4, name=names[3], partnership_id=self.ids["HBN"], **school),
                ),
                strict=True,
            )
        )
        self.add(
            *(
                TermDate(academic_year_start=2025, name=name, start_date=first, end_date=last)
                for name, first, last in TERMS
            )
        )
        return self

    def provider(self, name: str, **facts) -> int:
        trained = ON - timedelta(days=100)
        values = dict(
            staff_training_date=trained, dsl_training_date=trained, lebc_check_date=trained
        )
        (provider_id,) = self.add(Provider(name=name, **(values | facts)))
        self.ids[name] = provider_id
        return provider_id

    def pupil(self, case_ref: str, school: str | None = "Ashby School", **facts) -> int:
        values = dict(
            first_name="Sam",
            last_name="Test",
            date_of_birth=date(2011, 3, 1),
            year_group=9,
            school_id=self.ids[school] if school else None,
            home_la=COUNTY_LA,
        )
        (pupil_id,) = self.add(Pupil(case_ref=case_ref, **(values | facts)))
        self.ids[case_ref] = pupil_id
        return pupil_id

    def tier(self, case_ref: str, tier: int, school: str = "Ashby School") -> None:
        self.add(
            TierChange(
                pupil_id=self.ids[case_ref],
                school_id=self.ids[school],
                tier=tier,
                from_date=ON - timedelta(days=60),
            )
        )

    def placement(
        self,
        case_ref: str,
        provider: str,
        school: str = "Ashby School",
        confirmed: bool = True,
        **facts,
    ) -> None:
        """A complete, current, two-day AP placement, changed by ``facts``."""
        if case_ref not in self.ids:
            self.pupil(case_ref, school)
        if provider not in self.ids:
            self.provider(provider)
        values = dict(
            kind="ap",
            sessions=TWO_DAYS,
            hours_per_week=10.0,
            start_date=date(2025, 10, 1),
            planned_end_date=date(2025, 12, 19),
            max_duration_weeks=11,
            plan_agreed_date=date(2025, 9, 25),
            last_review_date=date(2025, 11, 1),
            next_review_date=date(2025, 12, 10),
            la_informed_date=date(2025, 10, 1),
        )
        self.add(
            Placement(
                pupil_id=self.ids[case_ref],
                provider_id=self.ids[provider],
                school_id=self.ids[school],
                **(values | facts),
            )
        )
        if confirmed:
            self.confirm(school, provider)

    def confirm(self, school: str, provider: str) -> None:
        """R27: the school's written confirmation of the provider's checks, held once."""
        if (school, provider) in self.confirmed:
            return
        self.confirmed.add((school, provider))
        self.add(
            SafeguardingConfirmation(
                school_id=self.ids[school],
                provider_id=self.ids[provider],
                received_date=date(2025, 9, 20),
            )
        )

    def meeting(self, partnership: str, day: date, notified: dict[str, date | None]) -> int:
        (meeting_id,) = self.add(Meeting(partnership_id=self.ids[partnership], meeting_date=day))
        self.add(
            *(
                MeetingInvitation(
                    meeting_id=meeting_id, school_id=self.ids[school], notified_date=when
                )
                for school, when in notified.items()
            )
        )
        return meeting_id

    def decide(self, meeting_id: int, case_ref: str, outcome: str, **facts) -> None:
        (item_id,) = self.add(
            AgendaItem(
                meeting_id=meeting_id, position=1, purpose="referral", pupil_id=self.ids[case_ref]
            )
        )
        self.add(
            Decision(
                agenda_item_id=item_id,
                outcome=outcome,
                rationale="Agreed by the panel.",
                decided_by="chair",
                decided_at=datetime(2025, 11, 1, 10, tzinfo=UTC),
                **facts,
            )
        )

    def fair_access(self, case_ref: str, categories: tuple[str, ...] = (), **facts) -> int:
        if case_ref not in self.ids:
            self.pupil(case_ref, school=None)
        values = dict(partnership_id=self.ids["NWL"], year_group=9, referred_date=date(2025, 9, 10))
        (case_id,) = self.add(FairAccessCase(pupil_id=self.ids[case_ref], **(values | facts)))
        self.add(*(FairAccessCategory(case_id=case_id, category=c) for c in categories))
        return case_id

    def flags(self, partnership: str | None = None, on: date = ON) -> list[Flag]:
        with read_session(self.engine) as session:
            return county_flags(session, on, partnership)

    def raised(self, subject: str, partnership: str | None = None) -> set[tuple[str, str]]:
        """``(rule, severity)`` of the flags on ``subject``."""
        return {(f.rule, f.severity) for f in self.flags(partnership) if f.subject == subject}


@pytest.fixture
def county(engine) -> County:
    return County(engine).build()


NOTIFIED_ALL = {"Ashby School": date(2025, 11, 1), "Coalville School": date(2025, 11, 1)}


def test_a_county_whose_records_are_complete_raises_no_flag(county):
    county.pupil("P-CLEAN")
    county.tier("P-CLEAN", 3)
    county.placement("P-CLEAN", "Brook AP")
    assert county.flags() == []
    assert flag_counts([]) == {}


# --- Placements ------------------------------------------------------------------------------


def test_four_days_a_week_at_one_ap_is_flagged_and_three_days_is_not_R7(county):
    county.placement("P-FOUR", "Brook AP", sessions="MonAM TueAM WedAM ThuPM")
    county.placement("P-THREE", "Brook AP", sessions="MonAM MonPM TueAM TuePM WedAM")
    assert county.raised("P-FOUR") == {("R7", "advisory")}
    assert county.raised("P-THREE") == set()


def test_a_substantial_placement_needs_an_agreed_plan_R9(county):
    county.placement("P-NOPLAN", "Brook AP", hours_per_week=18.0, plan_agreed_date=None)
    county.placement("P-PLAN", "Brook AP", hours_per_week=18.0)
    county.placement("P-SHORT", "Brook AP", hours_per_week=17.5, plan_agreed_date=None)
    assert county.raised("P-NOPLAN") == {("R9", "warning")}
    assert county.raised("P-PLAN") == set()
    assert county.raised("P-SHORT") == set()


def test_a_review_due_yesterday_is_overdue_and_one_due_today_is_not_R11(county):
    county.placement("P-LATE", "Brook AP", next_review_date=ON - timedelta(days=1))
    county.placement("P-TODAY", "Brook AP", next_review_date=ON)
    assert county.raised("P-LATE") == {("R11", "warning")}
    assert county.raised("P-TODAY") == set()


def test_work_experience_needs_the_providers_lebc_check_R12(county):
    county.provider("Garage Ltd", lebc_check_date=None)
    county.placement("P-WEX", "Garage Ltd", kind="work_experience")
    county.placement("P-WEXOK", "Farm Ltd", kind="work_experience")
    county.placement("P-AP", "Garage Ltd")
    assert county.raised("P-WEX") == {("R12", "critical")}
    assert county.raised("P-WEXOK") == set()
    assert county.raised("P-AP") == set()


def test_an_ap_placement_the_la_was_not_told_of_is_flagged_R26(county):
    county.placement("P-UNTOLD", "Brook AP", la_informed_date=None)
    county.placement("P-GAP", "Brook AP", next_review_date=date(2025, 12, 21))  # 50 days
    county.placement("P-HALF", "Brook AP", next_review_date=date(2025, 12, 20))  # 49 days
    assert county.raised("P-UNTOLD") == {("R26", "warning")}
    assert county.raised("P-GAP") == {("R26", "warning")}
    assert county.raised("P-HALF") == set()


def test_a_placement_without_the_schools_safeguarding_confirmation_is_flagged_R27(county):
    county.placement("P-UNCONFIRMED", "Brook AP", school="Coalville School", confirmed=False)
    county.placement("P-CONFIRMED", "Brook AP", school="Ashby School")
    assert county.raised("P-UNCONFIRMED") == {("R27", "warning")}
    assert county.raised("P-CONFIRMED") == set()


def test_three_days_a_week_with_no_end_is_outside_the_coming_standard_R28(county):
    three_days = "MonAM TueAM WedAM"
    county.placement(
        "P-OPEN", "Brook AP", sessions=three_days, planned_end_date=None, max_duration_weeks=None
    )
    county.placement("P-SHORT", "Brook AP", sessions=three_days)
    assert ("R28", "advisory") in county.raised("P-OPEN")
    assert county.raised("P-SHORT") == set()


def test_ended_and_future_placements_are_not_current(county):
    county.placement("P-ENDED", "Brook AP", plan_agreed_date=None, end_date=ON - timedelta(1))
    county.placement("P-FUTURE", "Brook AP", la_informed_date=None, start_date=ON + timedelta(1))
    county.placement("P-ENDS", "Brook AP", la_informed_date=None, end_date=ON)
    assert county.raised("P-ENDED") == set()
    assert county.raised("P-FUTURE") == set()
    assert county.raised("P-ENDS") == {("R26", "warning")}


# --- Providers -------------------------------------------------------------------------------


def _substantial(county: County, refs: list[str], provider: str, school: str, **facts) -> None:
    for ref in refs:
        county.placement(ref, provider, school=school, hours_per_week=20.0, **facts)


def test_four_pupils_from_two_partnerships_make_an_unregistered_school_risk_R8(county):
    _substantial(county, ["P-1", "P-2"], "Brook AP", "Ashby School")
    _substantial(county, ["P-3", "P-4"], "Brook AP", "Hinckley School")
    _substantial(county, ["P-5", "P-6"], "Oak AP", "Ashby School")
    _substantial(county, ["P-7"], "Oak AP", "Hinckley School")
    flagged = [f for f in county.flags() if f.rule == "R8"]
    assert [(f.subject, f.severity, f.partnership) for f in flagged] == [
        ("Brook AP", "critical", None)
    ]
    assert "4 pupils" in flagged[0].message


def test_the_r8_threshold_setting_of_five_follows_the_statute_R8(county):
    _substantial(county, ["P-1", "P-2", "P-3", "P-4"], "Brook AP", "Ashby School")
    county.add(Setting(key="r8_threshold", value="5"))
    assert county.raised("Brook AP") == set()
    county.placement("P-5", "Brook AP", hours_per_week=18.0)
    assert county.raised("Brook AP") == {("R8", "critical")}


def test_one_looked_after_pupil_in_substantial_provision_is_enough_R8(county):
    county.pupil("P-LAC", lac_status="own_la")
    county.pupil("P-EHCP-PART", ehcp=True)
    county.placement("P-LAC", "Brook AP", sessions="MonAM TueAM WedAM ThuAM")
    county.placement("P-EHCP-PART", "Oak AP", hours_per_week=17.5)
    assert county.raised("Brook AP") == {("R8", "critical")}
    assert county.raised("Oak AP") == set()


def test_a_registered_school_is_not_an_unregistered_school_risk_R8(county):
    county.provider("Valley School", is_registered_school=True)
    _substantial(county, ["P-1", "P-2", "P-3", "P-4"], "Valley School", "Ashby School")
    assert county.raised("Valley School") == set()


def test_a_dsl_trained_over_two_years_ago_has_lapsed_R10(county):
    county.provider("Lapsed AP", dsl_training_date=date(2023, 11, 11))
    county.provider("Due AP", dsl_training_date=date(2023, 11, 12))
    county.provider("Untrained AP", staff_training_date=None)
    assert county.raised("Lapsed AP") == {("R10", "warning")}
    assert county.raised("Due AP") == set()
    assert county.raised("Untrained AP") == {("R10", "warning")}


# --- Fair Access -----------------------------------------------------------------------------


def test_a_child_not_on_roll_eight_days_after_the_decision_is_followed_up_R13(county):
    allocated = dict(
        accepted_date=date(2025, 11, 3), allocated_school_id=county.ids["Ashby School"]
    )
    for ref, waited, on_roll in (("FA-8", 8, None), ("FA-7", 7, None), ("FA-ONROLL", 20, ON)):
        decided = ON - timedelta(waited)
        county.fair_access(
            ref,
            ("homeless",),
            decision_date=decided,
            school_told_date=decided,
            admissions_told_date=decided,
            on_roll_date=on_roll,
            **allocated,
        )
    assert county.raised("FA-8") == {("R13", "warning")}
    assert county.raised("FA-7") == set()
    assert county.raised("FA-ONROLL") == set()


def test_an_accepted_case_needs_a_fair_access_category_R20(county):
    county.fair_access("FA-NONE", (), accepted_date=date(2025, 11, 10))
    county.fair_access("FA-CAT", ("young_carer",), accepted_date=date(2025, 11, 10))
    county.fair_access(
        "FA-PLACED", ("young_carer",), accepted_date=date(2025, 11, 10), unplaced=False
    )
    assert county.raised("FA-NONE") == {("R20", "critical")}
    assert county.raised("FA-CAT") == set()
    assert county.raised("FA-PLACED") == {("R20", "critical")}


def test_twenty_one_school_days_across_half_term_is_past_the_limit_R21(county):
    # To Wed 12 Nov: 9-10 Oct (2), 13-24 Oct (10), half term (0), 3-12 Nov (8) = 20 days.
    county.fair_access("FA-20", ("homeless",), accepted_date=date(2025, 10, 8))
    county.fair_access("FA-21", ("homeless",), accepted_date=date(2025, 10, 7))
    county.fair_access("FA-14", ("homeless",), accepted_date=date(2025, 10, 21))
    assert county.raised("FA-20") == {("R21", "warning")}
    assert county.raised("FA-21") == {("R21", "critical")}
    assert county.raised("FA-14") == set()


def test_a_refusal_this_academic_year_is_shown_against_the_school_R22(county):
    case_id = county.fair_access("FA-1", ("homeless",))
    county.add(
        FairAccessRefusal(
            case_id=case_id,
            school_id=county.ids["Coalville School"],
            kind="refusal",
            logged_date=date(2025, 10, 1),
        ),
        FairAccessRefusal(
            case_id=case_id,
            school_id=county.ids["Ashby School"],
            kind="delay",
            logged_date=date(2025, 7, 1),  # last academic year
        ),
    )
    assert county.raised("Coalville School") == {("R22", "warning")}
    assert county.raised("Ashby School") == set()


# --- Meetings and decisions ------------------------------------------------------------------


def test_an_allocation_at_a_meeting_a_member_school_was_not_told_of_is_unenforceable_R13a(
    county,
):
    partial = county.meeting("NWL", date(2025, 11, 5), {"Ashby School": date(2025, 10, 20)})
    full = county.meeting("NWL", date(2025, 11, 6), NOTIFIED_ALL)
    for ref in ("FA-PARTIAL", "FA-FULL"):
        county.fair_access(ref, ("homeless",), accepted_date=ON, decision_date=ON)
    county.decide(partial, "FA-PARTIAL", "allocate_fair_access")
    county.decide(full, "FA-FULL", "allocate_fair_access")
    flagged = [f for f in county.flags() if f.subject == "FA-PARTIAL"]
    assert [(f.rule, f.severity) for f in flagged if f.rule == "R13a"] == [("R13a", "critical")]
    assert "Coalville School" in flagged[0].message
    assert ("R13a", "critical") not in county.raised("FA-FULL")


def test_a_coming_meeting_with_a_school_not_notified_is_warned_R13a(county):
    county.meeting("NWL", ON, {"Ashby School": date(2025, 11, 1), "Coalville School": None})
    county.meeting("NWL", ON + timedelta(7), NOTIFIED_ALL)
    county.meeting("NWL", ON - timedelta(1), {})  # already held: nothing left to warn of
    flagged = [f for f in county.flags() if f.rule == "R13a"]
    assert [(f.subject, f.severity) for f in flagged] == [("NWL panel 12 Nov 2025", "warning")]


def test_a_managed_move_without_the_receiving_school_agreeing_is_flagged_R16(county):
    meeting = county.meeting("NWL", date(2025, 11, 5), NOTIFIED_ALL)
    agreed = dict(parents_agree=True, home_school_agrees=True, receiving_school_agrees=True)
    county.pupil("P-MOVE")
    county.pupil("P-AGREED")
    county.decide(
        meeting, "P-MOVE", "agree_managed_move", **(agreed | {"receiving_school_agrees": None})
    )
    county.decide(meeting, "P-AGREED", "agree_managed_move", **agreed)
    assert county.raised("P-MOVE") == {("R16", "critical")}
    assert county.raised("P-AGREED") == set()


# --- Pupils, referrals, schools --------------------------------------------------------------


def test_a_tier_4_pupil_from_the_city_is_referred_to_their_home_la_R4(county):
    county.pupil("P-CITY", home_la="City")
    county.pupil("P-REFERRED", home_la="City")
    county.pupil("P-TIER3", home_la="City")
    county.tier("P-CITY", 4)
    county.tier("P-REFERRED", 4)
    county.tier("P-TIER3", 3)
    meeting = county.meeting("NWL", date(2025, 11, 5), NOTIFIED_ALL)
    county.decide(meeting, "P-REFERRED", "refer_home_la")
    assert county.raised("P-CITY") == {("R4", "warning")}
    assert county.raised("P-REFERRED") == set()
    assert county.raised("P-TIER3") == set()


def test_last_years_top_up_does_not_roll_over_at_tier_4_R15(county):
    county.pupil("P-OLD", top_up_year_start=2024)
    county.pupil("P-NEW", top_up_year_start=2025)
    county.tier("P-OLD", 4)
    county.tier("P-NEW", 4)
    assert county.raised("P-OLD") == {("R15", "warning")}
    assert county.raised("P-NEW") == set()


def test_an_ehcp_pupil_referred_to_the_panel_belongs_at_annual_review_R15(county):
    county.pupil("P-EHCP", ehcp=True)
    county.pupil("P-REVIEW", ehcp=True)
    county.pupil("P-CLOSED", ehcp=True)
    referral = dict(school_id=county.ids["Ashby School"], received_date=date(2025, 10, 1))
    county.add(
        Referral(pupil_id=county.ids["P-EHCP"], route="panel", **referral),
        Referral(pupil_id=county.ids["P-REVIEW"], route="ehcp_annual_review", **referral),
        Referral(pupil_id=county.ids["P-CLOSED"], route="panel", closed_date=ON, **referral),
    )
    assert county.raised("P-EHCP") == {("R15", "warning")}
    assert county.raised("P-REVIEW") == set()
    assert county.raised("P-CLOSED") == set()


def test_a_tier_4_pupil_at_the_inclusion_forum_is_redirected_to_the_panel_R19(county):
    county.pupil("P-T4")
    county.pupil("P-T3")
    county.tier("P-T4", 4)
    county.tier("P-T3", 3)
    referral = dict(
        school_id=county.ids["Ashby School"],
        route="inclusion_forum",
        received_date=date(2025, 10, 1),
    )
    county.add(
        Referral(pupil_id=county.ids["P-T4"], **referral),
        Referral(pupil_id=county.ids["P-T3"], **referral),
    )
    assert county.raised("P-T4") == {("R19", "warning")}
    assert county.raised("P-T3") == set()


def test_a_partnership_sees_the_referral_flags_of_its_own_schools_R15_R19(county):
    county.pupil("P-EHCP", ehcp=True)
    county.pupil("P-T4", school="Hinckley School")
    county.tier("P-T4", 4, school="Hinckley School")
    forum = dict(route="inclusion_forum", received_date=date(2025, 10, 1))
    county.add(
        Referral(pupil_id=county.ids["P-EHCP"], school_id=county.ids["Ashby School"], **forum),
        Referral(pupil_id=county.ids["P-T4"], school_id=county.ids["Hinckley School"], **forum),
    )
    assert county.raised("P-EHCP", "NWL") == {("R15", "warning")}
    assert county.raised("P-T4", "HBN") == {("R19", "warning")}
    assert county.raised("P-EHCP", "HBN") == set()
    assert county.raised("P-T4", "NWL") == set()


def test_off_roll_without_a_reason_is_flagged_R17(county):
    county.pupil("P-GONE", off_roll_date=date(2025, 10, 1))
    county.pupil("P-MOVED", off_roll_date=date(2025, 10, 1), off_roll_reason="enrolled_elsewhere")
    county.pupil("P-LATER", off_roll_date=ON + timedelta(1))
    assert county.raised("P-GONE") == {("R17", "critical")}
    assert county.raised("P-MOVED") == set()
    assert county.raised("P-LATER") == set()


def test_a_child_looked_after_by_another_la_needs_that_la_R18(county):
    county.pupil("P-NOLA", lac_status="other_la")
    county.pupil("P-LA", lac_status="other_la", lac_la="City")
    assert county.raised("P-NOLA") == {("R18", "warning")}
    assert county.raised("P-LA") == set()


def test_a_non_member_school_with_a_tier_4_pupil_pays_full_cost_R3(county):
    county.pupil("P-CASTLE", school="Castle School")
    county.pupil("P-ASHBY")
    county.tier("P-CASTLE", 4, school="Castle School")
    county.tier("P-ASHBY", 4)
    assert county.raised("Castle School") == {("R3", "advisory")}
    assert county.raised("Ashby School") == set()


# --- Exclusions ------------------------------------------------------------------------------


def _suspend(county: County, case_ref: str, *days: int) -> None:
    schools = ("Ashby School", "Hinckley School")
    county.add(
        *(
            Exclusion(
                pupil_id=county.ids[case_ref],
                school_id=county.ids[schools[i % 2]],
                kind="suspension",
                start_date=date(2025, 9, 10) + timedelta(days=i),
                school_days=n,
            )
            for i, n in enumerate(days)
        )
    )


def test_suspension_days_are_totalled_across_schools_against_45_R25(county):
    for ref in ("P-46", "P-45", "P-39"):
        county.pupil(ref)
    _suspend(county, "P-46", 20, 26)
    _suspend(county, "P-45", 20, 25)
    _suspend(county, "P-39", 20, 19)
    county.pupil("P-LASTYEAR")
    county.add(
        Exclusion(
            pupil_id=county.ids["P-LASTYEAR"],
            school_id=county.ids["Ashby School"],
            kind="suspension",
            start_date=date(2025, 6, 1),
            school_days=45,
        )
    )
    _suspend(county, "P-LASTYEAR", 5)
    assert county.raised("P-46") == {("R25", "critical")}
    assert county.raised("P-45") == {("R25", "warning")}
    assert county.raised("P-39") == set()
    assert county.raised("P-LASTYEAR") == set()


def test_a_permanent_exclusion_without_governors_review_after_15_school_days_R25(county):
    # To Wed 12 Nov: 15-24 Oct (8), half term (0), 3-12 Nov (8): 16 days after 14 Oct.
    for ref, start in (("P-16", date(2025, 10, 14)), ("P-15", date(2025, 10, 15))):
        county.pupil(ref, school=None)
        county.add(
            Exclusion(
                pupil_id=county.ids[ref],
                school_id=county.ids["Hinckley School"],
                kind="permanent",
                start_date=start,
            )
        )
    assert county.raised("P-16") == {("R25", "warning")}
    assert county.raised("P-15") == set()
    assert [f.partnership for f in county.flags() if f.subject == "P-16"] == ["HBN"]


# --- The whole list ------------------------------------------------------------------------


def test_a_partnership_sees_its_own_flags_and_the_providers_its_schools_use(county):
    county.placement("P-NWL", "Brook AP", la_informed_date=None)
    county.placement("P-HBN", "Oak AP", school="Hinckley School", la_informed_date=None)
    county.provider("Idle AP", staff_training_date=None)
    _substantial(county, ["P-1", "P-2"], "Brook AP", "Ashby School")
    _substantial(county, ["P-3", "P-4"], "Brook AP", "Hinckley School")
    county.provider("Lapsed AP", staff_training_date=None, dsl_training_date=None)
    county.placement("P-LAPSED", "Lapsed AP", school="Hinckley School")

    nwl = county.flags("NWL")
    assert {f.subject for f in nwl} == {"P-NWL", "Brook AP"}
    assert {f.partnership for f in nwl} == {"NWL", None}
    hbn = {f.subject for f in county.flags("HBN")}
    assert hbn == {"P-HBN", "Brook AP", "Lapsed AP"}
    everyone = {f.subject for f in county.flags()}
    assert everyone == {"P-NWL", "P-HBN", "Brook AP", "Lapsed AP", "Idle AP"}


def test_flags_come_most_severe_first_and_are_counted_by_rule(county):
    county.placement("P-A", "Brook AP", next_review_date=ON - timedelta(1))  # R11 warning
    county.placement("P-B", "Brook AP", sessions="MonAM TueAM WedAM ThuAM")  # R7 advisory
    county.pupil("P-C", off_roll_date=date(2025, 10, 1))  # R17 critical
    county.provider("Untrained AP", staff_training_date=None)  # R10 warning
    found = county.flags()
    assert [(f.severity, f.rule, f.subject) for f in found] == [
        ("critical", "R17", "P-C"),
        ("warning", "R10", "Untrained AP"),
        ("warning", "R11", "P-A"),
        ("advisory", "R7", "P-B"),
    ]
    assert list(flag_counts(found).items()) == [("R7", 1), ("R10", 1), ("R11", 1), ("R17", 1)]


@pytest.mark.parametrize(
    "sessions",
    ["MonAM", "MonAM MonPM", "MonPM TueAM WedPM ThuAM", "FriPM ThuPM", " ".join(SESSIONS), ""],
)
def test_the_database_counts_days_a_week_as_the_rules_do_R7(county, sessions):
    county.placement("P-1", "Brook AP", sessions=sessions)
    with read_session(county.engine) as session:
        counted = session.scalar(select(days_a_week_column()).select_from(Placement))
    assert counted == days_a_week(sessions)
