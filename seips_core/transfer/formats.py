"""The import and export formats: one spec per file, in the co-ordinator's words.

Each ``FileFormat`` names its columns (kind of cell, required or not, the default of a blank
cell, the model attribute it fills, the file it points into), its key (unique within the file
and against the store) and the checks that span columns. ``FORMATS`` lists them in the order
rows are inserted, so a file only points into files before it. The documentation
(`docs/import.md`), the validation and the export all read these specs: a column is
described once, here.

Rows with a natural key (partnership code, school URN, case reference, provider name) are
pointed at by it; the others carry a ``ref``, unique in the file, that other files use within
the same import. Export writes refs as ``<kind>-<id>`` (``meeting-12``), and such a ref also
points at a row already in the store.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, select
from sqlmodel import SQLModel

from ..derived import psp_label_sql
from ..models import (
    Action,
    AgendaItem,
    Decision,
    Exclusion,
    FairAccessCase,
    FairAccessCategory,
    FairAccessRefusal,
    FundingRate,
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
from ..models.choices import (
    AGENDA_PURPOSES,
    DECISION_OUTCOMES,
    EXCLUSION_KINDS,
    FAIR_ACCESS_CATEGORIES,
    LAC_STATUSES,
    MEETING_KINDS,
    MEETING_STATUSES,
    OFF_ROLL_REASONS,
    PLACEMENT_KINDS,
    PSP_LABEL_FOR_TIER,
    RATE_KINDS,
    REFERRAL_ROUTES,
    REFUSAL_KINDS,
    SESSIONS,
    TIERS,
)
from ..store_kind import DEMO_MODE
from .cells import (
    Cell,
    Day,
    ManyOf,
    Moment,
    Money,
    Number,
    OneOf,
    Sessions,
    Text,
    WholeNumber,
    Year,
    YesNo,
)

#: A check across the columns of one row: given the parsed values (only those that parsed),
#: the column to blame and what is wrong, or None.
RowCheck = Callable[[Mapping[str, object]], tuple[str, str] | None]


@dataclass(frozen=True)
class Computed:
    """A fact the store computes from other facts (R5, R13a, ``derived``), never from a cell.

    Export writes the computed value. On import a blank cell leaves it to the store, and a
    filled cell is only checked against it: one that contradicts it refuses the import, naming
    the file, row, column and rule (``transfer.computed``), since the facts it follows from are
    then likely wrong or missing.
    """

    #: (row id, computed value) of every stored row of the file.
    values: Callable[[], Select]
    #: What the value follows from, in the co-ordinator's words.
    source: str


@dataclass(frozen=True)
class Column:
    """One column of a file, as the co-ordinator fills it."""

    name: str
    cell: Cell
    help: str
    required: bool = False
    #: The value of a blank cell (or a column left out) when not required.
    default: object = None
    #: The model attribute it fills; None for ``ref`` and child lists, which are not stored.
    attribute: str | None = None
    #: The name of the file whose key this column holds (a reference).
    refers_to: str | None = None
    #: The rule a wrong value breaks, named at the start of its problem message.
    rule: str | None = None
    #: For a fact the store computes: how (the column is then never stored from its cell).
    computed: Computed | None = None


@dataclass(frozen=True)
class ChildRows:
    """A ``;``-separated column stored as rows of another table (a Fair Access case's R20
    categories)."""

    column: str
    model: type[SQLModel]
    parent_attribute: str
    value_attribute: str


@dataclass(frozen=True)
class Unique:
    """Columns whose values the store holds once together (a unique index beyond the key),
    so a duplicate is refused by file, row and column before the database refuses it."""

    columns: tuple[str, ...]
    #: How a problem names the combination: "meeting and referral".
    noun: str
    #: The column a problem names (the one a co-ordinator would change).
    blame: str
    #: Only rows with these columns blank are covered (a partial index).
    when_blank: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileFormat:
    """One file (CSV) or sheet (Excel) of the import, and the table it fills."""

    name: str
    model: type[SQLModel]
    help: str
    columns: tuple[Column, ...]
    #: The columns the store holds once (a unique constraint, or the ``ref``); none for files
    #: whose rows are only ever added (exclusions, tier history…).
    key: tuple[str, ...] = ()
    #: How a problem names the key: "school URN 999999", "meeting ref mtg-9".
    key_noun: str = ""
    #: For files keyed by ``ref``: the kind export writes, as in ``meeting-12``.
    ref_prefix: str | None = None
    checks: tuple[RowCheck, ...] = ()
    child: ChildRows | None = None
    #: Which of the table's rows are this file's (None: all): the store's record of its own
    #: kind is no data to export (and a check refuses it on import).
    holds: ColumnElement[bool] | None = None
    #: Combinations of columns held once besides the key (``models.meetings``' indexes).
    unique: tuple[Unique, ...] = ()

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @property
    def key_cell(self) -> Cell:
        """The kind of cell of a one-column key, which a reference to this file holds too."""
        (name,) = self.key
        return self.column(name).cell

    def max_length(self, column: Column) -> int | None:
        """The stored text column's length limit (PostgreSQL enforces it), if any."""
        if column.attribute is None:
            return None
        return getattr(self.model.__table__.c[column.attribute].type, "length", None)

    def stored_ref(self, row_id: int) -> str:
        """The ref export writes for a stored row of a ref-keyed file."""
        return f"{self.ref_prefix}-{row_id}"


