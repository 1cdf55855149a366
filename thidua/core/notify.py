"""Notices to people: a row in the app, and a mail sent once the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from thidua.core.models import Notice


def notify(users, text: str, url: str = "") -> None:
    users = [u for u in users if u is not None and u.is_active]
    Notice.objects.bulk_create([Notice(user=u, text=text[:500], url=url) for u in users])
    recipients = sorted({u.email for u in users if u.email})
    if recipients:
        # Mail leaves only if the change is really saved; a rollback sends nothing.
        transaction.on_commit(lambda: send_mail(
            subject=text[:120], message=f"{text}\n\n{url}", recipient_list=recipients,
            from_email=settings.DEFAULT_FROM_EMAIL, fail_silently=True,
        ))
