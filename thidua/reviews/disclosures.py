"""The public disclosure of the list before the council votes (công khai), and the objections
citizens send about it: publishing, receiving an objection, noting how it was handled.

Each write is atomic and logged; the visitor's address is never stored, only a keyed hash of it.
"""

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import activity, clients
from thidua.core.permissions import require
from thidua.core.text import nfc, nfc_lines
from thidua.core.workdays import working_days_between
from thidua.reviews import limits
from thidua.reviews.actions import MEETING_FLOW
from thidua.reviews.models import Disclosure, Meeting, Objection
from thidua.reviews.queries import council_candidates, takes_objections

OBJECTIONS_PER_HOUR = 5
OBJECTIONS_PER_DAY = 20


@transaction.atomic
def publish_disclosure(*, movement, nominees, starts_on, ends_on, title, by) -> Disclosure:
    require(by, "reviews.hold_council", movement)
    title = limits.limited(nfc(title), limits.TITLE, _("Tiêu đề"))
    if not title:
        raise ValidationError(_("Hãy ghi tiêu đề của danh sách công khai."))
    nominees = list(nominees)
    if not nominees:
        raise ValidationError(_("Hãy chọn người, tập thể cần công khai."))
    if ends_on < starts_on:
        raise ValidationError(_("Ngày kết thúc công khai phải sau ngày bắt đầu."))
    if starts_on < timezone.localdate():
        raise ValidationError(_("Không thể công khai lùi ngày: ngày bắt đầu phải từ hôm nay."))
    eligible = set(council_candidates(movement).values_list("pk", flat=True))
    outside = [n.full_name for n in nominees if n.pk not in eligible]
    if outside:
        raise ValidationError(_("Chỉ công khai được người, tập thể đã chuyển Hội đồng xét: "
                                "%(names)s.") % {"names": ", ".join(outside)})
    longest = max((n.dossier.award_form.disclosure_working_days or 0) for n in nominees)
    days_open = working_days_between(starts_on, ends_on) + (1 if starts_on.weekday() < 5 else 0)
    if longest and days_open < longest:
        raise ValidationError(_("Thời gian công khai phải từ %(days)s ngày làm việc trở lên.")
                              % {"days": longest})
    disclosure = Disclosure.objects.create(movement=movement, title=title,
                                           starts_on=starts_on, ends_on=ends_on, published_by=by)
    disclosure.nominees.set(nominees)
    activity.record("disclosure.published", actor=by, target=disclosure,
                    organisation=movement.council_secretariat,
                    after={"nominees": len(nominees), "from": starts_on, "to": ends_on})
    return disclosure


def client_address(request) -> str:
    """The visitor's address, read the one way every throttle reads it (core.clients: a
    forwarded header only when the deployment trusts its proxies)."""
    return clients.client_address(request)


def objection_source(address: str) -> str:
    """Who sent it, as far as a flood goes: a keyed hash of the address, never the address.
    IPv6 counts by its /64 network, the block one subscriber gets."""
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    except ValueError:
        pass
    digest = hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@transaction.atomic
def submit_objection(disclosure, *, nominee, name, contact, text, source="") -> Objection:
    """A visitor's objection; anyone may send one while the disclosure runs. Beyond a few an
    hour from one source it is still kept — this channel is one the law requires, and many
    citizens can share one address — but marked as sent in a flood."""
    if not takes_objections(disclosure):
        raise ValidationError(_("Thời gian nhận ý kiến về danh sách này đã kết thúc."))
    if not disclosure.nominees.filter(pk=nominee.pk).exists():
        raise ValidationError(_("Người, tập thể này không có trong danh sách công khai."))
    name, contact, text = nfc(name), nfc(contact), nfc_lines(text)
    if not (name and contact and text):
        raise ValidationError(_("Hãy ghi họ tên, cách liên hệ và nội dung ý kiến."))
    limits.limited(name, limits.OBJECTION_NAME, _("Họ và tên"))
    limits.limited(contact, limits.OBJECTION_CONTACT, _("Số điện thoại hoặc thư điện tử"))
    limits.limited(text, limits.OBJECTION_TEXT, _("Nội dung ý kiến"))
    flooded = False
    if source:
        now = timezone.now()
        sent = Objection.objects.filter(source=source)
        flooded = (sent.filter(created_at__gte=now - timedelta(hours=1)).count()
                   >= OBJECTIONS_PER_HOUR
                   or sent.filter(created_at__gte=now - timedelta(days=1)).count()
                   >= OBJECTIONS_PER_DAY)
    objection = Objection.objects.create(disclosure=disclosure, nominee=nominee, name=name,
                                         contact=contact, text=text, source=source,
                                         flooded=flooded)
    activity.record("disclosure.objection", target=disclosure,
                    organisation=disclosure.movement.council_secretariat,
                    after={"nominee": nominee.full_name})
    return objection


@transaction.atomic
def record_objection_handling(objection, *, meeting, handling, by) -> Objection:
    """The meeting's secretary notes how an objection was handled, before the minutes lock."""
    locked = MEETING_FLOW.lock(meeting)
    require(by, "reviews.run_meeting", locked)
    if locked.state == Meeting.State.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc; kết quả xử lý được ghi trong biên bản "
                                "điều chỉnh."))
    if objection.handling:
        raise ValidationError(_("Ý kiến này đã có kết quả xử lý."))
    handling = limits.limited(nfc(handling), limits.OBJECTION_HANDLING, _("Kết quả xử lý"))
    if not handling:
        raise ValidationError(_("Hãy ghi kết quả xử lý ý kiến."))
    objection.handling = handling
    objection.save(update_fields=["handling"])
    activity.record("disclosure.objection_handled", actor=by, target=objection.disclosure,
                    organisation=objection.disclosure.movement.council_secretariat,
                    after={"nominee": objection.nominee.full_name}, reason=handling)
    return objection
