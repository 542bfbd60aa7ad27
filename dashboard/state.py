"""The filters every page shares, kept in the session as the user moves between pages.

The app shell draws them in the sidebar on every run, before the page (so Streamlit keeps
their values across pages); pages read them through ``current_filters``. What the signed-in
user may choose comes from ``seips_core``: the partnership filter offers only the
partnerships the user works for (a county admin: all, and the whole county), and whatever the
session holds is checked by ``require_partnership`` before any page runs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard.store import COUNTY_FACTS, cached_query
from dashboard.text import md
from seips_core.auth.roles import Actor, Capability, require_partnership
from seips_core.errors import NotAllowed
from seips_core.queries.partnerships import PartnershipChoice, partnership_choices

PARTNERSHIP_KEY = "partnership"
#: The box on a page about one partnership that chooses it there (``choose_partnership``).
HERE_KEY = "_partnership_here"
AS_ON_KEY = "as_on"
PROJECTION_KEY = "projection"
_FILTERS_KEY = "_filters"
COUNTY = "All partnerships"


@dataclass(frozen=True)
class Filters:
    """What every page shows: one partnership (R1) or the county (None), as on a date, and
    whether pupils may be named in full (projection mode off) or by initials only."""

    partnership: str | None
    on: date
    #: What the figures cover, said in words under each page title.
    scope: str
    #: Full names on screen and in downloads; False in projection mode.
    full_names: bool


def _partnership(choices: Sequence[PartnershipChoice], actor: Actor) -> str | None:
    """Draw the partnership filter with the partnerships ``actor`` may see.

    A choice held in the session that the actor may not see (a partnership of another's, or
    the whole county for a partnership's user) is refused by ``require_partnership``: the
    refusal is shown, nothing else is drawn, and the choice goes back to the first allowed.
    """
    names = {choice.code: choice.name for choice in choices if actor.can_see(choice.code)}
    options: list[str | None] = [None, *names] if actor.sees_all else list(names)
    if not options:
        st.error(
            f"You are {md(actor.described)}, but none of your partnerships is in the store: "
            "ask a county admin to link your account to your partnership."
        )
        st.stop()
    held = st.session_state.get(PARTNERSHIP_KEY, options[0])
    if held not in {None, *(choice.code for choice in choices)}:
        held = options[0]  # a partnership that no longer exists: start again
    try:
        require_partnership(actor, held)
    except NotAllowed as refused:
        st.session_state.pop(PARTNERSHIP_KEY, None)
        st.error(f"Partnership: {md(refused)}")
        st.stop()
    if held is None:
        # The whole county is the first option: left unset, the box shows it by name (set to
        # None, it would show an empty choice).
        st.session_state.pop(PARTNERSHIP_KEY, None)
    else:
        st.session_state[PARTNERSHIP_KEY] = held
    with st.sidebar:
        return st.selectbox(
            "Partnership",
            options,
            help="R1: each partnership's data is its own; a county admin may see them all.",
            format_func=lambda option: COUNTY if option is None else names[option],
            key=PARTNERSHIP_KEY,
        )


def _take_partnership_here() -> None:
    """The partnership chosen on the page becomes the sidebar's: every page shows it now."""
    st.session_state[PARTNERSHIP_KEY] = st.session_state.pop(HERE_KEY)


def choose_partnership(actor: Actor, why: str) -> None:
    """On a page about one partnership while the sidebar says the whole county (a county
    admin's): ``why``, and a box that chooses the partnership right here, as the sidebar's
    filter does (issue 15: the page asks, rather than sending the user elsewhere to choose).
    The choice reruns the page for that partnership."""
    choices = cached_query(partnership_choices, scope=COUNTY_FACTS)
    names = {choice.code: choice.name for choice in choices if actor.can_see(choice.code)}
    st.info(f"{why} Choose the partnership here.", icon=":material/groups:")
    box, _rest = st.columns([1, 2])
    box.selectbox(
        "Partnership",
        list(names),
        index=None,
        format_func=names.__getitem__,
        placeholder="Choose a partnership",
        key=HERE_KEY,
        on_change=_take_partnership_here,
    )


def _projection(actor: Actor) -> bool:
    """The projection-mode toggle: on at first for everyone, fixed on for a user who may not
    see names (issue 12: a laptop mirrored to the projector, as happens in every meeting room,
    shows the room whatever it shows; names are a deliberate switch, never the default)."""
    may_see_names = actor.may(Capability.SEE_NAMES)
    always = "" if may_see_names else " Your role always sees initials only."
    if not may_see_names:
        st.session_state[PROJECTION_KEY] = True
    st.session_state.setdefault(PROJECTION_KEY, True)
    with st.sidebar:
        return st.toggle(
            "Projection mode (initials only)",
            key=PROJECTION_KEY,
            disabled=not may_see_names,
            help="Pupils by case reference and initials only, on screen and in downloads: "
            f"for the wall.{always}",
        )


def _hide_names() -> None:
    st.session_state[PROJECTION_KEY] = True


def names_shown_notice() -> None:
    """Said at the top of every page while full names are on screen: nobody forgets they
    switched them on before sharing the screen."""
    notice, hide = st.columns([5, 1], vertical_alignment="center")
    notice.warning(
        "**Full names are on this screen** (projection mode is off). Do not share or mirror "
        "it to a projector.",
        icon=":material/visibility:",
    )
    hide.button("Hide names", icon=":material/visibility_off:", on_click=_hide_names)


def sidebar_filters(choices: Sequence[PartnershipChoice], actor: Actor) -> Filters:
    """Draw the partnership filter, the "as on" date and projection mode in the sidebar;
    remember the choice for the page."""
    code = _partnership(choices, actor)
    st.session_state.setdefault(AS_ON_KEY, date.today())
    with st.sidebar:
        on = st.date_input("Figures as on", key=AS_ON_KEY, format="DD/MM/YYYY") or date.today()
    projection = _projection(actor)
    names = {choice.code: choice.name for choice in choices}
    where = COUNTY if code is None else names[code]
    filters = Filters(
        partnership=code,
        on=on,
        scope=_scope(where, on),
        full_names=not projection,
    )
    st.session_state[_FILTERS_KEY] = filters
    if filters.full_names:
        names_shown_notice()
    return filters


def _scope(where: str, on: date) -> str:
    return f"{where} · as on {on.day} {on:%B %Y}"


def wall_filters(partnership: str) -> None:
    """A wall link's screen: its meeting's partnership, as on today, initials only. Nothing is
    drawn: a wall has no sidebar, and no one there chooses."""
    on = date.today()
    st.session_state[_FILTERS_KEY] = Filters(partnership, on, _scope(partnership, on), False)


def current_filters() -> Filters:
    """The filters chosen in the sidebar on this run."""
    return st.session_state[_FILTERS_KEY]
