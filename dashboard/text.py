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
import string
import weakref
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: An invisible character that is no word break (U+2060 WORD JOINER).
JOINER = "\u2060"
#: Every ASCII punctuation mark backslashed: CommonMark renders an escaped mark as itself.
_ESCAPE = str.maketrans({mark: "\\" + mark for mark in string.punctuation})
_PUNCTUATION = (r"([!-/:-@\[-`{-~])", r"\\\1")
#: What follows the escaping, as (what the stored text, lower-cased, must hold for the step
#: to matter, pattern, replacement); the patterns read alike in Python's ``re`` and Arrow's
#: RE2 (``md_table``, which runs every step). Streamlit turns a web address, "www." or an
#: email address into a link even when its marks are escaped, and "->", "<-", "--", ">=",
#: "<=", "~=" into arrows and dashes: a word joiner after "://", "www" and "@" and inside
#: those pairs leaves the characters as typed (twice, for runs such as "--->"). A line break
#: and the blanks around it stay one line break (Markdown's hard break), never the start of
#: an indented code block.
_PAIRS = ("<-", "->", "--", ">=", "<=", "~=")
_STEPS = (
    (("://",), r"(\\:)(\\/\\/)", r"\1" + JOINER + r"\2"),
    (("www",), r"(?i)\b(www)(\\\.)", r"\1" + JOINER + r"\2"),
    (("@",), r"(\\@)", r"\1" + JOINER),
    (_PAIRS, r"(\\[<>~-])(\\[-=>])", r"\1" + JOINER + r"\2"),
    (_PAIRS, r"(\\[<>~-])(\\[-=>])", r"\1" + JOINER + r"\2"),
    (("\n",), r"[ \t]*\r?\n[ \t\r\n]*", "  \n"),
)


def md(text: object) -> str:
    """``text`` (any stored value, ``str()`` of it) as Streamlit Markdown that shows exactly
    its characters: ``"**bold**"`` becomes ``"\\*\\*bold\\*\\*"``, drawn as ``**bold**``."""
    stored = str(text).strip()
    escaped, lowered = stored.translate(_ESCAPE), stored.lower()
    for needed, pattern, replacement in _STEPS:
        if any(each in lowered for each in needed):
            escaped = re.sub(pattern, replacement, escaped)
    return escaped


def md_join(parts: Iterable[object], separator: str = ", ") -> str:
    """Stored values listed in Markdown: each escaped, joined by the fixed ``separator``."""
    return separator.join(md(part) for part in parts)


#: The Arrow tables escaped so far, by identity: a cached view hands ``show_table`` the same
#: table on every run until the store changes, so each is escaped once, not on every run.
_ESCAPED: dict[int, tuple[weakref.ref, pa.Table]] = {}


def md_table(table: pd.DataFrame | pa.Table) -> pd.DataFrame | pa.Table:
    """``table`` for ``st.table``, which renders every cell and header as Markdown: each text
    cell and column name through ``md``. An Arrow table (what the cached views hold) is escaped
    column by column in Arrow's own code, once per table."""
    if isinstance(table, pd.DataFrame):
        cells = table.map(lambda cell: md(cell) if isinstance(cell, str) else cell)
        return cells.rename(columns=md)
    key = id(table)
    held = _ESCAPED.get(key)
    if held is not None and held[0]() is table:
        return held[1]
    escaped = pa.table(
        [_md_column(column) for column in table.columns],
        names=[md(name) for name in table.column_names],
    )
    _ESCAPED[key] = (weakref.ref(table, lambda _gone: _ESCAPED.pop(key, None)), escaped)
    return escaped


def _md_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column through ``md``'s steps, if it holds text."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    column = pc.utf8_trim_whitespace(column)
    for pattern, replacement in (_PUNCTUATION, *((p, r) for _needed, p, r in _STEPS)):
        column = pc.replace_substring_regex(column, pattern=pattern, replacement=replacement)
    return column


def plot_text(text: object) -> str:
    """``text`` for a Plotly label or hover text: its HTML tags, entities and the ``$`` that
    would start LaTeX drawn as the characters they are."""
    return html.escape(str(text)).replace("$", "&#36;")
