"""What the pages should show, counted straight from the store in plain SQL.

Written apart from ``seips_core.queries`` on purpose: a page test compares the page with
these, so a mistake in a query module cannot hide behind itself.
"""

from datetime import date

from sqlalchemy import create_engine, text

IN_PARTNERSHIP = (
    "(:code IS NULL OR s.partnership_id = (SELECT id FROM partnership WHERE code = :code))"
)

HOME = {
    "Open referrals": f"""
        SELECT COUNT(*) FROM referral r JOIN school s ON s.id = r.school_id
        WHERE r.received_date <= :on AND (r.closed_date IS NULL OR r.closed_date > :on)
          AND {IN_PARTNERSHIP}""",
    "Pupils at Tier 4": f"""
        SELECT COUNT(DISTINCT t.pupil_id) FROM tierchange t JOIN school s ON s.id = t.school_id
        WHERE t.tier = 4 AND t.from_date <= :on AND (t.to_date IS NULL OR t.to_date > :on)
          AND {IN_PARTNERSHIP}""",
    "Fair Access waiting": """
        SELECT COUNT(*) FROM fairaccesscase f JOIN partnership p ON p.id = f.partnership_id
        WHERE f.accepted_date <= :on AND f.allocated_school_id IS NULL
          AND (:code IS NULL OR p.code = :code)""",
    "Placements running": f"""
        SELECT COUNT(*) FROM placement a JOIN school s ON s.id = a.school_id
        WHERE a.start_date <= :on AND (a.end_date IS NULL OR a.end_date >= :on)
          AND {IN_PARTNERSHIP}""",
}

SCHOOLS = f"SELECT s.id, s.name, s.number_on_roll, s.is_member FROM school s WHERE {IN_PARTNERSHIP}"
TIERS = """
    SELECT school_id, tier, COUNT(DISTINCT pupil_id) FROM tierchange
    WHERE from_date <= :on AND (to_date IS NULL OR to_date > :on) GROUP BY school_id, tier"""
OPEN_REFERRALS = """
    SELECT school_id, COUNT(*) FROM referral
    WHERE received_date <= :on AND (closed_date IS NULL OR closed_date > :on) GROUP BY school_id"""


def _rows(url: str, sql: str, **params: object) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def home_counts(url: str, on: date, code: str | None) -> dict[str, int]:
    """The home page's four figures, by their labels."""
    return {label: _rows(url, sql, on=on, code=code)[0][0] for label, sql in HOME.items()}


def school_counts(url: str, on: date, code: str | None) -> dict[str, dict[str, object]]:
    """Per school name: on roll, member, pupils at each tier, open referrals."""
    tiers = {(school, tier): pupils for school, tier, pupils in _rows(url, TIERS, on=on)}
    referrals = dict(_rows(url, OPEN_REFERRALS, on=on))
    return {
        name: {
            "Member": "Yes" if member else "No",
            "On roll": roll,
            **{f"Tier {tier}": tiers.get((school, tier), 0) for tier in (1, 2, 3, 4)},
            "Open referrals": referrals.get(school, 0),
        }
        for school, name, roll, member in _rows(url, SCHOOLS, code=code)
    }


def partnership_codes(url: str) -> list[str]:
    return [code for (code,) in _rows(url, "SELECT code FROM partnership ORDER BY code")]


def partnership_names(url: str) -> dict[str, str]:
    """Each partnership's name by code."""
    return dict(_rows(url, "SELECT code, name FROM partnership"))


def pupil_names(url: str) -> dict[str, str]:
    """Each pupil's "First Last" by case reference."""
    return {
        case_ref: f"{first} {last}"
        for case_ref, first, last in _rows(url, "SELECT case_ref, first_name, last_name FROM pupil")
    }


def dates_of_birth(url: str) -> set[str]:
    """Every pupil's date of birth as a page or a file might write it: 2013-06-21,
    21/06/2013, 21-06-2013, 21 June 2013, 21 Jun 2013."""
    written = set()
    for (stored,) in _rows(url, "SELECT date_of_birth FROM pupil"):
        born = date.fromisoformat(str(stored))
        written |= {
            born.isoformat(),
            f"{born:%d/%m/%Y}",
            f"{born:%d-%m-%Y}",
            f"{born.day} {born:%B %Y}",
            f"{born.day} {born:%b %Y}",
        }
    return written


def full_names(url: str) -> list[str]:
    """Every pupil's "First Last" and "Last, First": neither may appear on a page."""
    names = _rows(url, "SELECT first_name, last_name FROM pupil")
    return [f"{first} {last}" for first, last in names] + [
        f"{last}, {first}" for first, last in names
    ]
