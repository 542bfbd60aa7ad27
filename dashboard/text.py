"""Stored text shown as text: never as Markdown, HTML or a Streamlit directive.

Streamlit renders Markdown almost everywhere a string reaches the screen: ``st.markdown`` and
``st.caption``, titles and headers, the bodies of ``st.info``/``st.warning``/…, metric, widget,
tab and expander labels, help tooltips, radio options and ``st.table`` cells. Its Markdown is
GitHub's plus images, raw links, ``:red[…]`` colours, ``:material/…:`` icons, ``:smile:``
emoji and ``$…$`` maths. A school name, a pupil's name or a rationale typed as
``![x](http://host/i.png)`` would otherwise make every viewer's browser (the meeting room's
projector included) fetch that address; ``**bold**`` would shout.

``md`` makes any stored string literal inside Streamlit Markdown: every ASCII punctuation mark
gets a backslash (CommonMark renders an escaped mark as itself, and neither links, images,
emphasis, HTML, directives nor maths can start without one), an invisible word joiner keeps a
web or email address from becoming a link (Streamlit links those after escaping), and a line
break stays a line break. Fixed words around stored text are written as Markdown; only the
stored part goes through ``md``. Plain-text places (selectbox and multiselect options,
``st.dataframe`` cells, downloads) take the text as it is: there a backslash would show.

``plot_text`` does the same for Plotly, which draws a few HTML tags (``<b>``, ``<a href>``,
``<br>``) in its labels and hover text.
"""

import html
import re
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: An invisible character that is no word break (U+2060 WORD JOINER).
JOINER = "\u2060"
#: What ``md`` does to stored text, in order, as (pattern, replacement) pairs that Python's
#: ``re`` and Arrow's RE2 (``md_table``) read alike:
_STEPS = (
    # Every ASCII punctuation mark backslashed: CommonMark renders an escaped mark as itself.
    (r"([!-/:-@\[-`{-~])", r"\\\1"),
    # Streamlit turns a web address, "www." or an email address into a link even when its
    # marks are escaped, and "->", "<-", "--", ">=", "<=", "~=" into arrows and dashes: a word
    # joiner after "://", "www" and "@" and inside those pairs leaves the characters as
    # typed. Twice, for runs such as "--->".
    (r"(\\:)(\\/\\/)", r"\1" + JOINER + r"\2"),
    (r"(?i)\b(www)(\\\.)", r"\1" + JOINER + r"\2"),
    (r"(\\@)", r"\1" + JOINER),
    (r"(\\[<>~-])(\\[-=>])", r"\1" + JOINER + r"\2"),
    (r"(\\[<>~-])(\\[-=>])", r"\1" + JOINER + r"\2"),
    # A line break and the blanks around it: kept as one (Markdown's hard break), never the
    # start of an indented code block.
    (r"[ \t]*\r?\n[ \t\r\n]*", "  \n"),
)


def md(text: object) -> str:
    """``text`` (any stored value, ``str()`` of it) as Streamlit Markdown that shows exactly
    its characters: ``"**bold**"`` becomes ``"\\*\\*bold\\*\\*"``, drawn as ``**bold**``."""
    escaped = str(text).strip()
    for pattern, replacement in _STEPS:
        escaped = re.sub(pattern, replacement, escaped)
    return escaped


def md_join(parts: Iterable[object], separator: str = ", ") -> str:
    """Stored values listed in Markdown: each escaped, joined by the fixed ``separator``."""
    return separator.join(md(part) for part in parts)


def md_table(table: pd.DataFrame | pa.Table) -> pd.DataFrame | pa.Table:
    """``table`` for ``st.table``, which renders every cell and header as Markdown: each text
    cell and column name through ``md``. An Arrow table (what the cached views hold) is escaped
    column by column in Arrow's own code, not cell by cell in Python."""
    if isinstance(table, pd.DataFrame):
        cells = table.map(lambda cell: md(cell) if isinstance(cell, str) else cell)
        return cells.rename(columns=lambda name: md(name))
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.utf8_trim_whitespace(column)
            for pattern, replacement in _STEPS:
                column = pc.replace_substring_regex(
                    column, pattern=pattern, replacement=replacement
                )
        columns.append(column)
    return pa.table(columns, names=[md(name) for name in table.column_names])


def plot_text(text: object) -> str:
    """``text`` for a Plotly label or hover text: its HTML tags, entities and the ``$`` that
    would start LaTeX drawn as the characters they are."""
    return html.escape(str(text)).replace("$", "&#36;")
