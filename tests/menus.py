"""The sidebar menu each role should get, page titles in order: what the page tests and the
browser tests both check the dashboard against (written out here, not read from the code)."""

from seips_core.auth.roles import Role

OVERVIEW = [
    "Home", "School profile", "Tier counts", "Trends", "Fairness between schools", "AP providers",
]  # fmt: skip
MEETING_PAGES = ["Meetings", "Projector view"]
CO_ORDINATORS = [
    "Agenda builder", "Record decisions", "Needs attention", "Fair Access cases", "AP placements",
]  # fmt: skip
EVERYONE = [*OVERVIEW, *MEETING_PAGES]
MENU = {
    Role.VIEWER: EVERYONE,
    Role.COORDINATOR: [*EVERYONE, *CO_ORDINATORS],
    Role.CHAIR: [*EVERYONE, *CO_ORDINATORS, "Charges", "Audit trail"],
    Role.COUNTY_ADMIN: [
        *EVERYONE,
        *CO_ORDINATORS,
        "Charges",
        "Audit trail",
        "Users",
        "Subject access",
        "Retention",
    ],
}