def stored(
    name: str,
    cell: Cell,
    help: str,
    *,
    required: bool = False,
    default: object = None,
    rule: str | None = None,
) -> Column:
    """A column stored in the model attribute of the same name."""
    return Column(name, cell, help, required, default, attribute=name, rule=rule)


def pointer(
    name: str,
    target: FileFormat,
    attribute: str,
    help: str,
    *,
    required: bool = False,
    rule: str | None = None,
) -> Column:
    """A column holding the key of a row of ``target`` (in this import or in the store)."""
    return Column(
        name, target.key_cell, help, required, attribute=attribute, refers_to=target.name, rule=rule
    )


def computed(name: str, cell: Cell, help: str, how: Computed, *, rule: str) -> Column:
    """A column whose fact the store computes (``Computed``): checked on import, not stored."""
    return Column(
        name,
        cell,
        f"{help} The store computes it from {how.source}: leave it blank, or the import checks "
        "the cell against it.",
        rule=rule,
        computed=how,
    )


def ref_column(what: str, example: str) -> Column:
    """The ``ref`` of a file without a natural key, unique in its file."""
    return Column(
        "ref",
        Text(),
        f"Your label for this {what}, unique in the file (such as `{example}`); "
        "other files of the import use it to point at this row.",
        required=True,
    )


def one_of(words: tuple | dict) -> OneOf:
    """A vocabulary cell from ``choices``: a dict's keys are the words, its values what they
    mean."""
    return OneOf(tuple(words), tuple(words.values()) if isinstance(words, dict) else ())


def ends_after(end: str, start: str, *, strictly: bool) -> RowCheck:
    """A check that the date in ``end`` is after (or, not ``strictly``, on) ``start``."""
    word = "after" if strictly else "on or after"

    def check(values: Mapping[str, object]) -> tuple[str, str] | None:
        last, first = values.get(end), values.get(start)
        if not (isinstance(last, date) and isinstance(first, date)):
            return None
        if last < first or (strictly and last == first):
            return end, f"must be {word} {start} ({first.isoformat()})"
        return None

    return check


def psp_label_matches_tier(values: Mapping[str, object]) -> tuple[str, str] | None:
    """R5: the City's label names one tier (PSP1 = Tier 2, PSP2a = Tier 3, PSP3 = Tier 4)."""
    label, tier = values.get("psp_label"), values.get("tier")
    if label is None or tier is None or PSP_LABEL_FOR_TIER.get(tier) == label:
        return None
    right = next((t for t, name in PSP_LABEL_FOR_TIER.items() if name == label), None)
    return "psp_label", f"R5: {label} is the City's label for Tier {right}, not Tier {tier}"


