"""The stored domain: one module per area, all tables importable from here."""

from .access import BrowserSession, SigningKey, WallLink
from .audit import AuditEntry, AuditRedaction, ChangeMarker, SubjectAccessRequest
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
from .record_views import RecordView
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
    "RecordView",
    "Referral",
    "SafeguardingConfirmation",
    "School",
    "Setting",
    "SignInThrottle",
    "SigningKey",
    "SubjectAccessRequest",
    "TermDate",
    "TierChange",
    "User",
    "UserPartnership",
    "WallLink",
]
