"""The command line starts without the store's libraries (issue 13): ``seips --help`` and a
sub-command's help answer without importing SQLAlchemy, Alembic, the models or Streamlit,
which come in with the command that needs them, nor Rich's progress bars, which come in only
when a long command draws them (issue 14). Checked in a new process, by what is loaded (its
speed is printed by ``benchmarks/cli_start.py``, not asserted)."""

import json
import subprocess
import sys

import pytest

#: What a command line answering for help has no use for.
HEAVY = (
    "sqlalchemy", "alembic", "sqlmodel", "seips_core.models", "streamlit", "pandas",
    "rich.progress",
)  # fmt: skip
LOADED = """
import contextlib, json, sys
from seips_core.cli import app
with contextlib.redirect_stdout(sys.stderr), contextlib.suppress(SystemExit):
    app({args!r})
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {roots!r}
                        or m in {modules!r})))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["user", "--help"], ["audit", "--help"], ["import", "--help"]]
)
def test_help_answers_without_the_store_libraries(args):
    roots = {name for name in HEAVY if "." not in name}
    script = LOADED.format(args=args, roots=roots, modules=set(HEAVY) - roots)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "Usage:" in done.stderr, done.stderr
    assert json.loads(done.stdout) == []
