"""The daily reminder job (nhắc hạn): every deadline of every running movement, a mail and an
in-app notice to each unit that is late or close to it — once per deadline per unit.

Each unit's reminder is its own transaction: the ``Reminder`` row (unique per movement, unit
and deadline) and the notice are written together and the mail leaves when that transaction
commits. Run twice the same day, the second run finds the rows and sends nothing; stopped
half-way, the units already reminded have their rows and a rerun reminds only the rest. (The
one window left is a crash between the commit and the mail leaving, which loses that one mail
rather than sending it twice.)
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.core.notify import notify
from thidua.movements.models import Movement, Reminder
from thidua.movements.queries import (
    REPORT_SENT,
    SENT,
    deadlines,
    unit_people,
    units_with_dossiers_sent,
)
from thidua.orgs.models import today

SOON_DAYS = 3  # settings.THIDUA_REMINDER_DAYS overrides it


@dataclass
class Due:
    movement: Movement
    organisation: object
    key: str
    label: str
    day: date
    late: bool
    url: str


def pending(movement, day: date, soon_days: int) -> list[Due]:
    """Who owes what, for each deadline of the movement that has passed or falls within
    ``soon_days``: units that have not sent the registration, the plan, the period's report
    or any dossier (by the dossier deadline)."""
    units = [p.organisation for p in
             movement.participants.current().select_related("organisation")]
    registered = set(movement.registrations.filter(state__in=SENT)
                     .values_list("organisation_id", flat=True))
    planned = set(movement.unit_plans.values_list("organisation_id", flat=True))
    found = []
    for key, label, deadline, period in deadlines(movement):
        if (deadline - day).days > soon_days:
            continue
        if key == "registration":
            done, url = registered, reverse("movements:register", args=[movement.slug])
        elif key == "plan":
            done, url = planned, reverse("movements:unit_plan", args=[movement.slug])
        elif key == "dossier":
            done = units_with_dossiers_sent(movement)
            url = reverse("nominations:create", args=[movement.slug])
        else:
            done = set(period.reports.filter(state__in=REPORT_SENT)
                       .values_list("organisation_id", flat=True))
            url = reverse("movements:report", args=[movement.slug, period.pk])
        for unit in units:
            if unit.pk not in done:
                found.append(Due(movement, unit, key, label, deadline, day > deadline, url))
    return found


def _text(due: Due) -> str:
    values = {"what": due.label, "title": due.movement.short_title,
              "day": f"{due.day:%d/%m/%Y}", "unit": due.organisation}
    if due.late:
        return _("Quá hạn: %(what)s — phong trào “%(title)s” (hạn %(day)s) — %(unit)s chưa "
                 "gửi.") % values
    return _("Sắp đến hạn: %(what)s — phong trào “%(title)s” (hạn %(day)s) — %(unit)s chưa "
             "gửi.") % values


def send_reminders(day: date | None = None, soon_days: int | None = None) -> int:
    """Remind every unit late or close to a deadline that was not reminded of it yet; returns
    how many reminders were sent."""
    day = day or today()
    if soon_days is None:
        soon_days = getattr(settings, "THIDUA_REMINDER_DAYS", SOON_DAYS)
    sent = 0
    for movement in Movement.objects.filter(status=Movement.Status.PUBLISHED).order_by("pk"):
        already = set(movement.reminders.values_list("organisation_id", "deadline"))
        for due in pending(movement, day, soon_days):
            if (due.organisation.pk, due.key) in already:
                continue
            if _remind(due):
                sent += 1
    return sent


def _remind(due: Due) -> bool:
    people = unit_people([due.organisation])
    try:
        with transaction.atomic():
            Reminder.objects.create(
                movement=due.movement, organisation=due.organisation, deadline=due.key,
                due_on=due.day, kind=Reminder.Kind.LATE if due.late else Reminder.Kind.SOON,
                recipients=", ".join(sorted(u.email for u in people if u.email)))
            notify(people, _text(due), due.url)
    except IntegrityError:
        # Another run reminded this unit meanwhile: nothing more to send.
        return False
    return True
