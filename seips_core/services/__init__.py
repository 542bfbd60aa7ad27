"""Services are the only writers of the store.

Each service takes the acting user (``seips_core.auth.Actor``), checks their role and
partnership (``seips_core.auth.roles``), validates the change against the rules, and writes it
with its audit rows in one ``db.write_session`` transaction: all of it or nothing, and a
refused request writes nothing at all. Pages and the command line call services; they never
open a write session themselves.

Accounts are written by ``seips_core.auth.accounts``; reference data (settings, money rates,
term dates) by ``reference_data``.
"""

from .reference_data import SETTINGS, add_term, set_funding_rate, set_setting

__all__ = ["SETTINGS", "add_term", "set_funding_rate", "set_setting"]
