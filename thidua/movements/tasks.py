"""Background work of the movements app, run by ``thidua db_worker`` (or ``thidua remind``
from cron)."""

from django_tasks import task

from thidua.movements.reminders import send_reminders


@task()
def remind() -> int:
    """The daily reminder job: safe to run twice or after a stop (see ``reminders``)."""
    return send_reminders()
