"""Domain, store, rules, queries and services of the SEIP panel dashboard.

Nothing in this package imports Streamlit: the command line, the tests and the pages all
reach the same functions.
"""
