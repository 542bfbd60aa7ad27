"""The subject access printable page shows hostile stored text as text, on each engine."""

import pytest
from hostile_text import EVIL_HOST, make_hostile
from query_store import module_sample
from sqlalchemy import Engine
from test_subject_access import ADMIN, ON, csv_rows, richest

from seips_core.subject_access import export_subject_access


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hostile(request, tmp_path_factory) -> Engine:
    """The sample county with every free-text value hostile (``tests/hostile_text.py``)."""
    engine = module_sample(request, tmp_path_factory, today=ON, seed=7)
    make_hostile(engine.url.render_as_string(hide_password=False))
    return engine


def test_the_printable_page_shows_hostile_text_as_text(hostile):
    case_ref, _ = richest(hostile)
    page = export_subject_access(hostile, ADMIN, case_ref).files["subject-access.html"]
    text = page.decode()
    assert f"&lt;img src=http://{EVIL_HOST}/x&gt;" in text
    assert f"<img src=http://{EVIL_HOST}" not in text
    assert "<a " not in text and "<script" not in text


def test_the_csv_files_hold_the_hostile_text_as_stored(hostile):
    case_ref, _ = richest(hostile)
    bundle = export_subject_access(hostile, ADMIN, case_ref)
    summaries = [row["summary"] for row in csv_rows(bundle, "referral")]
    assert summaries and all(f"<img src=http://{EVIL_HOST}/x>" in s for s in summaries)