def days_for_suspensions_only(values: Mapping[str, object]) -> tuple[str, str] | None:
    """R25: a suspension counts its school days; a permanent exclusion has none."""
    kind, days = values.get("kind"), values.get("school_days")
    if kind == "suspension" and days is None:
        return "school_days", "R25: a suspension needs its number of school days"
    if kind == "permanent" and days is not None:
        return "school_days", "R25: leave blank for a permanent exclusion (it has no length)"
    return None


def not_the_store_kind(values: Mapping[str, object]) -> tuple[str, str] | None:
    """The store's kind (demo or real) is set when the store is made, never imported."""
    if values.get("key") != DEMO_MODE:
        return None
    return "key", f"{DEMO_MODE} says whether the store is a demo or a real one: it is not imported"


PARTNERSHIPS = FileFormat(
    "partnerships",
    Partnership,
    "One row per local partnership (R1).",
    (
        stored("code", Text(), "A short code for the partnership, such as `NW`.", required=True),
        stored("name", Text(), "Its full name.", required=True),
        stored(
            "quorum_schools",
            WholeNumber(1),
            "How many member schools must be present for its panel to decide, as its terms of "
            "reference say; blank for a majority of its member schools.",
        ),
    ),
    key=("code",),
    key_noun="partnership code",
)

SCHOOLS = FileFormat(
    "schools",
    School,
    "One row per secondary school; every school belongs to exactly one partnership (R1).",
    (
        stored(
            "urn",
            WholeNumber(1),
            "The school's Unique Reference Number (6 digits, as on Get Information about Schools).",
            required=True,
        ),
        stored("name", Text(), "The school's name.", required=True),
        pointer(
            "partnership_code",
            PARTNERSHIPS,
            "partnership_id",
            "The code of its partnership.",
            required=True,
        ),
        Column(
            "member",
            YesNo(),
            "R3: no if the school withdrew from the partnership or had its membership revoked "
            "(full cost recovery applies, R14).",
            default=True,
            attribute="is_member",
        ),
        stored(
            "number_on_roll", WholeNumber(0), "Pupils on roll (the census figure).", required=True
        ),
        stored("local_authority", Text(), "The school's local authority.", required=True),
        stored(
            "establishment_type",
            Text(),
            "Its type of establishment as Get Information about Schools names it (such as "
            "`Academy converter`); `seips gias` fills it. May be left out.",
        ),
        stored(
            "trust",
            Text(),
            "The academy trust it belongs to, as Get Information about Schools names it; blank "
            "for a maintained school. `seips gias` fills it. May be left out.",
        ),
    ),
    key=("urn",),
    key_noun="school URN",
)

PUPILS = FileFormat(
    "pupils",
    Pupil,
    "One row per child known to a partnership. The wall shows the case reference and "
    "initials only.",
    (
        stored(
            "case_ref",
            Text(),
            "The partnership's case reference for the child, unique across the county.",
            required=True,
        ),
        stored("first_name", Text(), "Legal first name.", required=True),
        stored("last_name", Text(), "Legal last name.", required=True),
        stored("date_of_birth", Day(), "Date of birth.", required=True),
        stored("year_group", WholeNumber(7, 13), "National Curriculum year.", required=True),
        pointer(
            "school_urn",
            SCHOOLS,
            "school_id",
            "R2: the URN of the school the child is on roll at (for a permanently excluded "
            "child, the excluding school). Blank if on no school's roll.",
            rule="R2",
        ),
        stored(
            "home_la",
            Text(),
            "R4: the local authority of the child's home address (the county's own name, or "
            "another LA such as the City).",
            required=True,
        ),
        stored(
            "lac_status",
            one_of(LAC_STATUSES),
            "R18: `none`; `own_la` for the county's own looked-after child; `other_la` for one "
            "placed by another LA.",
            default="none",
            rule="R18",
        ),
        stored(
            "lac_la",
            Text(),
            "R18: for `other_la`, the placing local authority.",
        ),
        stored("ehcp", YesNo(), "Has an EHC plan.", default=False),
        stored("sen_support", YesNo(), "On SEN support.", default=False),
        stored("pupil_premium", YesNo(), "Eligible for pupil premium.", default=False),
        stored(
            "top_up_amount",
            Money(),
            "R15: top-up funding (no EHCP) for the year below, if any.",
            rule="R15",
        ),
        stored(
            "top_up_year_start",
            Year(),
            "R15: the academic year the top-up is for; it does not roll over.",
            rule="R15",
        ),
        stored("off_roll_date", Day(), "R17: the day the child came off roll, if they did."),
        stored(
            "off_roll_reason",
            one_of(OFF_ROLL_REASONS),
            "R17: why: `enrolled_elsewhere` or `missing` (the only lawful reasons). Leave it "
            "blank for a child who left the roll for any other reason: the history imports, "
            "flagged as critical.",
            rule="R17",
        ),
        stored(
            "anonymised_on",
            Day(),
            "The day the retention schedule anonymised the child's file (names and free text "
            "removed, the date of birth cut to 1 September of its school year: see "
            "[retention](operations.md#retention-of-pupils-records)). Blank for a file still kept.",
        ),
    ),
    key=("case_ref",),
    key_noun="case reference",
)

