"""Demo and real stores never mix: real data stays out of a demo store, and the store's record
of its own kind is neither imported nor exported."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from seips_core.db import read_session, write_session
from seips_core.errors import WrongStore
from seips_core.models import AuditEntry, Pupil, Setting
from seips_core.store_kind import DEMO_MODE, StoreKind, record_kind, store_kind
from seips_core.transfer import ImportRefused, export_path, import_path

EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_first_import_into_a_new_store_makes_it_a_real_store(engine):
    with read_session(engine) as session:
        assert store_kind(session) is None
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        assert store_kind(session) is StoreKind.REAL


def test_an_import_into_a_demo_store_is_refused_saying_how_to_make_a_real_one(engine):
    with write_session("seips sample", engine) as session:
        record_kind(session, StoreKind.DEMO)
    audited = _count(engine, AuditEntry)
    with pytest.raises(WrongStore) as refused:
        import_path(EXAMPLE, engine, actor="co-ordinator@example")
    message = str(refused.value)
    assert "demo store" in message
    assert "seips init" in message and "seips import" in message
    assert _count(engine, Pupil) == 0
    assert _count(engine, AuditEntry) == audited


def test_a_real_store_cannot_become_a_demo_store(engine):
    with write_session("cli:admin", engine) as session:
        record_kind(session, StoreKind.REAL)
    with (
        pytest.raises(WrongStore, match="seips serve --demo"),
        write_session("seips sample", engine) as session,
    ):
        record_kind(session, StoreKind.DEMO)
    with read_session(engine) as session:
        assert store_kind(session) is StoreKind.REAL


def test_the_store_kind_is_neither_exported_nor_imported(engine, tmp_path):
    import_path(EXAMPLE, engine, actor="co-ordinator@example")
    export_path(tmp_path / "out", engine)
    assert DEMO_MODE not in (tmp_path / "out" / "settings.csv").read_text(encoding="utf-8-sig")
    forged = tmp_path / "forged"
    forged.mkdir()
    (forged / "settings.csv").write_text(f"key,value\n{DEMO_MODE},true\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_path(forged, engine, actor="co-ordinator@example")
    (problem,) = refused.value.problems
    assert str(problem).startswith(f"settings.csv row 2, column key: {DEMO_MODE} says whether")
    with read_session(engine) as session:
        kind = session.scalar(select(Setting.value).where(Setting.key == DEMO_MODE))
    assert kind == "false"
