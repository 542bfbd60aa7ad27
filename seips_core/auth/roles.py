"""Who is acting and what their role lets them do: one table of capabilities, one place to ask.

Services call ``require``/``require_role``/``require_partnership`` before they write or read
another partnership's data; pages call ``actor.may(...)`` only to decide what to offer, never as
the check itself.
"""

from dataclasses import dataclass
from enum import StrEnum

from ..errors import NotAllowed


class Role(StrEnum):
    """The four roles, least to most (stored as these values; ``models.users.ROLES``)."""

    VIEWER = "viewer"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    COUNTY_ADMIN = "county_admin"

    @property
    def label(self) -> str:
        """The role as users write it: "co-ordinator", "county admin"."""
        return _LABELS[self]


_LABELS = {
    Role.VIEWER: "viewer",
    Role.COORDINATOR: "co-ordinator",
    Role.CHAIR: "chair",
    Role.COUNTY_ADMIN: "county admin",
}


class Capability(StrEnum):
    """What a page may offer and a service may do; ``CAPABILITIES`` says who may."""

    READ_AGENDA = "read_agenda"
    READ_STATISTICS = "read_statistics"
    EDIT_CASES = "edit_cases"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE_DATA = "manage_reference_data"
    #: Export everything held about one pupil (a subject access request, issue 16).
    SUBJECT_ACCESS = "subject_access"
    #: Full names on a user's own screen when projection mode is off (never on the wall).
    SEE_NAMES = "see_names"


_EVERYONE = frozenset(Role)
_CASE_WORKERS = frozenset({Role.COORDINATOR, Role.CHAIR, Role.COUNTY_ADMIN})
_CHAIRS = frozenset({Role.CHAIR, Role.COUNTY_ADMIN})
_ADMINS = frozenset({Role.COUNTY_ADMIN})

#: Capability → the roles that have it. A viewer reads; a co-ordinator also records cases and
#: decisions; a chair also exports and reads the audit trail; a county admin does everything,
#: for every partnership. Partnership scope is checked separately (``require_partnership``).
CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.READ_AGENDA: _EVERYONE,
    Capability.READ_STATISTICS: _EVERYONE,
    Capability.EDIT_CASES: _CASE_WORKERS,
    Capability.SEE_NAMES: _CASE_WORKERS,
    Capability.EXPORT: _CHAIRS,
    Capability.VIEW_AUDIT: _CHAIRS,
    Capability.MANAGE_USERS: _ADMINS,
    Capability.MANAGE_REFERENCE_DATA: _ADMINS,
    Capability.SUBJECT_ACCESS: _ADMINS,
}


@dataclass(frozen=True)
class Actor:
    """The signed-in user (or the command line) on whose behalf a query or service runs."""

    email: str
    display_name: str
    role: Role
    #: Codes of the partnerships the user works for (ignored for a county admin, who sees all).
    partnerships: frozenset[str] = frozenset()
    #: A wall link's screen (``services.wall_links``): a viewer of this one meeting only, which
    #: ``scope`` holds it to. None for a person.
    wall_meeting: int | None = None

    @property
    def sees_all(self) -> bool:
        """A county admin sees every partnership, whatever their links say."""
        return self.role is Role.COUNTY_ADMIN

    def can_see(self, partnership_code: str | None) -> bool:
        """May this actor see partnership ``partnership_code`` (None: the whole county)?"""
        if self.sees_all:
            return True
        return partnership_code is not None and partnership_code in self.partnerships

    def may(self, capability: str) -> bool:
        """Does the role have ``capability`` (a ``Capability`` value, e.g. "export")?

        An unknown name raises ``ValueError`` rather than quietly answering no.
        """
        return self.role in CAPABILITIES[Capability(capability)]

    @property
    def described(self) -> str:
        """ "a chair of NW, HB", for messages that say who was refused."""
        if self.wall_meeting is not None:
            return "a wall link for one meeting"
        if self.sees_all or not self.partnerships:
            return f"a {self.role.label}"
        return f"a {self.role.label} of {', '.join(sorted(self.partnerships))}"


def SYSTEM_ACTOR(name: str) -> Actor:
    """The command line's actor: county admin rights, as whoever has the shell has the file."""
    return Actor(email=name, display_name=name, role=Role.COUNTY_ADMIN)


def require_role(actor: Actor, *roles: Role, doing: str) -> None:
    """Refuse ``doing`` unless the actor has one of ``roles``."""
    if actor.role not in roles:
        allowed = " or ".join(role.label for role in Role if role in roles)
        raise NotAllowed(f"You are {actor.described}: only a {allowed} may {doing}.")


def require(actor: Actor, capability: Capability, *, doing: str) -> None:
    """Refuse ``doing`` unless the actor's role has ``capability`` (see ``CAPABILITIES``)."""
    require_role(actor, *CAPABILITIES[capability], doing=doing)


def require_partnership(actor: Actor, code: str | None, *, field: str | None = None) -> None:
    """Refuse reading or changing partnership ``code``'s data (None: the whole county's);
    ``field``, when given, starts the message (the form field whose id was refused)."""
    if not actor.can_see(code):
        whose = "the whole county's" if code is None else f"partnership {code}'s"
        where = f"{field}: " if field else ""
        raise NotAllowed(
            f"{where}You are {actor.described}: you may not see or change {whose} data."
        )