TIER_HISTORY = FileFormat(
    "tier_history",
    TierChange,
    "R6: one row per period a child spent at one tier; counts at a date come from these.",
    (
        pointer("case_ref", PUPILS, "pupil_id", "The child's case reference.", required=True),
        pointer(
            "school_urn",
            SCHOOLS,
            "school_id",
            "R2: the URN of the school responsible during the period.",
            required=True,
        ),
        stored(
            "tier",
            WholeNumber(min(TIERS), max(TIERS)),
            "R5: the tier.",
            required=True,
            rule="R5",
        ),
        stored("from_date", Day(), "The first day at this tier.", required=True),
        stored(
            "to_date",
            Day(),
            "The day the next tier started; blank while this one lasts.",
        ),
        computed(
            "psp_label",
            one_of(tuple(PSP_LABEL_FOR_TIER.values())),
            "R5: for a City-address child, the City's label for the tier (PSP1 = Tier 2, "
            "PSP2a = Tier 3, PSP3 = Tier 4).",
            Computed(
                lambda: select(TierChange.id, psp_label_sql(TierChange.tier, Pupil.home_la)).join(
                    Pupil, Pupil.id == TierChange.pupil_id
                ),
                "the tier and the child's home LA (blank unless the City's)",
            ),
            rule="R5",
        ),
    ),
    checks=(ends_after("to_date", "from_date", strictly=True), psp_label_matches_tier),
)

REFERRALS = FileFormat(
    "referrals",
    Referral,
    "One row per request for partnership support (R19).",
    (
        ref_column("referral", "ref-1"),
        pointer("case_ref", PUPILS, "pupil_id", "The child's case reference.", required=True),
        pointer("school_urn", SCHOOLS, "school_id", "The referring school's URN.", required=True),
        stored(
            "route",
            one_of(REFERRAL_ROUTES),
            "R19: where the referral goes (Tier 4 and permanent exclusion risk go to the panel; "
            "EHCP children to their annual review, R15).",
            required=True,
            rule="R19",
        ),
        stored("received_date", Day(), "The day it was received.", required=True),
        stored("summary", Text(), "A short summary, without names.", default=""),
        stored("closed_date", Day(), "The day it was closed; blank while open."),
    ),
    key=("ref",),
    key_noun="referral ref",
    ref_prefix="referral",
)

