"""``dashboard.text``: stored text escaped for Streamlit Markdown the same way cell by cell
(``md``) and column by column (``md_table``, Arrow's RE2), and read back as typed."""

import pandas as pd
import pyarrow as pa
import pytest
from conftest import drawn
from hostile_text import HOSTILE, PAYLOADS

from dashboard.text import md, md_table, plot_text

STORED = [
    *PAYLOADS,
    HOSTILE,
    "St. Mary's C of E (Aided) – Year 7",
    "see http://evil.example/a or www.evil.example, ask a@evil.example",
    "A -> B <- C --- D >= E <= F ~= G",
    "  first line  \n\n    indented second \r\n third ",
    "back\\slash `code` # heading | pipe ~strike~ _under_ &amp; :material/home: :smile:",
    "",
]


@pytest.mark.parametrize("stored", STORED)
def test_a_cell_and_a_column_are_escaped_alike_and_read_back_as_typed(stored):
    cell = md(stored)
    (column,) = md_table(pa.table({"Text": [stored]})).column(0).to_pylist()
    assert column == cell
    # Read as drawn, the text is the one stored (its blanks around line breaks aside).
    assert drawn(cell) == "\n".join(
        line.strip() for line in stored.strip().splitlines() if line.strip()
    )


def test_nothing_that_would_render_is_left_unescaped():
    escaped = md(HOSTILE)
    for payload in PAYLOADS:
        assert payload not in escaped
    assert "http://" not in escaped and "evil.example" not in escaped


def test_headers_and_other_types_of_a_table():
    table = md_table(pd.DataFrame({"Days (R7)": [3, 4], "School": ["**A**", None]}))
    assert list(table.columns) == ["Days \\(R7\\)", "School"]
    assert table["Days \\(R7\\)"].tolist() == [3, 4]
    assert table["School"].tolist()[0] == "\\*\\*A\\*\\*"


def test_an_arrow_table_is_escaped_once_while_it_lives():
    table = pa.table({"School": ["**A**"]})
    first = md_table(table)
    assert md_table(table) is first
    assert md_table(pa.table({"School": ["**A**"]})) is not first


def test_a_chart_label_draws_tags_and_maths_as_characters():
    assert plot_text("<b>x</b> & $y$") == "&lt;b&gt;x&lt;/b&gt; &amp; &#36;y&#36;"
