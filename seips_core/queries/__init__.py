"""Read models for the pages and the command line: SQL aggregates in, plain rows out.

Each module answers the questions of one page (``home``, ``schools``) or one shared need
(``partnerships`` for the filter, ``change_marker`` for the pages' caches). Counting happens in
the database (COUNT / GROUP BY), so a page receives only the figures it shows, whatever the
size of the county. Nothing here imports Streamlit or caches: the page layer does that.
"""
