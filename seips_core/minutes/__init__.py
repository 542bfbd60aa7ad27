"""A meeting's minutes: the same content as a Word document and as a printable page."""

from sqlmodel import Session

from ..auth.roles import Actor
from .content import Minutes, minutes_content
from .page import render_html
from .word import render_docx

__all__ = ["Minutes", "minutes_content", "minutes_docx", "minutes_html"]


def minutes_docx(session: Session, viewer: Actor, meeting_id: int, *, full_names: bool) -> bytes:
    """The minutes as a .docx file; full names only if asked and the viewer may see them."""
    return render_docx(minutes_content(session, viewer, meeting_id, full_names=full_names))


def minutes_html(session: Session, viewer: Actor, meeting_id: int, *, full_names: bool) -> str:
    """The minutes as a standalone printable HTML page (print to PDF from the browser)."""
    return render_html(minutes_content(session, viewer, meeting_id, full_names=full_names))
