"""Which part of the code may import what: pages reach the store only through
``dashboard.store`` (reads, fresh reads, services) and ``seips_core``'s queries and services,
never through the database opener, the tables or the ORM (issue 15)."""

import ast
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))
#: What a page may not import: the opener, the tables and their constants, the ORM.
FORBIDDEN = ("seips_core.db", "seips_core.models", "sqlmodel", "sqlalchemy")


def imported_modules(source: str) -> set[str]:
    """Every module a Python source imports, by its full name (``from a.b import c``: both
    ``a.b`` and ``a.b.c``, as ``c`` may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden_in(source: str) -> list[str]:
    """The forbidden modules ``source`` imports, or imports from."""
    names = imported_modules(source)
    return [bad for bad in FORBIDDEN if any(n == bad or n.startswith(f"{bad}.") for n in names)]


def test_every_page_is_checked():
    assert len(PAGES) >= 16


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_a_page_imports_nothing_from_the_database_or_the_orm(page):
    assert forbidden_in(page.read_text()) == [], f"{page.name}: read through dashboard.store"


def test_the_check_finds_each_way_of_importing():
    source = (
        "import sqlalchemy\nfrom sqlmodel import Session\nfrom seips_core.db import get_engine\n"
        "from seips_core.models.choices import TIERS\nfrom seips_core import models\n"
    )
    assert forbidden_in(source) == list(FORBIDDEN)
    assert forbidden_in("from seips_core.queries.meetings import agenda\n") == []
