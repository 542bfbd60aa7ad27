"""What the page tests do again and again: open a page, read all of it as text, and catch
what a download button would hand the user."""

import io
import zipfile
from collections.abc import Iterator

import docx
import openpyxl
import pytest
import streamlit
from conftest import TODAY, drawn
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, Table

from dashboard.boundary import FAILED
from dashboard.state import PARTNERSHIP_KEY, PROJECTION_KEY
from seips_core.db import get_engine, read_session
from seips_core.queries.flags import county_flags
from seips_core.rules.flag import Flag

HOME, SCHOOLS, MEETINGS = "../pages/home.py", "../pages/schools.py", "../pages/meetings.py"
ATTENTION, AUDIT, USERS = "../pages/attention.py", "../pages/audit.py", "../pages/users.py"
AGENDA, RECORD = "../pages/agenda.py", "../pages/record.py"
PROJECTOR = "../pages/projector.py"
FAIR_ACCESS, FAIRNESS = "../pages/fair_access.py", "../pages/fairness.py"
PLACEMENTS, PROVIDERS = "../pages/placements.py", "../pages/providers.py"
TIERS, TRENDS, CHARGES = "../pages/tiers.py", "../pages/trends.py", "../pages/charges.py"
SUBJECT_ACCESS = "../pages/subject_access.py"
RETENTION = "../pages/retention.py"
PAGE_FILES = {
    "Home": HOME,
    "School profile": SCHOOLS,
    "Meetings": MEETINGS,
    "Needs attention": ATTENTION,
    "Audit trail": AUDIT,
    "Users": USERS,
    "Agenda builder": AGENDA,
    "Record decisions": RECORD,
    "Projector view": PROJECTOR,
    "Fair Access cases": FAIR_ACCESS,
    "Fairness between schools": FAIRNESS,
    "AP placements": PLACEMENTS,
    "AP providers": PROVIDERS,
    "Tier counts": TIERS,
    "Trends": TRENDS,
    "Charges": CHARGES,
    "Subject access": SUBJECT_ACCESS,
    "Retention": RETENTION,
}


def open_page(app: AppTest, page: str, partnership: str | None = None) -> AppTest:
    """Run the app, choose the partnership in the sidebar, then open ``page``."""
    app.run()
    if partnership is not None:
        app.selectbox(key=PARTNERSHIP_KEY).set_value(partnership).run()
    app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    assert not [e.value for e in app.error if e.value.startswith(FAILED)]  # the boundary's
    return app


def open_part(app: AppTest, key: str, label: str) -> AppTest:
    """Choose the tab ``label`` of the page's parts kept under ``key`` (``dashboard.parts``),
    as a click on it would, and run the page again."""
    app.session_state[key] = label
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def open_address(app: AppTest, address: str) -> AppTest:
    """Run the page registered at the address ``/address``, as a browser asking for that
    address does (the app must have run once). AppTest opens pages by file only; a page made
    from a function is found here by its address in what the last run registered."""
    (page_hash,) = [
        page_hash
        for page_hash, page in app._registered_pages.items()
        if page.get("url_pathname") == address
    ]
    app._page_hash = page_hash
    return app.run()


def show_names(app: AppTest) -> AppTest:
    """Switch projection mode off, as a co-ordinator does deliberately on their own screen
    (it is on at first for everyone: issue 12)."""
    app.toggle(key=PROJECTION_KEY).set_value(False).run()
    assert app.toggle(key=PROJECTION_KEY).value is False
    return app


def flags_on(url: str, partnership: str | None) -> list[Flag]:
    with read_session(get_engine(url)) as session:
        return county_flags(session, TODAY, partnership)


def shown_text(app: AppTest) -> str:
    """Everything on the page as text, as drawn: each element's content (charts with their data
    and tooltips), tables in full, the sidebar included."""
    parts = []
    for node in app._tree:
        if isinstance(node, Dataframe | Table):
            parts.append(node.value.to_csv())
        elif getattr(node, "proto", None) is not None:
            # Protobuf's text form doubles each backslash: undo that, then read it as drawn.
            parts.append(drawn(str(node.proto).replace("\\\\", "\\")))
    return "\n".join(parts)


def download_text(data: str | bytes) -> str:
    """What a downloaded file says: a text file as it is, a workbook's cells, a Word
    document's paragraphs and table cells."""
    if isinstance(data, str):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        is_workbook = "xl/workbook.xml" in archive.namelist()
    if is_workbook:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
            for cell in row if cell is not None
        )  # fmt: skip
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


@pytest.fixture
def downloads(monkeypatch) -> Iterator[dict[str, str]]:
    """What each download button drawn would give the user, by its label (made eagerly)."""
    given: dict[str, str] = {}
    button = streamlit.download_button

    def spy(label: str, data, *args, **kwargs):
        given[label] = data() if callable(data) else data
        return button(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    yield given


def in_order(app) -> list:
    """Every element of the page's main area, in the order it is drawn."""
    found = []

    def walk(node) -> None:
        found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app.main)
    return found


def said_under(app, label: str) -> str:
    """What is said under the field labelled ``label`` (the next element drawn after it)."""
    drawn = in_order(app)
    at = next(i for i, each in enumerate(drawn) if getattr(each, "label", None) == label)
    following = drawn[at + 1]
    return following.value if following.type == "markdown" else ""
