"""The stored domain: one module per area, all tables importable from here."""

from .access import BrowserSession, SigningKey, WallLink
from .audit import AuditEntry, AuditRedaction, ChangeMarker
from .meetings import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    MeetingInvitation,
    Presentation,
)
from .placements import Placement, Provider, SafeguardingConfirmation
from .pupils import Pupil, TierChange
from .reference import FundingRate, Setting, TermDate
from .referrals import (
    Exclusion,
    FairAccessCase,
    FairAccessCategory,
    FairAccessRefusal,
    Referral,
)
from .schools import Partnership, School
from .users import SignInThrottle, User, UserPartnership

__all__ = [
    "Action",
    "AgendaItem",
    "AuditEntry",
    "AuditRedaction",
    "BrowserSession",
    "ChangeMarker",
    "Decision",
    "Exclusion",
    "FairAccessCase",
    "FairAccessCategory",
    "FairAccessRefusal",
    "FundingRate",
    "Meeting",
    "MeetingInvitation",
    "Partnership",
    "Placement",
    "Presentation",
    "Provider",
    "Pupil",
    "Referral",
    "SafeguardingConfirmation",
    "School",
    "Setting",
    "SignInThrottle",
    "SigningKey",
    "TermDate",
    "TierChange",
    "User",
    "UserPartnership",
    "WallLink",
]
