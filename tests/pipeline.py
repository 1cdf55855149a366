"""Builders for the dossier pipeline, usable from any test: Sông Cầu ward proposes the city
chairman's Giấy khen in plan 23; the office accepts; the Steering Committee reviews; the council
votes; the secretariat drafts the decision.

Everything is built through the action functions, so test data obeys the product's own rules.
The builders live in :mod:`thidua.home.demo`, which builds the living demo city with them; they
are named here so tests keep one import. The matching pytest fixtures (``draft``,
``submitted``, ``accepted``, ``forwarded``, ``council``, ``approved``) are in tests/conftest.py.
"""

from datetime import timedelta

from django.utils import timezone

from thidua.home.demo import (  # noqa: F401 - the builders tests import from here
    CITY_CERTIFICATE,
    COUNCIL_DAY,
    PROVINCE_FORM,
    WARD_FORM,
    accept,
    approve_all,
    complete,
    council_people,
    docx,
    draft_for,
    draft_ward,
    forward,
    new_draft,
    open_council,
    pdf,
    pdf_bytes,
    person,
    run_committee,
    sheet_with,
)


def next_working_day(days=1):
    day = timezone.localdate()
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
