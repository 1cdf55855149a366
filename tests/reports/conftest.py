"""Fixtures of the reports tests: the city of :mod:`tests.reports.city`."""

import pytest

from tests.reports.city import build_city, ducxuan_head_for


@pytest.fixture
def ducxuan_head(demo):
    return ducxuan_head_for(demo)


@pytest.fixture
def city(approved, movement, city_certificate, personas, ducxuan_head):
    return build_city(approved, movement, city_certificate, personas, ducxuan_head)
