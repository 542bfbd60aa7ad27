"""The rule checks of docs/rules.md: pure functions of plain facts, each giving a ``Flag`` or None.

One module per area (``placements``, ``providers``, ``fair_access``, ``meetings``, ``pupils``,
``schools``, ``referrals``, ``exclusions``); each function names the rule it checks. The facts
dataclasses are built from the store by ``seips_core.queries.flags``; the same functions serve
the pages and the forms' "this would raise…" previews.
"""