FAIR_ACCESS_CASES = FileFormat(
    "fair_access_cases",
    FairAccessCase,
    "One row per child referred by School Admissions under the Fair Access Protocol (R13, "
    "R20, R21).",
    (
        ref_column("case", "fa-1"),
        pointer("case_ref", PUPILS, "pupil_id", "The child's case reference.", required=True),
        pointer(
            "partnership_code",
            PARTNERSHIPS,
            "partnership_id",
            "The partnership handling the case.",
            required=True,
        ),
        stored("year_group", WholeNumber(7, 13), "The year group applied for.", required=True),
        stored("referred_date", Day(), "The day Admissions referred the child.", required=True),
        stored(
            "unplaced",
            YesNo(),
            "R20: no reasonable offer and an in-year application tried.",
            default=True,
            rule="R20",
        ),
        Column(
            "categories",
            ManyOf(one_of(FAIR_ACCESS_CATEGORIES)),
            "R20: the Fair Access categories that apply.",
            default=(),
            rule="R20",
        ),
        stored(
            "eligibility_checked_date",
            Day(),
            "R13: the day the co-ordinator checked the criteria.",
        ),
        stored(
            "accepted_date",
            Day(),
            "R21: the day the case was accepted; the 20-school-day clock starts here.",
        ),
        pointer(
            "allocated_school_urn",
            SCHOOLS,
            "allocated_school_id",
            "R13: the URN of the school allocated, once decided.",
        ),
        stored("decision_date", Day(), "R13: the day the panel decided."),
        stored("school_told_date", Day(), "R13: the day the allocated school was told."),
        stored("admissions_told_date", Day(), "R13: the day Admissions was told."),
        stored("on_roll_date", Day(), "R13: the day the child went on roll."),
    ),
    key=("ref",),
    key_noun="Fair Access case ref",
    ref_prefix="fair-access-case",
    child=ChildRows("categories", FairAccessCategory, "case_id", "category"),
)

FAIR_ACCESS_REFUSALS = FileFormat(
    "fair_access_refusals",
    FairAccessRefusal,
    "R22: one row per school's refusal or delay in admitting a Fair Access child.",
    (
        pointer(
            "fair_access_case",
            FAIR_ACCESS_CASES,
            "case_id",
            "The ref of the Fair Access case.",
            required=True,
        ),
        pointer("school_urn", SCHOOLS, "school_id", "The school's URN.", required=True),
        stored(
            "kind", one_of(REFUSAL_KINDS), "R22: `refusal` or `delay`.", required=True, rule="R22"
        ),
        stored("logged_date", Day(), "The day it was logged.", required=True),
        stored("note", Text(), "What happened, without names.", default=""),
    ),
)

EXCLUSIONS = FileFormat(
    "exclusions",
    Exclusion,
    "R25: one row per suspension or permanent exclusion.",
    (
        pointer("case_ref", PUPILS, "pupil_id", "The child's case reference.", required=True),
        pointer("school_urn", SCHOOLS, "school_id", "The excluding school's URN.", required=True),
        stored(
            "kind",
            one_of(EXCLUSION_KINDS),
            "`suspension` or `permanent`.",
            required=True,
            rule="R25",
        ),
        stored("start_date", Day(), "The first day.", required=True),
        stored(
            "school_days",
            WholeNumber(1),
            "R25: a suspension's length in school days; blank for a permanent exclusion.",
            rule="R25",
        ),
        stored(
            "governors_review_date",
            Day(),
            "R25: the day governors considered a permanent exclusion (due within 15 school days).",
        ),
    ),
    checks=(days_for_suspensions_only,),
)

PROVIDERS = FileFormat(
    "providers",
    Provider,
    "One row per Alternative Provision or work-experience provider, shared by all "
    "partnerships (R8).",
    (
        stored("name", Text(), "The provider's name, unique in the county.", required=True),
        Column(
            "registered_school",
            YesNo(),
            "R8: yes if the provider is a registered school.",
            default=False,
            attribute="is_registered_school",
        ),
        stored(
            "staff_training_date",
            Day(),
            "R10: the latest safeguarding training of its staff; blank if no record.",
        ),
        stored("dsl_name", Text(), "R10: its Designated Safeguarding Lead."),
        stored(
            "dsl_training_date",
            Day(),
            "R10: the DSL's latest training with the county trainers.",
        ),
        stored(
            "lebc_check_date",
            Day(),
            "R12: the day it passed the LEBC check (needed for work experience).",
        ),
    ),
    key=("name",),
    key_noun="provider",
)

