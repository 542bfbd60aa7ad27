"""``errors.Problems`` and ``problems_of``: what a form is given to place beside its fields
(issue 15)."""

from seips_core.errors import (
    Conflict,
    InvalidValue,
    Problem,
    Problems,
    RuleViolation,
    problems_of,
)


def test_problems_say_each_field_with_its_rule_at_the_end():
    refused = Problems(
        [Problem("Hours a week", "give more than 0 hours"), Problem("Sessions", "tick one", "R7")]
    )
    assert str(refused) == "Hours a week: give more than 0 hours. Sessions: tick one (R7)."
    assert problems_of(refused) == refused.problems
    assert isinstance(refused, InvalidValue), "code catching one refused value catches a list"


def test_a_single_refusal_is_placed_by_the_field_it_names():
    assert problems_of(InvalidValue("Start date: say when it starts.")) == (
        Problem("Start date", "say when it starts"),
    )
    assert problems_of(RuleViolation("R26", "School: leave it empty.")) == (
        Problem("School", "leave it empty", "R26"),
    )


def test_a_refusal_naming_no_field_stays_with_the_form():
    said = "Changed by Jo Smith at 10:42: reload to see their decision."
    (problem,) = problems_of(Conflict(said))
    assert str(problem) == said.rstrip(".")
    assert problems_of(RuleViolation("R16", "a managed move needs all three. Ask again.")) == (
        Problem(None, "a managed move needs all three. Ask again", "R16"),
    )
