"""Run ``seips`` commands in-process against a store of the test's own."""

import os
from collections.abc import Callable, Iterator

import pytest
from typer.testing import CliRunner

from seips_core.cli import app


@pytest.fixture
def seips(monkeypatch, sqlite_url) -> Callable[..., object]:
    """``seips(*args)`` runs the command line on a fresh SQLite store and returns the result."""
    monkeypatch.setenv("SEIPS_DATABASE_URL", sqlite_url)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture(autouse=True)
def _umask_kept() -> Iterator[None]:
    """A command sets the process's umask (owner-only files); other tests keep their own."""
    umask = os.umask(0o022)
    os.umask(umask)
    yield
    os.umask(umask)
