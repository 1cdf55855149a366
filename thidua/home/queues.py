"""Each person's work queues (việc chờ xử lý): what waits for this person in each role, with a
count, the first few items and their deadlines, the most urgent first.

Each queue costs a fixed number of queries (a count and one short list), whatever the number of
dossiers, meetings or decisions behind it: the home page answers in the same number of queries
for one dossier or a thousand (tests/home/test_queues.py).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.decisions.models import Decision, Proposal, awarded, on_a_proposal
from thidua.exemplars.models import Exemplar
from thidua.exemplars.queries import managed_exemplars, suggestion_queue
from thidua.nominations.models import CouncilOutcome, Dossier, Nominee
from thidua.orgs.models import Role
from thidua.reviews.models import (
    AgendaItem,
    BallotReceipt,
    Disclosure,
    Meeting,
    MeetingMember,
    Recusal,
)

SHOWN = 5  # items listed per queue; the count says how many there are


@dataclass
class Item:
    label: str
    url: str
    note: str = ""
    due: date | None = None  # a deadline: shown as "hạn …"
    late: bool = False
    flag: str = ""  # what makes it urgent, said in words ("quá hạn" when only ``late``)


@dataclass
class Queue:
    key: str
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str = ""
    late: int = 0  # how many of ``count`` need this person first (past a deadline, a ballot due)
    action: bool = True  # waits for this person's own act (not only to be known)
    alert: str = ""  # ``late`` said in words

    def __post_init__(self):
        if self.late and not self.alert:
            self.alert = ngettext("%(n)s quá hạn", "%(n)s quá hạn", self.late) % {"n": self.late}

    @property
    def urgency(self) -> tuple:
        return (-self.late, not self.action, -self.count)


def _dossier_item(d: Dossier, today: date, note: str = "") -> Item:
    # Only a dossier waiting for the office runs against its processing deadline.
    due = d.due_on if d.state == Dossier.State.SUBMITTED else None
    return Item(label=_("Hồ sơ #%(pk)s · %(form)s") % {"pk": d.pk, "form": d.award_form.name},
                url=reverse("nominations:detail", args=[d.pk]),
                note=note or (d.organisation.short_name or d.organisation.name), due=due,
                late=due is not None and due < today)


def _dossiers(qs, key, title, today, more_url, *, note=None, action=True, late_q=None) -> Queue:
    qs = qs.select_related("award_form", "organisation")
    counts = qs.aggregate(n=Count("pk"), late=Count("pk", filter=late_q or Q(pk=None)))
    items = [_dossier_item(d, today, note(d) if note else "") for d in qs[:SHOWN]]
    return Queue(key, title, counts["n"], items, more_url, late=counts["late"], action=action)


def _unit_queues(membership, user, today) -> list[Queue]:
    org = membership.organisation
    mine = Dossier.objects.filter(organisation=org)
    queues = [
        _dossiers(mine.filter(state=Dossier.State.RETURNED).order_by("updated_at"), "returned",
                  _("Hồ sơ bị trả lại, cần bổ sung"), today, reverse("nominations:list"),
                  note=lambda d: _("trả lại ngày %(day)s")
                  % {"day": timezone.localtime(d.updated_at).strftime("%d/%m/%Y")}),
    ]
    drafts = mine.filter(state=Dossier.State.DRAFT).exclude(
        Exists(Decision.objects.filter(state=Decision.State.DRAFT,
                                       awards__nominee__dossier=OuterRef("pk")))).order_by("pk")
    if membership.role == Role.UNIT_HEAD:
        queues.append(_dossiers(drafts, "to_submit", _("Hồ sơ đang soạn, chờ thủ trưởng trình"),
                                today, reverse("nominations:list"),
                                note=lambda d: _("họp xét ngày %(day)s") % {
                                    "day": d.unit_meeting_date.strftime("%d/%m/%Y")}
                                if d.unit_meeting_date else ""))
    else:
        queues.append(_dossiers(drafts, "drafts", _("Hồ sơ đang soạn"), today,
                                reverse("nominations:list")))
    # The unit's own decisions prepared and waiting for its head's signature.
    unit_drafts = Decision.objects.filter(issuer=org, state=Decision.State.DRAFT)
    if membership.role == Role.UNIT_OFFICER:
        queues.append(_decisions(unit_drafts, "unit_drafts",
                                 _("Dự thảo quyết định của đơn vị chờ ký"), action=False))
    return queues


def _decisions(qs, key, title, *, action=True) -> Queue:
    qs = qs.select_related("award_form", "signer").annotate(n=Count("awards")).order_by(
        "issued_on", "pk")
    items = [Item(label=str(d), url=d.get_absolute_url(),
                  note=_("%(form)s · %(n)s người, tập thể · người ký %(signer)s · ngày ký "
                         "%(day)s") % {"form": d.award_form.name, "n": d.n, "signer": d.signer,
                                       "day": d.issued_on.strftime("%d/%m/%Y")})
             for d in qs[:SHOWN]]
    return Queue(key, title, qs.count(), items, reverse("decisions:list"), action=action)


def _office_queues(membership, today) -> list[Queue]:
    org = membership.organisation
    sent = Dossier.objects.filter(movement__receiving_office=org)
    return [
        _dossiers(sent.filter(state=Dossier.State.SUBMITTED).order_by("due_on", "pk"),
                  "to_check", _("Hồ sơ chờ kiểm tra, tiếp nhận"), today,
                  reverse("nominations:queue"), late_q=Q(due_on__lt=today)),
        _dossiers(sent.filter(state=Dossier.State.ACCEPTED).order_by("updated_at"),
                  "to_review", _("Hồ sơ đã tiếp nhận, chờ Ban Chỉ đạo họp xét"), today,
                  reverse("reviews:list")),
        _dossiers(sent.filter(state=Dossier.State.COMMITTEE_REVIEWED).order_by("updated_at"),
                  "to_forward", _("Ban Chỉ đạo đã họp xét, chờ chuyển Hội đồng TĐKT"), today,
                  reverse("nominations:list")),
        _meetings(Meeting.objects.filter(organisation=org, kind=Meeting.Kind.COMMITTEE),
                  "committee_meetings", _("Phiên họp Ban Chỉ đạo chưa kết thúc")),
    ]


def _meetings(qs, key, title, *, member=None) -> Queue:
    qs = qs.exclude(state=Meeting.State.CLOSED)
    if member is not None:
        qs = qs.filter(Exists(MeetingMember.objects.filter(meeting=OuterRef("pk"), user=member)))
    qs = qs.annotate(n=Count("items")).order_by("scheduled_at", "pk")
    shown = list(qs[:SHOWN])
    due = {}
    if member is not None:
        # The agenda items still waiting for this member's ballot: not voted, not stepped aside.
        due = dict(AgendaItem.objects.filter(
            meeting__in=[m.pk for m in shown if m.state == Meeting.State.OPEN])
            .exclude(Exists(BallotReceipt.objects.filter(item=OuterRef("pk"), member__user=member)))
            .exclude(Exists(Recusal.objects.filter(item=OuterRef("pk"), member__user=member)))
            .values("meeting").annotate(n=Count("pk")).values_list("meeting", "n"))
    items = []
    for m in shown:
        when = timezone.localtime(m.scheduled_at)
        note = _("%(day)s · %(state)s · %(n)s người, tập thể") % {
            "day": when.strftime("%H:%M %d/%m/%Y"), "state": m.get_state_display(), "n": m.n}
        flag = (ngettext("%(n)s phiếu anh/chị chưa bỏ", "%(n)s phiếu anh/chị chưa bỏ", due[m.pk])
                % {"n": due[m.pk]} if m.pk in due else "")
        items.append(Item(label=m.title, url=reverse("reviews:detail", args=[m.pk]), note=note,
                          late=m.pk in due, flag=flag))
    alert = (ngettext("%(n)s phiên họp chờ phiếu của anh/chị",
                      "%(n)s phiên họp chờ phiếu của anh/chị", len(due)) % {"n": len(due)}
             if due else "")
    return Queue(key, title, qs.count(), items, reverse("reviews:list"), late=len(due),
                 alert=alert)


def _secretariat_queues(membership, today) -> list[Queue]:
    org = membership.organisation
    movements = {"movement__council_secretariat": org}
    waiting = Nominee.objects.filter(
        dossier__state=Dossier.State.FORWARDED, committee_conclusion="propose",
        dossier__movement__council_secretariat=org).exclude(
        Exists(AgendaItem.objects.filter(nominee=OuterRef("pk"),
                                         meeting__kind=Meeting.Kind.COUNCIL)))
    council = Nominee.objects.filter(dossier__state=Dossier.State.COUNCIL_REVIEWED,
                                     dossier__movement__council_secretariat=org)
    to_decide = council.filter(~awarded(), council_outcome=CouncilOutcome.APPROVED_LOCAL)
    to_propose = council.filter(~on_a_proposal(), council_outcome=CouncilOutcome.APPROVED_UPWARD)
    queues = [
        _meetings(Meeting.objects.filter(organisation=org, kind=Meeting.Kind.COUNCIL),
                  "council_meetings", _("Phiên họp Hội đồng TĐKT cần chuẩn bị, đang họp")),
        _nominees(waiting, "to_schedule", _("Người, tập thể chờ đưa vào phiên họp Hội đồng"),
                  reverse("reviews:list")),
        _nominees(to_decide, "to_decide",
                  _("Được Hội đồng đề nghị Chủ tịch khen thưởng, chưa có dự thảo quyết định"),
                  reverse("decisions:list")),
        _nominees(to_propose, "to_propose",
                  _("Được Hội đồng đề nghị cấp trên khen thưởng, chưa có tờ trình"),
                  reverse("proposals:list")),
        _decisions(Decision.objects.filter(state=Decision.State.DRAFT, issuer=F("movement__issuer"),
                                           **movements),
                   "drafts_to_sign", _("Dự thảo quyết định chờ Chủ tịch ký"), action=False),
        _proposals(Proposal.objects.filter(state=Proposal.State.SENT, **movements)),
        _disclosures(Disclosure.objects.filter(movement__council_secretariat=org), today),
    ]
    return queues


def _nominees(qs, key, title, more_url) -> Queue:
    qs = qs.select_related("dossier__organisation", "dossier__award_form").order_by(
        "dossier__updated_at", "order", "pk")
    items = [Item(label=n.full_name, url=reverse("nominations:detail", args=[n.dossier_id]),
                  note=_("%(form)s · %(org)s") % {
                      "form": n.dossier.award_form.name,
                      "org": n.dossier.organisation.short_name or n.dossier.organisation.name})
             for n in qs[:SHOWN]]
    return Queue(key, title, qs.count(), items, more_url)


def _proposals(qs) -> Queue:
    qs = qs.select_related("award_form").order_by("sent_at", "pk")
    items = [Item(label=str(p), url=p.get_absolute_url(),
                  note=_("%(form)s · gửi %(recipient)s") % {"form": p.award_form.name,
                                                            "recipient": p.recipient})
             for p in qs[:SHOWN]]
    return Queue("proposals_sent", _("Tờ trình chờ cấp trên quyết định"), qs.count(), items,
                 reverse("proposals:list"), action=False)


def _disclosures(qs, today) -> Queue:
    qs = qs.filter(starts_on__lte=today, ends_on__gte=today).annotate(
        n_objections=Count("objections", distinct=True),
        unhandled=Count("objections", filter=Q(objections__handling=""), distinct=True),
    ).order_by("ends_on", "pk")
    items = [Item(label=d.title, url=reverse("public-disclosure", args=[d.pk]),
                  note=_("đến hết %(day)s · %(n)s ý kiến phản ánh, %(open)s chưa xử lý")
                  % {"day": d.ends_on.strftime("%d/%m/%Y"), "n": d.n_objections,
                     "open": d.unhandled}, due=d.ends_on)
             for d in qs[:SHOWN]]
    return Queue("disclosures", _("Danh sách đang công khai lấy ý kiến"), qs.count(), items,
                 reverse("public-disclosures"), action=False)


def _editor_queues(user) -> list[Queue]:
    """The communications editor's: citizens' suggestions to moderate, oldest first, and stories
    sent for editing, waiting to be published."""
    suggestions = suggestion_queue(user)
    to_publish = managed_exemplars(user).filter(state=Exemplar.State.SUBMITTED).order_by(
        "updated_at", "pk")
    return [
        Queue("suggestions", _("Đề xuất gương điển hình của người dân chờ xem xét"),
              suggestions.count(),
              [Item(label=s.about, url=reverse("exemplars:suggestion", args=[s.pk]),
                    note=_("%(movement)s · gửi %(day)s") % {
                        "movement": s.movement.short_title,
                        "day": timezone.localtime(s.created_at).strftime("%d/%m/%Y")})
               for s in suggestions[:SHOWN]], reverse("exemplars:suggestions")),
        Queue("to_publish", _("Bài gương điển hình chờ biên tập, đăng"), to_publish.count(),
              [Item(label=e.title, url=reverse("exemplars:manage-detail", args=[e.pk]),
                    note=e.organisation.short_name or e.organisation.name)
               for e in to_publish[:SHOWN]], reverse("exemplars:manage")),
    ]


def queues_for(membership, user, today=None) -> list[Queue]:
    """The queues of one membership, most urgent first; empty queues are left out."""
    today = today or timezone.localdate()
    role = membership.role
    if role in {Role.UNIT_OFFICER, Role.UNIT_HEAD}:
        queues = _unit_queues(membership, user, today)
    elif role == Role.RECEIVING_OFFICE:
        queues = _office_queues(membership, today)
    elif role == Role.COUNCIL_SECRETARIAT:
        queues = _secretariat_queues(membership, today)
    elif role in {Role.COUNCIL_MEMBER, Role.CHAIRMAN}:
        queues = [_meetings(Meeting.objects.filter(kind=Meeting.Kind.COUNCIL), "my_meetings",
                            _("Phiên họp Hội đồng TĐKT của anh/chị"), member=user)]
    elif role == Role.COMMUNICATIONS_EDITOR:
        queues = _editor_queues(user)
    else:
        queues = []
    return sorted((q for q in queues if q.count), key=lambda q: q.urgency)
