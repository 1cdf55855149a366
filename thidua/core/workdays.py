"""Working days: time limits for administrative procedures count Monday to Friday.

Public holidays are not modelled yet; a limit that spans Tết is therefore a few days short.
"""

from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is past."""
    if end < start:
        # A deadline that passed is at least one day overdue, even over a weekend.
        return -max(1, working_days_between(end, start))
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count += 1
    return count
