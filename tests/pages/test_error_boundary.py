"""A page that fails shows a plain message and a reference; the traceback stays in the log."""

import logging
import re

from page_helpers import shown_text

from dashboard.boundary import FAILED
from seips_core.auth.roles import Role
from seips_core.db import BUSY
from seips_core.errors import StoreBusy

INTERNALS = (
    "(sqlite3.OperationalError) no such column: pupil.secret [SQL: SELECT secret FROM pupil]"
)


def _home_page_raises(monkeypatch, error: Exception) -> None:
    def failing(*_args, **_kwargs):
        raise error

    monkeypatch.setattr("dashboard.store.home_figures", failing)


def test_a_failing_page_shows_a_reference_that_the_log_holds_with_the_traceback(
    app_as, monkeypatch, caplog
):
    _home_page_raises(monkeypatch, RuntimeError(INTERNALS))
    with caplog.at_level(logging.ERROR, logger="seips.dashboard"):
        app = app_as(Role.COUNTY_ADMIN).run()
    assert not app.exception
    (shown,) = [error.value for error in app.error]
    assert shown.startswith(FAILED)
    reference = re.fullmatch(r".* reference ([0-9a-f]{8})\.", shown)[1]
    page = shown_text(app)
    for internal in ("Traceback", "RuntimeError", "SELECT", "sqlite3", "pupil.secret", "line "):
        assert internal not in page
    (logged,) = [record for record in caplog.records if reference in record.getMessage()]
    assert logged.exc_info is not None and INTERNALS in str(logged.exc_info[1])
    assert "Traceback" in caplog.text and "home.py" in caplog.text


def test_an_error_written_for_users_is_shown_as_it_is(app_as, monkeypatch):
    _home_page_raises(monkeypatch, StoreBusy(BUSY))
    app = app_as(Role.COUNTY_ADMIN).run()
    assert not app.exception
    assert [error.value for error in app.error] == [BUSY]
