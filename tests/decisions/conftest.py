"""Fixtures of the decisions tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_lookup_counts():
    """The verification page counts lookups per visitor in the cache: each test starts at 0."""
    cache.clear()
    yield
    cache.clear()
