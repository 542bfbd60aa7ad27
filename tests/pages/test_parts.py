"""A long table's search (``dashboard.parts.matching``): any case, any of the columns named,
numbers and empty cells included, the other columns left alone."""

import pyarrow as pa

from dashboard.parts import matching

TABLE = pa.table(
    {
        "Pupil": ["SEIP-0001 (A. B.)", "SEIP-0002 (C. D.)", None],
        "Provider": ["Oak Farm AP", "Eldbury Motor Project", "Oak Farm AP"],
        "Days": [1, 12, 3],
        "Notes": ["eldbury", "", ""],
    }
)


def test_a_search_finds_the_rows_whose_named_columns_hold_the_words_in_any_case():
    found = matching(TABLE, ["Pupil", "Provider"], "ELDBURY")
    assert found["Pupil"].to_pylist() == ["SEIP-0002 (C. D.)"]  # not the row whose notes say it
    assert matching(TABLE, ["Pupil", "Provider"], "oak farm").num_rows == 2  # an empty pupil too
    assert matching(TABLE, ["Days"], "12")["Days"].to_pylist() == [12]
    assert matching(TABLE, ["Pupil"], "nobody").num_rows == 0
