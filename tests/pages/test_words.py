"""One name for each thing (issue 15): a label names the thing, and the rule it serves is in
its help text, a flag list or the line under a table (``widgets.COLUMN_RULES``), never in the
label itself. Every page, as every role, is read for it."""

import re
from collections.abc import Iterator

import pytest
from menus import MENU
from page_helpers import PAGE_FILES
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, HeadingBase, Table

from dashboard.item_display import PROJECTOR_CSS
from dashboard.state import PARTNERSHIP_KEY
from dashboard.widgets import COLUMN_RULES, column_rules
from seips_core.auth.roles import Role

#: A rule id in brackets: "(R1)", "(R13a)", "(R11, R26)", "(R8: 18 or more…".
RULE_IN_LABEL = re.compile(r"\(R\d+[a-z]?\b")


def labels(app: AppTest) -> Iterator[str]:
    """Every label on the page: widgets, metrics, expanders and tabs by their label, headings
    by their text, tables by their column names."""
    for node in app._tree:
        if isinstance(node, Table | Dataframe):
            yield from (str(column) for column in node.value.columns)
        elif isinstance(node, HeadingBase):
            yield node.value
        else:
            try:
                label = getattr(node, "label", None)
            except (AttributeError, ValueError):
                continue
            if isinstance(label, str):
                yield label


def rule_ids_in_labels(app: AppTest) -> set[str]:
    return {label for label in labels(app) if RULE_IN_LABEL.search(label)}


#: Each role on its own partnership at first (a county admin on the whole county), and a county
#: admin on one partnership, where the meeting pages and forms are drawn.
VIEWS = [(role, None) for role in Role] + [(Role.COUNTY_ADMIN, "NW")]


@pytest.mark.parametrize(("role", "partnership"), VIEWS, ids=lambda each: str(each))
def test_no_label_on_any_page_carries_a_rule_id(app_as, role, partnership):
    app = app_as(role).run()
    if partnership is not None:
        app.selectbox(key=PARTNERSHIP_KEY).set_value(partnership).run()
    found = {}
    for title in MENU[role]:
        app.switch_page(PAGE_FILES[title]).run()
        assert not app.exception, [error.value for error in app.exception]
        if bad := rule_ids_in_labels(app):
            found[title] = sorted(bad)
    assert found == {}


def test_the_rules_behind_a_tables_columns_are_said_under_it_grouped_by_rule():
    columns = ["Case", "Allocation clock", "On-roll clock", "Refusals", "Delays", "Flags"]
    assert column_rules(columns) == "Rules: R21 Allocation clock · R13 On-roll clock · R22 " \
        "Refusals, Delays"  # fmt: skip
    assert column_rules(["School", "Pupil"]) == ""
    assert not [column for column in COLUMN_RULES if RULE_IN_LABEL.search(column)]


def test_a_disabled_button_on_the_wall_is_greyed_not_struck_through():
    """Struck-through words read as "cancelled" (issue 15): a button that cannot be pressed
    yet ("Previous item" on item 1) is grey, as everywhere else."""
    assert "line-through" not in PROJECTOR_CSS
    assert "button:disabled p { color: #6f777b; }" in PROJECTOR_CSS