SAFEGUARDING_CONFIRMATIONS = FileFormat(
    "safeguarding_confirmations",
    SafeguardingConfirmation,
    "R27: one row per school holding a provider's written confirmation of its staff checks.",
    (
        pointer(
            "school_urn", SCHOOLS, "school_id", "The commissioning school's URN.", required=True
        ),
        pointer("provider", PROVIDERS, "provider_id", "The provider's name.", required=True),
        stored("received_date", Day(), "The day the school received it.", required=True),
    ),
    key=("school_urn", "provider"),
    key_noun="confirmation (school_urn, provider)",
)

PLACEMENTS = FileFormat(
    "placements",
    Placement,
    "One row per AP or work-experience placement (R7-R12, R26-R28).",
    (
        ref_column("placement", "pl-1"),
        pointer("case_ref", PUPILS, "pupil_id", "The child's case reference.", required=True),
        pointer("provider", PROVIDERS, "provider_id", "The provider's name.", required=True),
        pointer(
            "school_urn",
            SCHOOLS,
            "school_id",
            "The commissioning school's URN; the child stays on its roll (R17, R26).",
            required=True,
        ),
        stored(
            "kind",
            one_of(PLACEMENT_KINDS),
            "R12: `ap`, or `work_experience` (which needs the LEBC check).",
            default="ap",
        ),
        stored(
            "sessions",
            Sessions(SESSIONS),
            "R7: the half-days a week at the provider.",
            required=True,
            rule="R7",
        ),
        stored(
            "hours_per_week",
            Number(0, 40),
            "R8: hours a week at the provider (18 or more counts as full-time).",
            required=True,
            rule="R8",
        ),
        stored("start_date", Day(), "The first day.", required=True),
        stored("planned_end_date", Day(), "R9, R26: the planned end in the written plan."),
        stored(
            "max_duration_weeks",
            WholeNumber(1),
            "R26: the plan's maximum duration in weeks.",
            rule="R26",
        ),
        stored("plan_agreed_date", Day(), "R9: the day the written plan was agreed."),
        stored("last_review_date", Day(), "R11: the last review."),
        stored("next_review_date", Day(), "R11, R26: the next review (at least half-termly)."),
        stored("la_informed_date", Day(), "R26: the day the LA was informed."),
        stored("end_date", Day(), "The day it actually ended; blank while it runs."),
        stored(
            "r8_confirmation",
            Text(),
            "R8: why the placement was saved although it took its provider to the "
            "illegal-school threshold; blank if it did not.",
            rule="R8",
        ),
    ),
    key=("ref",),
    key_noun="placement ref",
    ref_prefix="placement",
    checks=(ends_after("end_date", "start_date", strictly=False),),
)

MEETINGS = FileFormat(
    "meetings",
    Meeting,
    "One row per panel or Inclusion Forum meeting (R19).",
    (
        ref_column("meeting", "mtg-nov"),
        pointer(
            "partnership_code",
            PARTNERSHIPS,
            "partnership_id",
            "The partnership meeting.",
            required=True,
        ),
        stored(
            "kind",
            one_of(MEETING_KINDS),
            "R19: `panel` or `inclusion_forum`.",
            default="panel",
            rule="R19",
        ),
        stored("meeting_date", Day(), "The day of the meeting.", required=True),
        stored(
            "status",
            one_of(MEETING_STATUSES),
            "Where the meeting is up to.",
            default="planned",
        ),
        stored("signed_off_by", Text(), "Who signed the minutes off; blank until then."),
        stored("signed_off_at", Moment(), "When the minutes were signed off."),
    ),
    key=("ref",),
    key_noun="meeting ref",
    ref_prefix="meeting",
)

