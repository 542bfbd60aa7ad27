"""Stored text is text (issue 11): every page, on a store whose every text column holds
Markdown, HTML and Streamlit directives (``hostile_text``), sends that text to the browser
escaped wherever Streamlit would render it, and the minutes and termly printable pages hold it
HTML-escaped.

What is checked is what Streamlit renders as Markdown: bodies (text, captions, headings,
alerts), labels and help of metrics, widgets, tabs and expanders, progress text, radio options
and ``st.table`` cells; and the Plotly labels. Selectbox and multiselect options and
``st.dataframe`` cells are plain text in the browser, so the stored text is there as it is.
"""

import json
from collections.abc import Callable

import pytest
from conftest import build_county, demo_actor, drawn, new_app, serve_store, sign_in, sqlite_copy
from hostile_text import EVIL_HOST, PAYLOADS, make_hostile, shows_a_value_whole
from page_helpers import (
    CHARGES,
    MEETINGS,
    PAGE_FILES,
    TRENDS,
    downloads,
    open_page,
    open_part,
)
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from seips_core.audit_chain import verify_trail
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session

__all__ = ["downloads"]  # the fixture, used by name

#: The fields of an element's message that Streamlit renders as Markdown.
MARKDOWN_FIELDS = ("body", "label", "help", "text")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hostile_url(request, tmp_path_factory) -> str:
    """The sample county with every free-text value made hostile, once per engine: on SQLite a
    copy of the session's county, on PostgreSQL a county built in a database of this module.
    Its audit trail, hostile copies appended, is still one whole chain."""
    if request.param == "sqlite":
        url = sqlite_copy(request.getfixturevalue("county_url"), tmp_path_factory.mktemp("hostile"))
    else:
        url = build_county(request.getfixturevalue("module_postgres_url"))
    make_hostile(url)
    with read_session(get_engine(url)) as session:
        check = verify_trail(session)
    assert check.broken is None and check.intact_entries > 0, check
    return url


@pytest.fixture(scope="module")
def shown_whole(hostile_url) -> Callable[[str], bool]:
    """``shown_whole(text)``: whether ``text`` holds a hostile value whole, as stored."""
    return shows_a_value_whole(hostile_url)


@pytest.fixture
def hostile(hostile_url, monkeypatch) -> str:
    return serve_store(hostile_url, monkeypatch)


def markdown_sent(app) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown, as sent."""
    sent = []
    for node in app._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if node.type == "table":
            frame = convert_arrow_bytes_to_pandas_df(proto.arrow_data.data)
            sent += [str(name) for name in frame.columns]
            sent += [cell for cell in frame.to_numpy().ravel() if isinstance(cell, str)]
            continue
        sent += [
            value
            for field in MARKDOWN_FIELDS
            if isinstance(value := getattr(proto, field, None), str)
        ]
        if node.type == "radio":
            sent += list(proto.options)
    return sent


def plot_strings(app) -> list[str]:
    """Every string of the page's Plotly figures (labels, hover text, titles)."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for each in value.values():
                walk(each)
        elif isinstance(value, list):
            for each in value:
                walk(each)

    for node in app._tree:
        spec = getattr(getattr(node, "proto", None), "spec", None)
        if isinstance(spec, str) and spec.startswith("{"):
            walk(json.loads(spec))
    return found


@pytest.mark.parametrize("title", list(PAGE_FILES))
def test_every_page_sends_stored_text_escaped(hostile, shown_whole, title):
    app = open_page(sign_in(new_app(), demo_actor(hostile, Role.COUNTY_ADMIN)), PAGE_FILES[title],
                    "NW")  # fmt: skip
    sent = markdown_sent(app)
    raw = [text for text in sent if any(payload in text for payload in PAYLOADS)]
    assert not raw, f"{title}: stored text sent as Markdown unescaped: {raw[:3]}"
    # Every page shows some stored text, and the user reads it whole, as typed.
    assert any(shown_whole(drawn(text)) for text in sent), f"{title} shows no stored text"
    tagged = [text for text in plot_strings(app) if EVIL_HOST in text and "<" in text]
    assert not tagged, f"{title}: a chart label holds HTML tags: {tagged[:3]}"


def test_a_chart_of_school_names_shows_them_as_the_characters_typed(hostile):
    app = open_page(sign_in(new_app(), demo_actor(hostile, Role.COUNTY_ADMIN)), TRENDS, "NW")
    labels = [text for text in plot_strings(app) if EVIL_HOST in text]
    app = open_page(sign_in(new_app(), demo_actor(hostile, Role.COUNTY_ADMIN)),
                    PAGE_FILES["Tier counts"], "NW")  # fmt: skip
    labels += [text for text in plot_strings(app) if EVIL_HOST in text]
    assert labels, "no chart labelled with a school's name"
    assert all("&lt;img src=http://evil.example/x&gt;" in label for label in labels)


def test_the_printable_minutes_and_termly_report_escape_stored_text(hostile, downloads):
    minutes = open_page(sign_in(new_app(), demo_actor(hostile, Role.CHAIR)), MEETINGS, "NW")
    open_part(minutes, "meetings_part", "Minutes")
    open_page(sign_in(new_app(), demo_actor(hostile, Role.CHAIR)), TRENDS, "NW")
    pages = {label: text for label, text in downloads.items() if "printable" in label}
    assert len(pages) == 2, list(downloads)
    for label, text in pages.items():
        assert f"<img src=http://{EVIL_HOST}" not in text, label
        assert f"&lt;img src=http://{EVIL_HOST}/x&gt;" in text, label


def test_the_charges_working_keeps_one_line_per_amount_once_escaped(app_as):
    app = open_part(open_page(app_as(Role.CHAIR), CHARGES, "NW"), "charges_part",
                    "Per pupil, with the working")  # fmt: skip
    (pupils,) = [each for each in app.table if "Working" in each.value.columns]
    lines = [working.splitlines() for working in pupils.value["Working"]]
    assert any(len(each) > 1 for each in lines)
    assert all(line.strip() for each in lines for line in each)  # no empty or blank line
