"""Chairs: the audit trail."""

import streamlit as st

st.title("Audit trail")
