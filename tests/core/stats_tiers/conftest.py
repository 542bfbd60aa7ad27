"""The tier statistics tests' store builder extends ``tests/core/query_store.QueryStore``: put
``tests/core`` on the import path, as it is for the tests directly in it."""

import sys
from pathlib import Path

_CORE_TESTS = str(Path(__file__).resolve().parents[1])
if _CORE_TESTS not in sys.path:
    sys.path.insert(0, _CORE_TESTS)
