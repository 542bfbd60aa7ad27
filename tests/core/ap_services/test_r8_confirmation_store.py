"""``Placement.r8_confirmation`` in the store: its Alembic revision and its import/export column."""

import csv

from alembic import command
from ap_services_store import FOUR_DAYS, TODAY, build
from sqlalchemy import inspect
from sqlmodel import select

from seips_core.auth.roles import Actor, Role
from seips_core.db import get_engine, read_session
from seips_core.migrate import alembic_config, upgrade
from seips_core.models import Placement
from seips_core.services.placements import PlacementInput, save_placement
from seips_core.transfer.exporter import export_path
from seips_core.transfer.formats import FORMATS_BY_NAME
from seips_core.transfer.importer import import_path

REASON = "Only provider with a motor vehicle course; registration applied for."
COORDINATOR = Actor("co@shire.example", "Co", Role.COORDINATOR, frozenset({"NW"}))


def placement_columns(url: str) -> set[str]:
    with get_engine(url).connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns("placement")}


def test_the_revision_adds_the_column_and_takes_it_away_again(store_url):
    upgrade(store_url)
    assert "r8_confirmation" in placement_columns(store_url)
    command.downgrade(alembic_config(store_url), "5f3c2a1b7e90")
    get_engine(store_url).dispose()  # SQLite's batch rebuild replaced the table
    assert "r8_confirmation" not in placement_columns(store_url)
    upgrade(store_url)
    assert "r8_confirmation" in placement_columns(store_url)


def test_a_confirmation_is_exported_and_imported_back(engine, tmp_path):
    ids = build(engine)
    data = PlacementInput(
        ids.pupils["NW-4"], ids.providers["Oakfield Skills Centre"], FOUR_DAYS, 20.0, TODAY
    )
    save_placement(
        engine, COORDINATOR, None, data, expected_version=None, r8_reason=REASON, on=TODAY
    )
    assert "r8_confirmation" in [column.name for column in FORMATS_BY_NAME["placements"].columns]
    export_path(tmp_path / "out", engine)
    with (tmp_path / "out" / "placements.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["r8_confirmation"] for row in rows].count(REASON) == 1
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    upgrade(copy_url)
    copy = get_engine(copy_url)
    import_path(tmp_path / "out", copy, actor="test import")
    with read_session(copy) as session:
        kept = [p.r8_confirmation for p in session.exec(select(Placement)) if p.r8_confirmation]
    assert kept == [REASON]
