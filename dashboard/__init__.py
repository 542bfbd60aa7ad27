"""The Streamlit layer: app shell, shared filter state, shared widgets and cached store reads.

Pages (``pages/*.py``) render what ``seips_core.queries`` answers; they hold no SQL and no rule
logic. Only this package imports Streamlit.
"""