INVITATIONS = FileFormat(
    "invitations",
    MeetingInvitation,
    "R13a: one row per school invited to a meeting: every school of the partnership must be "
    "notified for a Fair Access allocation to be enforceable.",
    (
        pointer("meeting", MEETINGS, "meeting_id", "The meeting's ref.", required=True),
        pointer("school_urn", SCHOOLS, "school_id", "The invited school's URN.", required=True),
        stored(
            "notified_date",
            Day(),
            "R13a: the day the school was notified; blank if it was not.",
        ),
        stored("attended", YesNo(), "Whether the school attended; blank if not yet known."),
    ),
    key=("meeting", "school_urn"),
    key_noun="invitation (meeting, school_urn)",
)

AGENDA_ITEMS = FileFormat(
    "agenda_items",
    AgendaItem,
    "One row per item a meeting decides, in agenda order.",
    (
        ref_column("item", "item-1"),
        pointer("meeting", MEETINGS, "meeting_id", "The meeting's ref.", required=True),
        stored("position", WholeNumber(1), "Its place on the agenda: 1, 2, 3…", required=True),
        stored("purpose", one_of(AGENDA_PURPOSES), "What the item is for.", required=True),
        pointer("case_ref", PUPILS, "pupil_id", "The child's case reference.", required=True),
        pointer("referral", REFERRALS, "referral_id", "The ref of the referral discussed, if any."),
        pointer(
            "fair_access_case",
            FAIR_ACCESS_CASES,
            "fair_access_case_id",
            "The ref of the Fair Access case discussed, if any.",
        ),
        pointer(
            "placement",
            PLACEMENTS,
            "placement_id",
            "The ref of the placement reviewed, if any.",
        ),
    ),
    key=("ref",),
    key_noun="agenda item ref",
    ref_prefix="agenda-item",
    # A case is on a meeting's agenda once (``rules.agenda.agenda_case_keys``).
    unique=(
        Unique(("meeting", "referral"), "meeting and referral", "referral"),
        Unique(("meeting", "fair_access_case"), "meeting and Fair Access case", "fair_access_case"),
        Unique(("meeting", "placement"), "meeting and placement", "placement"),
        Unique(
            ("meeting", "case_ref", "purpose"),
            "meeting, case_ref and purpose (an item about no referral, case or placement)",
            "case_ref",
            when_blank=("referral", "fair_access_case", "placement"),
        ),
    ),
)

DECISIONS = FileFormat(
    "decisions",
    Decision,
    "One row per decision on an agenda item: what, why, who recorded it and when. After the "
    "minutes are signed off, a change is a new row that amends the one it replaces.",
    (
        ref_column("decision", "dec-1"),
        pointer(
            "agenda_item",
            AGENDA_ITEMS,
            "agenda_item_id",
            "The ref of the agenda item decided.",
            required=True,
        ),
        stored(
            "amends_decision_id",
            WholeNumber(1),
            "After sign-off: the store's number of the decision this one amends, as exported; "
            "blank for an ordinary decision. (Amendments import back only into their own store.)",
        ),
        stored("outcome", one_of(DECISION_OUTCOMES), "What was decided.", required=True),
        stored("rationale", Text(), "Why, in a sentence or two.", required=True),
        stored("decided_by", Text(), "Who recorded it.", required=True),
        stored("decided_at", Moment(), "When it was decided.", required=True),
        pointer(
            "school_urn",
            SCHOOLS,
            "school_id",
            "R13, R16: the school allocated under Fair Access or receiving a managed move.",
        ),
        computed(
            "enforceable",
            YesNo(),
            "R13a: no for a Fair Access allocation at a meeting a member school of the "
            "partnership was not notified of by the meeting day.",
            Computed(
                lambda: select(Decision.id, Decision.enforceable),
                "the outcome and the meeting's invitations",
            ),
            rule="R13a",
        ),
        stored("parents_agree", YesNo(), "R16: for a managed move, whether the parents agree."),
        stored(
            "home_school_agrees",
            YesNo(),
            "R16: for a managed move, whether the home school agrees.",
        ),
        stored(
            "receiving_school_agrees",
            YesNo(),
            "R16: for a managed move, whether the receiving school agrees.",
        ),
        pointer(
            "placement",
            PLACEMENTS,
            "placement_id",
            "R7-R9: the ref of the placement an agreed AP placement created.",
        ),
        stored(
            "suggestion",
            Text(),
            "R23: for a Fair Access allocation, the schools the dashboard suggested, best first.",
        ),
    ),
    key=("ref",),
    key_noun="decision ref",
    ref_prefix="decision",
    # One standing decision per item; a decision amended at most once (``models.meetings``).
    unique=(
        Unique(
            ("agenda_item",),
            "standing decision (amends_decision_id blank) of agenda_item",
            "agenda_item",
            when_blank=("amends_decision_id",),
        ),
        Unique(("amends_decision_id",), "amendment of decision", "amends_decision_id"),
    ),
)

