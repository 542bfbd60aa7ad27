"""Every page on the sample county, for a county admin: it runs and shows what the store holds."""

import re
from datetime import timedelta

import pytest
from conftest import TODAY
from direct_counts import home_counts, partnership_codes
from page_helpers import ATTENTION, HOME, SCHOOLS, flags_on, open_page

from dashboard.state import AS_ON_KEY, PARTNERSHIP_KEY
from dashboard.widgets import MAX_TABLE_ROWS, SEVERITY_LABELS
from seips_core.queries.flags import flag_counts


@pytest.mark.parametrize("days_back", [0, 120], ids=["today", "a term ago"])
def test_home_figures_equal_a_direct_count_for_the_county_and_each_partnership(
    app, county_url, days_back
):
    on = TODAY - timedelta(days=days_back)
    app.session_state[AS_ON_KEY] = on
    for code in [None, *partnership_codes(county_url)]:
        open_page(app, HOME, code)
        shown = {metric.label: int(metric.value.replace(",", "")) for metric in app.metric}
        assert shown == home_counts(county_url, on, code), code


def test_home_links_each_rule_to_needs_attention_with_its_flag_count(app, county_url):
    open_page(app, HOME)
    links = {
        link.proto.query_string: int(re.search(r"\*\*([\d,]+)\*\*$", link.value)[1])
        for link in app.get("page_link")
        if link.proto.query_string
    }
    expected = flag_counts(flags_on(county_url, None))
    assert expected, "the sample county plants a case for every flag"
    assert links == {f"rule={rule}": count for rule, count in expected.items()}
    assert all(
        link.proto.page == "attention" for link in app.get("page_link") if link.proto.query_string
    )


def test_needs_attention_lists_the_flags_with_rule_id_and_message(app, county_url):
    code = partnership_codes(county_url)[0]
    open_page(app, ATTENTION, code)
    flags = flags_on(county_url, code)
    table = app.table[0].value
    listed = flags[:MAX_TABLE_ROWS]
    assert list(table["What is wrong"]) == [flag.message for flag in listed]
    assert [rule.split(":")[0] for rule in table["Rule"]] == [flag.rule for flag in listed]
    assert f"**{len(flags):,}** of {len(flags):,} flags" in app.markdown[0].value
    assert app.download_button[0].label == f"Download these {len(flags):,} flags (CSV)"


def test_needs_attention_filters_by_rule_and_severity(app, county_url):
    open_page(app, ATTENTION)
    flags = flags_on(county_url, None)
    rule, severity = flags[-1].rule, flags[-1].severity
    app.multiselect[0].set_value([rule])
    app.multiselect[1].set_value([severity]).run()
    expected = [flag for flag in flags if flag.rule == rule and flag.severity == severity]
    table = app.table[0].value
    assert len(table) == len(expected)
    assert set(table["Severity"]) == {SEVERITY_LABELS[severity]}
    assert {text.split(":")[0] for text in table["Rule"]} == {rule}


def test_a_rule_link_from_home_opens_needs_attention_filtered_to_that_rule(app, county_url):
    flags = flags_on(county_url, None)
    rule = flags[0].rule
    app.run()
    app.query_params["rule"] = rule
    app.switch_page(ATTENTION).run()
    assert app.multiselect[0].value == [rule]
    assert len(app.table[0].value) == min(MAX_TABLE_ROWS, sum(flag.rule == rule for flag in flags))


def test_the_partnership_choice_is_kept_from_page_to_page(app, county_url):
    code = partnership_codes(county_url)[1]
    open_page(app, HOME, code)
    for page in (SCHOOLS, ATTENTION, HOME):
        app.switch_page(page).run()
        assert app.selectbox(key=PARTNERSHIP_KEY).value == code
        assert app.caption[0].value.startswith(app.selectbox(key=PARTNERSHIP_KEY).format_func(code))
