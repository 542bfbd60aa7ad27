"""Exports in the import formats: they import back into an empty store as the same rows.

The source store is the worked example imported into a SQLite file; each export is imported into the
parametrised ``engine`` (an empty SQLite and PostgreSQL store) and exported again from there.
"""

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import select

from seips_core.db import get_engine, read_session, write_session
from seips_core.migrate import upgrade
from seips_core.models import Referral
from seips_core.sample_county import generate_sample
from seips_core.store_kind import StoreKind, store_kind
from seips_core.transfer import export_path, import_path
from seips_core.transfer.exporter import WORKBOOK_NAME
from seips_core.transfer.formats import FORMATS

EXAMPLE = Path(__file__).parents[2] / "sample_data" / "example"
FORMULA = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def example_store(tmp_path) -> Engine:
    """The worked example in a SQLite store of its own (apart from ``engine``'s)."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    upgrade(url)
    source = get_engine(url)
    import_path(EXAMPLE, source, actor="co-ordinator@example")
    return source


@pytest.fixture
def formula_store(example_store) -> Engine:
    """The example with one referral summary that a spreadsheet would run as a formula."""
    with write_session("co-ordinator@example", example_store) as session:
        referral = session.exec(select(Referral).order_by(Referral.id)).first()
        referral.summary = FORMULA
    return example_store


def read_folder(folder: Path) -> dict[str, list[list[str]]]:
    files = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            files[path.stem] = list(csv.reader(handle))
    return files


def test_export_writes_every_file_with_its_header(example_store, tmp_path):
    written = export_path(tmp_path / "out", example_store)
    assert [path.name for path in written] == [f"{fmt.name}.csv" for fmt in FORMATS]
    files = read_folder(tmp_path / "out")
    for fmt in FORMATS:
        assert files[fmt.name][0] == [column.name for column in fmt.columns]


def test_a_csv_export_imports_into_an_empty_store_as_the_same_rows(example_store, engine, tmp_path):
    export_path(tmp_path / "first", example_store)
    counts = import_path(tmp_path / "first", engine, actor="co-ordinator@example")
    export_path(tmp_path / "second", engine)
    first, second = read_folder(tmp_path / "first"), read_folder(tmp_path / "second")
    assert counts == {name: len(rows) - 1 for name, rows in first.items()}
    assert second == first


def test_an_excel_export_imports_into_an_empty_store_as_the_same_rows(
    example_store, engine, tmp_path
):
    (workbook,) = export_path(tmp_path, example_store, excel=True)
    assert workbook == tmp_path / WORKBOOK_NAME
    import_path(workbook, engine, actor="co-ordinator@example")
    export_path(tmp_path / "from-source", example_store)
    export_path(tmp_path / "from-copy", engine)
    assert read_folder(tmp_path / "from-copy") == read_folder(tmp_path / "from-source")


def records(rows: list[list[str]]) -> list[dict[str, str]]:
    """A file's data rows as header → cell."""
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def test_the_export_holds_every_value_of_the_example_as_the_co_ordinator_meant_it(
    example_store, tmp_path
):
    export_path(tmp_path, example_store)
    exported, source = read_folder(tmp_path), read_folder(EXAMPLE)
    # The example's own refs (mtg-nov) are written as the stored rows' (meeting-1), in order.
    renamed = {
        (fmt.name, given[0]): written[0]
        for fmt in FORMATS
        if fmt.ref_prefix
        for given, written in zip(source[fmt.name][1:], exported[fmt.name][1:], strict=True)
    }
    for fmt in FORMATS:
        pairs = zip(records(source[fmt.name]), records(exported[fmt.name]), strict=True)
        for given, written in pairs:
            for column in fmt.columns:
                refers = fmt.name if column.name == "ref" else column.refers_to
                text = given.get(column.name, "")
                text = renamed.get((refers, text), text)
                meant = column.cell.parse(text) if text else column.default
                cell = written[column.name]
                read = column.cell.parse(cell) if cell else column.default
                assert read == meant, (fmt.name, column.name, text, cell)


def test_the_sample_county_round_trips_through_csv_and_excel(engine, tmp_path):
    """Every kind of row the store can hold, as the sample county makes them, comes back."""
    url = f"sqlite:///{tmp_path / 'county.db'}"
    upgrade(url)
    county = get_engine(url)
    generated = generate_sample(county, today=date(2026, 11, 25))
    (workbook,) = export_path(tmp_path / "county.xlsx", county, excel=True)
    counts = import_path(workbook, engine, actor="co-ordinator@example")
    # Categories travel inside their case's row; accounts (password hashes) are never exported,
    # nor is the setting that makes the county a demo store (the copy is a real store).
    not_files = {"fairaccesscategory", "dashboard_user", "userpartnership"}
    assert (
        sum(counts.values())
        == sum(n for table, n in generated.items() if table not in not_files) - 1
    )  # the setting demo_mode
    with read_session(engine) as session:
        assert store_kind(session) is StoreKind.REAL
    export_path(tmp_path / "from-county", county)
    export_path(tmp_path / "from-copy", engine)
    assert read_folder(tmp_path / "from-copy") == read_folder(tmp_path / "from-county")


def test_a_formula_like_cell_is_escaped_in_the_csv_export_and_read_back_plain(
    formula_store, engine, tmp_path
):
    export_path(tmp_path / "out", formula_store)
    summaries = [row[5] for row in read_folder(tmp_path / "out")["referrals"][1:]]
    assert "'" + FORMULA in summaries
    assert FORMULA not in summaries
    import_path(tmp_path / "out", engine, actor="co-ordinator@example")
    with read_session(engine) as session:
        assert FORMULA in session.exec(select(Referral.summary)).all()


def test_a_formula_like_cell_is_plain_text_in_the_excel_export(formula_store, tmp_path):
    (path,) = export_path(tmp_path / "county.xlsx", formula_store, excel=True)
    sheet = load_workbook(path)["referrals"]
    cells = [row[5] for row in sheet.iter_rows(min_row=2)]
    escaped = [cell for cell in cells if cell.value == "'" + FORMULA]
    assert len(escaped) == 1
    assert escaped[0].data_type == "s"  # text, not a formula Excel would run
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