ACTIONS = FileFormat(
    "actions",
    Action,
    "One row per action a meeting set: what, who does it, by when, and when it was done "
    "(listed in the minutes; an open one is carried forward to the next meeting).",
    (
        ref_column("action", "act-1"),
        pointer(
            "meeting", MEETINGS, "meeting_id", "The ref of the meeting that set it.", required=True
        ),
        pointer(
            "agenda_item",
            AGENDA_ITEMS,
            "agenda_item_id",
            "The ref of the agenda item it is about; blank for the meeting's own.",
        ),
        stored("description", Text(), "What is to be done.", required=True),
        stored("owner", Text(), "Who does it.", required=True),
        stored("due_date", Day(), "The day it is due by.", required=True),
        stored("done_date", Day(), "The day it was done; blank while it is open."),
    ),
    key=("ref",),
    key_noun="action ref",
    ref_prefix="action",
)

FUNDING_RATES = FileFormat(
    "funding_rates",
    FundingRate,
    "R14, R15: the amounts the LA sets each financial year (April to March).",
    (
        stored("kind", one_of(RATE_KINDS), "Which amount.", required=True, rule="R14"),
        stored(
            "financial_year_start",
            Year(),
            "The financial year: 2025 means April 2025 to March 2026.",
            required=True,
        ),
        stored("amount", Money(), "The amount per pupil per year.", required=True),
    ),
    key=("kind", "financial_year_start"),
    key_noun="rate (kind, financial_year_start)",
)

TERM_DATES = FileFormat(
    "term_dates",
    TermDate,
    "R21, R25: one row per term or half term; school days are the weekdays inside them.",
    (
        stored(
            "academic_year_start",
            Year(),
            "The academic year: 2025 means 2025-26.",
            required=True,
        ),
        stored("name", Text(), "Its name, such as `Autumn 1`.", required=True),
        stored("start_date", Day(), "The first day of term.", required=True),
        stored("end_date", Day(), "The last day of term.", required=True),
    ),
    checks=(ends_after("end_date", "start_date", strictly=False),),
)

SETTINGS = FileFormat(
    "settings",
    Setting,
    "Named settings, such as `r8_threshold` (R8: pupils in substantial provision that make "
    "a provider an unregistered school; the partnerships' guidance says 4, the statute 5).",
    (
        stored("key", Text(), "The setting's name.", required=True),
        stored("value", Text(), "Its value.", required=True),
    ),
    key=("key",),
    key_noun="setting",
    checks=(not_the_store_kind,),
    holds=Setting.key != DEMO_MODE,
)

#: Every file, in the order rows are inserted (a file points only into files before it).
FORMATS: tuple[FileFormat, ...] = (
    PARTNERSHIPS,
    SCHOOLS,
    PUPILS,
    TIER_HISTORY,
    REFERRALS,
    FAIR_ACCESS_CASES,
    FAIR_ACCESS_REFUSALS,
    EXCLUSIONS,
    PROVIDERS,
    SAFEGUARDING_CONFIRMATIONS,
    PLACEMENTS,
    MEETINGS,
    INVITATIONS,
    AGENDA_ITEMS,
    DECISIONS,
    ACTIONS,
    FUNDING_RATES,
    TERM_DATES,
    SETTINGS,
)
FORMATS_BY_NAME: dict[str, FileFormat] = {fmt.name: fmt for fmt in FORMATS}
