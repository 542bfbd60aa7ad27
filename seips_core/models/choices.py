"""The closed vocabularies of the domain, each with the rule that defines it.

Stored as plain strings (portable between SQLite and PostgreSQL, readable in exports) and
guarded by CHECK constraints built from these tuples.
"""

from sqlalchemy import CheckConstraint

TIERS = (1, 2, 3, 4)  # R5
#: R5: the City's scale beside the county tiers.
PSP_LABEL_FOR_TIER = {2: "PSP1", 3: "PSP2a", 4: "PSP3"}

LAC_STATUSES = ("none", "own_la", "other_la")  # R18
OFF_ROLL_REASONS = ("enrolled_elsewhere", "missing")  # R17

REFERRAL_ROUTES = (  # R19, R15, R16, R13
    "inclusion_forum",
    "panel",
    "fair_access",
    "managed_move",
    "ehcp_annual_review",
)

#: R20: the Fair Access categories, with the words shown on screen.
FAIR_ACCESS_CATEGORIES = {
    "child_in_need": "Child in Need / Child Protection plan now or in the last 12 months",
    "refuge": "Living in a refuge",
    "criminal_justice": "From the criminal justice system",
    "ap_reintegration": (
        "In AP needing reintegration, or permanently excluded but suitable for mainstream"
    ),
    "sen_no_ehcp": "SEN without an EHCP, disability or medical condition",
    "young_carer": "Young carer",
    "homeless": "Homeless",
    "kinship_care": "Formal kinship care",
    "grt_refugee": "Gypsy, Roma, Traveller, refugee or asylum seeker",
    "refused_behaviour": "Refused a place for challenging behaviour",
    "exceptional_circumstances": "No place sought through exceptional circumstances",
    "out_of_education": "Out of education 4+ weeks with no place within reasonable distance",
    "previously_looked_after": "Previously looked after and no place found promptly",
}
REFUSAL_KINDS = ("refusal", "delay")  # R22

EXCLUSION_KINDS = ("suspension", "permanent")  # R25

#: How a pupil's name reached a reader (``RecordView.kind``): on screen with names shown, or in a
#: download that carries names.
VIEW_KINDS = ("names shown", "download")

MEETING_KINDS = ("panel", "inclusion_forum")  # R19
MEETING_STATUSES = ("planned", "open", "closed")
AGENDA_PURPOSES = ("referral", "fair_access", "ap_review", "tier4_review")
#: What a meeting's walls show of the presented item: the case, or its history (issue 12).
WALL_PANELS = ("item", "history")

DECISION_OUTCOMES = {
    "allocate_fair_access": "Allocate a school under Fair Access",  # R13
    "programme_manage_tier4": "Programme manage at Tier 4",  # R5
    "agree_ap_placement": "Agree an AP placement",  # R7-R9
    "agree_managed_move": "Agree a managed move",  # R16
    "advise_inclusion_forum": "Advise / refer to Inclusion Forum",  # R19
    "refer_home_la": "Refer to the home LA",  # R4
    "route_ehcp_annual_review": "Route to EHCP annual review",  # R15
    "defer": "Defer",
    "decline": "Decline",
}

PLACEMENT_KINDS = ("ap", "work_experience")  # R12
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
SESSIONS = tuple(f"{day}{half}" for day in WEEKDAYS for half in ("AM", "PM"))

#: R14, R15: the kinds of money held as data, keyed by financial year.
RATE_KINDS = {
    "average_pupil_cost": "Average Pupil Cost (APC), per pupil per year",
    "pupil_premium": "Pupil premium, per eligible pupil per year",
    "send_school_threshold": "SEND: what a school meets first, per pupil per year",
    "specialist_placement": "Partnership as specialist placement, per pupil per year",
}

AUDIT_ACTIONS = ("insert", "update", "delete")


def one_of(column: str, values: tuple | dict, name: str) -> CheckConstraint:
    """A CHECK constraint keeping ``column`` inside a vocabulary above."""
    quoted = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)
