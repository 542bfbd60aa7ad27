"""What was wrong with a form's submission, said all at once: listed at the top of the form and
each problem again under its own field (issue 15).

A form makes one ``FormProblems`` as its first element, then calls ``beside(label)`` after each
field it may refuse; on a refusal, ``show(refused)`` fills those places in the same run. No
rerun and no state is needed, so everything typed stays in the form as it was entered. The
problems come from ``seips_core.errors.problems_of``: a service's ``Problems`` (every field at
once) or a single refusal naming its field before the colon. A problem naming no field on the
form (a conflict, a rule about the whole case) is said at the top only.
"""

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.text import md
from seips_core.errors import Problem, SeipsError, capital, problems_of


class FormProblems:
    """The places one form keeps for its problems: one at the top, one under each field."""

    def __init__(self) -> None:
        self._top = st.empty()
        self._beside: dict[str, DeltaGenerator] = {}

    def beside(self, label: str, where: DeltaGenerator | None = None) -> None:
        """Keep the place under field ``label``, just drawn (in column ``where``, if in one).

        ``label`` is the field's name as the services say it: its label on screen, or the
        label's first words ("Owner" for "Owner (who does it)").
        """
        self._beside[label.casefold()] = (where or st).empty()

    def show(self, refused: SeipsError, *, heading: str = "Not saved.") -> None:
        """Say every problem of ``refused``: the list at the top under ``heading``, and each
        under its field. ``heading`` says what did not happen ("Not saved.")."""
        problems = problems_of(refused)
        for field, said in _by_field(problems).items():
            if field is not None and field.casefold() in self._beside:
                self._beside[field.casefold()].markdown(
                    "\n\n".join(f":red[:material/error: {md(capital(each))}]" for each in said)
                )
        if len(problems) == 1:
            text = f"{heading} {md(str(problems[0]))}."
        else:
            listed = "\n".join(f"- {md(str(problem))}" for problem in problems)
            text = f"{heading.rstrip('.')}: {len(problems)} things to put right.\n\n{listed}"
        self._top.error(text, icon=":material/block:")


def _by_field(problems: tuple[Problem, ...]) -> dict[str | None, list[str]]:
    """Each field's problems in the words said under it: without the field's name, which the
    label above already gives, and with the rule at the end."""
    said: dict[str | None, list[str]] = {}
    for problem in problems:
        rule = f" ({problem.rule})" if problem.rule else ""
        said.setdefault(problem.field, []).append(f"{problem.message}{rule}")
    return said
