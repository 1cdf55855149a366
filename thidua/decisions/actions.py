"""Drafting and issuing decisions. Issuing is the act that fills the award register."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import activity
from thidua.core.notify import notify
from thidua.core.numbers import clean_symbol, number_key
from thidua.core.permissions import require
from thidua.core.text import nfc, nfc_lines
from thidua.decisions import limits, verification
from thidua.decisions.flows import DECISION_FLOW
from thidua.decisions.limits import bounded
from thidua.decisions.models import Award, Decision, SerialCounter
from thidua.decisions.queries import cash_for, council_day, eligible_nominees, totals_of
from thidua.nominations import actions as dossier_actions
from thidua.nominations.documents import lower_first, place_of
from thidua.nominations.models import AwardRecord, Dossier, Nominee
from thidua.orgs.models import Membership, Role

DEFAULT_CITATION = gettext_lazy("Đã có thành tích xuất sắc trong %(movement)s")

# Letters (Vietnamese ones too) and digits, in groups joined by one "-", "/" or ".": QĐ-UBND,
# TTr-UBND, QĐ-CT.UBND. What else can be typed there is cleaned (clean_symbol) or refused.
SYMBOL = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)*")
# A document is dated the day it is signed; a date further ahead than this is a typing mistake.
FUTURE_DAYS = 30


def check_symbol(series: str) -> str:
    """The symbol cleaned (spaces, dashes, look-alike letters: ``clean_symbol``), or refused."""
    series = bounded(clean_symbol(series), limits.SERIES, _("Ký hiệu"))
    if not SYMBOL.fullmatch(series) or not any(ch.isalpha() for ch in series):
        raise ValidationError(_("Ký hiệu “%(series)s” không hợp lệ: chỉ gồm chữ, số và các dấu "
                                "“-”, “/”, “.”, ví dụ QĐ-UBND.") % {"series": series})
    return series


def check_signing_day(day, *, movement, meeting_day=None, unit_meeting=False) -> None:
    """A decision or a proposal is dated on or after the movement's start and the meeting that
    approved its list (the council's, or for a unit's own decision the unit's), and not far in
    the future: anything else is a typing mistake, refused with the dates to compare."""
    start = min(movement.issued_on, movement.launched_on)
    if day < start:
        raise ValidationError(_("Ngày ký %(day)s trước ngày phát động phong trào (%(start)s); "
                                "hãy kiểm tra lại ngày ký.")
                              % {"day": day.strftime("%d/%m/%Y"),
                                 "start": start.strftime("%d/%m/%Y")})
    if meeting_day is not None and day < meeting_day:
        message = (_("Ngày ký %(day)s trước ngày đơn vị họp xét danh sách này (%(meeting)s); "
                     "hãy kiểm tra lại ngày ký.") if unit_meeting else
                   _("Ngày ký %(day)s trước phiên họp Hội đồng Thi đua - Khen thưởng xét danh "
                     "sách này (%(meeting)s); hãy kiểm tra lại ngày ký."))
        raise ValidationError(message % {"day": day.strftime("%d/%m/%Y"),
                                         "meeting": meeting_day.strftime("%d/%m/%Y")})
    if day > timezone.localdate() + timedelta(days=FUTURE_DAYS):
        raise ValidationError(_("Ngày ký %(day)s còn hơn %(days)s ngày nữa mới đến; hãy kiểm tra "
                                "lại ngày ký.") % {"day": day.strftime("%d/%m/%Y"),
                                                   "days": FUTURE_DAYS})


def take_nominees(nominees, eligible, *, empty, outside) -> list[Nominee]:
    """The people chosen for a draft, locked so that two drafts made at once cannot both take
    them; refused with ``empty`` when there are none, and with ``outside`` (``%(names)s``)
    naming those the ``eligible`` query does not hold."""
    nominees = list(Nominee.objects.select_for_update(of=("self",)).filter(
        pk__in=[n.pk for n in nominees]).select_related("dossier__organisation"))
    if not nominees:
        raise ValidationError(empty)
    allowed = set(eligible.values_list("pk", flat=True))
    if refused := [n.full_name for n in nominees if n.pk not in allowed]:
        raise ValidationError(outside % {"names": ", ".join(refused)})
    return nominees


@transaction.atomic
def draft_decision(*, movement, award_form, nominees, number, issued_on, signer, legal_grounds,
                   place="", series="QĐ-UBND", signer_capacity=Decision.Capacity.ON_BEHALF,
                   amends=None, review_round=None, by) -> Decision:
    """Dự thảo quyết định with its annexed list, from the council's results; ``review_round``
    links it to the sơ kết, tổng kết round whose conclusion it follows."""
    require(by, "decisions.draft", movement)
    issuer = movement.issuer
    if review_round is not None and (review_round.movement_id != movement.pk
                                     or not review_round.is_review_round):
        raise ValidationError(_("Đợt sơ kết, tổng kết không thuộc phong trào này."))
    if not award_form.decided_locally:
        raise ValidationError(_("“%(form)s” do cấp trên quyết định: hãy lập tờ trình đề nghị, "
                                "không lập quyết định.") % {"form": award_form.name})
    nominees = take_nominees(
        nominees, eligible_nominees(movement, award_form),
        empty=_("Danh sách khen thưởng chưa có ai."),
        outside=_("Không đưa được vào quyết định: %(names)s (chưa được Hội đồng đề nghị Chủ tịch "
                  "khen thưởng hình thức này, hoặc đã có trong quyết định khác)."))
    require_chairman(signer, issuer)
    check_signing_day(issued_on, movement=movement, meeting_day=council_day(nominees))
    return _create(movement=movement, issuer=issuer, award_form=award_form, nominees=nominees,
                   number=number, issued_on=issued_on, signer=signer,
                   legal_grounds=legal_grounds, place=place or movement.place, series=series,
                   signer_capacity=signer_capacity, amends=amends, review_round=review_round,
                   by=by)


@transaction.atomic
def draft_unit_decision(dossier, *, nominees, number, issued_on, signer, legal_grounds, place="",
                        series="QĐ-UBND", signer_capacity=Decision.Capacity.ON_BEHALF,
                        signer_position="", by) -> Decision:
    """A unit's own decision (quyết định của đơn vị, within its authority: a ward chairman's or
    an agency head's Giấy khen) on its own list; the city sees it in its register and counts."""
    unit = dossier.organisation
    require(by, "decisions.draft_for_unit", unit)
    locked = dossier_actions.DOSSIER_FLOW.lock(dossier, seen={})
    if not locked.award_form.decided_by(unit):
        raise ValidationError(_("“%(form)s” không thuộc thẩm quyền của %(org)s: hãy trình hồ sơ "
                                "lên cấp trên.") % {"form": locked.award_form.name,
                                                     "org": unit.name})
    # A list already decided on may still get a later decision for those it left out.
    if locked.state not in {Dossier.State.DRAFT, Dossier.State.DECIDED_BY_UNIT}:
        raise ValidationError(_("Danh sách đang ở trạng thái “%(state)s”; chỉ ra quyết định theo "
                                "danh sách đơn vị đang lập.") % {"state": locked.get_state_display()})
    nominees = list(Nominee.objects.select_for_update().filter(pk__in=[n.pk for n in nominees]))
    if not nominees:
        raise ValidationError(_("Danh sách khen thưởng chưa có ai."))
    outside = [n.full_name for n in nominees
               if n.dossier_id != locked.pk or n.awards.exists()]
    if outside:
        raise ValidationError(_("Không đưa được vào quyết định: %(names)s (không thuộc danh sách "
                                "này, hoặc đã có trong quyết định khác).")
                              % {"names": ", ".join(outside)})
    _require_unit_head(signer, unit)
    check_signing_day(issued_on, movement=locked.movement, meeting_day=locked.unit_meeting_date,
                      unit_meeting=True)
    if signer_capacity in {Decision.Capacity.HEAD, Decision.Capacity.DEPUTY_HEAD} and not nfc(
            signer_position):
        raise ValidationError(_("Hãy ghi chức danh người ký (ví dụ: GIÁM ĐỐC) khi thủ trưởng cơ "
                                "quan, đơn vị ký."))
    return _create(movement=locked.movement, issuer=unit, award_form=locked.award_form,
                   nominees=nominees, number=number, issued_on=issued_on, signer=signer,
                   legal_grounds=legal_grounds,
                   place=place or place_of(unit, locked.movement, issued_on),
                   series=series, signer_capacity=signer_capacity,
                   signer_position=signer_position, by=by)


CORRECTABLE = ("name", "position", "unit_name", "citation")
CORRECTION_LIMITS = {"name": limits.NAME, "position": limits.NAME, "unit_name": limits.NAME,
                     "citation": limits.CITATION}


@transaction.atomic
def draft_amendment(original, *, corrections, number, issued_on, signer, legal_grounds,
                    place="", series=None, signer_capacity=None, signer_position=None,
                    by) -> Decision:
    """Dự thảo quyết định sửa đổi: an issued decision never changes, so a wrong name, unit or
    citation is corrected by a new decision whose lines replace the original's lines.

    ``corrections`` maps an award of ``original`` to the corrected values of CORRECTABLE fields.
    """
    locked = DECISION_FLOW.lock(original, seen={})
    require(by, "decisions.manage", locked)
    if locked.state != Decision.State.ISSUED:
        raise ValidationError(_("Chỉ sửa đổi quyết định đã ban hành; dự thảo thì sửa trực tiếp "
                                "hoặc xóa để lập lại."))
    current = {a.pk: a for a in locked.awards.all()}
    lines = []
    for award, values in corrections.items():
        old = current.get(getattr(award, "pk", award))
        if old is None:
            raise ValidationError(_("Dòng sửa đổi không thuộc quyết định này."))
        if Award.objects.filter(replaces=old).exists():
            raise ValidationError(_("%(name)s đã có trong quyết định sửa đổi khác.")
                                  % {"name": old.name})
        new = {f: nfc(values.get(f, getattr(old, f))) for f in CORRECTABLE}
        for field in CORRECTABLE:
            bounded(new[field], CORRECTION_LIMITS[field], Award._meta.get_field(field).verbose_name)
        if not new["name"] or not new["citation"]:
            raise ValidationError(_("Họ tên và lời khen của %(name)s không được để trống.")
                                  % {"name": old.name})
        if all(new[f] == getattr(old, f) for f in CORRECTABLE):
            continue
        lines.append((old, new))
    if not lines:
        raise ValidationError(_("Chưa có nội dung nào được sửa."))
    if locked.by_unit:
        _require_unit_head(signer, locked.issuer)
    else:
        require_chairman(signer, locked.issuer)
    check_signing_day(issued_on, movement=locked.movement)
    decision = _new_decision(
        movement=locked.movement, issuer=locked.issuer, award_form=locked.award_form,
        number=number, issued_on=issued_on, signer=signer, legal_grounds=legal_grounds,
        place=place or locked.place, series=series or locked.series,
        signer_capacity=locked.signer_capacity if signer_capacity is None else signer_capacity,
        signer_position=locked.signer_position if signer_position is None else signer_position,
        amends=locked, review_round=locked.review_round, by=by)
    # A correction pays nothing more: the cash went with the original decision.
    Award.objects.bulk_create([
        Award(decision=decision, nominee=old.nominee, kind=old.kind, cash=0, order=i,
              replaces=old, **new)
        for i, (old, new) in enumerate(lines, start=1)
    ])
    activity.record("decision.drafted", actor=by, target=decision, organisation=locked.issuer,
                    after={"number": decision.number_label, "amends": locked.number_label,
                           "awards": len(lines)})
    _ask_to_sign(decision)
    return decision


def lock_dossiers(dossiers) -> None:
    """Lock the rows of the dossiers an act reads, in one order (by id) so two acts never wait
    for each other round a circle."""
    list(Dossier.objects.select_for_update(of=("self",)).filter(
        pk__in=dossiers.values("pk")).order_by("pk").values_list("pk", flat=True))


def _require_unit_head(signer, unit) -> None:
    if not Membership.objects.active_on().filter(user=signer, organisation=unit,
                                                 role__in=[Role.UNIT_HEAD, Role.CHAIRMAN]).exists():
        raise ValidationError(_("%(user)s không phải thủ trưởng, người đứng đầu của %(org)s.")
                              % {"user": signer, "org": unit.name})


def require_chairman(signer, issuer) -> None:
    """The signer must be the body's chairman or a vice-chairman today."""
    if not Membership.objects.active_on().filter(user=signer, organisation=issuer,
                                                 role=Role.CHAIRMAN).exists():
        raise ValidationError(_("%(user)s không phải Chủ tịch, Phó Chủ tịch của %(org)s.")
                              % {"user": signer, "org": issuer.name})


def _new_decision(*, movement, issuer, award_form, number, issued_on, signer, legal_grounds,
                  place, series, signer_capacity, signer_position, amends, by,
                  review_round=None) -> Decision:
    series = check_symbol(series)
    if not 0 < number <= 999_999:
        raise ValidationError(_("Số quyết định không hợp lệ."))
    # Compared by key: "125/qđ-ubnd" is the number "125/QĐ-UBND" already used. Two drafts may
    # share one; the second to be issued is refused by the unique index (the flow's conflict).
    taken = Decision.objects.filter(issuer=issuer, series_key=number_key(series),
                                    year=issued_on.year, number=number,
                                    state=Decision.State.ISSUED).first()
    if taken is not None:
        # Named as it was issued: "125/QĐ-UBND" when "125/qđ-ubnd" was typed.
        raise ValidationError(_("Số %(number)s/%(series)s năm %(year)s đã được dùng.")
                              % {"number": number, "series": taken.series, "year": issued_on.year})
    if amends is not None and issued_on < amends.issued_on:
        raise ValidationError(_("Quyết định sửa đổi không thể ký trước quyết định được sửa đổi "
                                "(%(date)s).") % {"date": amends.issued_on.strftime("%d/%m/%Y")})
    return Decision.objects.create(
        movement=movement, issuer=issuer, award_form=award_form, number=number,
        series=series, year=issued_on.year, issued_on=issued_on,
        place=bounded(nfc(place), limits.PLACE, _("Địa danh")),
        signer=signer, signer_capacity=signer_capacity,
        signer_position=bounded(nfc(signer_position), limits.SIGNER_POSITION,
                                _("Chức danh người ký")),
        legal_grounds=bounded(nfc_lines(legal_grounds), limits.GROUNDS, _("Căn cứ")),
        amends=amends, review_round=review_round, created_by=by)


def _create(*, movement, issuer, award_form, nominees, number, issued_on, signer, legal_grounds,
            place, series, signer_capacity, by, amends=None, signer_position="",
            review_round=None) -> Decision:
    decision = _new_decision(
        movement=movement, issuer=issuer, award_form=award_form, number=number,
        issued_on=issued_on, signer=signer, legal_grounds=legal_grounds, place=place,
        series=series, signer_capacity=signer_capacity, signer_position=signer_position,
        amends=amends, review_round=review_round, by=by)
    # Written into the Vietnamese decision, whatever language the drafter reads the site in.
    with translation.override(settings.LANGUAGE_CODE):
        # Only the first letter goes to lower case: "COVID-19" and names keep theirs.
        default = DEFAULT_CITATION % {"movement": lower_first(movement.short_title)}
    Award.objects.bulk_create([
        Award(decision=decision, nominee=n, kind=n.kind, name=n.full_name, position=n.position,
              unit_name=n.unit_name or n.dossier.organisation.name,
              citation=n.citation or default, cash=cash_for(award_form, n.kind, issued_on),
              order=i)
        for i, n in enumerate(nominees, start=1)
    ])
    activity.record("decision.drafted", actor=by, target=decision, organisation=issuer,
                    after={"number": decision.number_label, "awards": len(nominees)})
    _ask_to_sign(decision)
    return decision


def _ask_to_sign(decision) -> None:
    notify([decision.signer], _("Dự thảo %(decision)s (%(form)s) chờ anh/chị ký ban hành.")
           % {"decision": decision, "form": decision.award_form.name},
           decision.get_absolute_url())


def _serials(issuer, year, count) -> list[int]:
    counter, _created = SerialCounter.objects.get_or_create(issuer=issuer, year=year)
    counter = SerialCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return list(range(first, first + count))


@transaction.atomic
def issue_decision(decision, *, by) -> Decision:
    """Ban hành: the signer issues the draft; serials are given, the register is filled, the
    nominees' outcomes are settled, and the decision is frozen."""
    awards = []

    def prepare(locked):
        # The lists' own rows are locked before their state is read: a withdrawal at the same
        # moment either lands first (and is seen here) or waits and then finds them decided.
        lock_dossiers(Dossier.objects.filter(nominees__awards__decision=locked.pk))
        awards.extend(locked.awards.select_related("nominee__dossier", "nominee__subject",
                                                   "replaces"))
        withdrawn = [a.name for a in awards if a.nominee.dossier.state == Dossier.State.WITHDRAWN]
        if withdrawn:
            raise ValidationError(_("Hồ sơ của %(names)s đã rút; hãy lập lại dự thảo.")
                                  % {"names": ", ".join(withdrawn)})
        locked.issued_at = timezone.now()

    locked = DECISION_FLOW.move(
        decision, "issue", by=by, prepare=prepare,
        after=lambda saved: {"number": saved.number_label, "awards": len(awards)},
        conflict=_("Số %(number)s năm %(year)s đã được dùng cho quyết định khác.")
        % {"number": decision.number_label, "year": decision.year})
    for award, n in zip(awards, _serials(locked.issuer, locked.year, len(awards)), strict=True):
        award.serial = f"{locked.year}.{locked.issuer_id:03d}.{n:05d}"
        award.verify_code = verification.new_code()
    # One UPDATE per thousand lines (CASE on the id), not one per award.
    Award.objects.bulk_update(awards, ["serial", "verify_code"], batch_size=1000)
    totals = totals_of(awards)
    Decision.objects.filter(pk=locked.pk).update(**totals)
    for name, value in totals.items():
        setattr(locked, name, value)
    issuer_name = locked.issuer.name_on(locked.issued_on)
    if locked.amends_id:
        _correct_register(locked, awards, by)
    else:
        try:
            with transaction.atomic():
                _fill_register(locked, awards, issuer_name, by)
                if locked.by_unit:
                    # Issuing the unit's decision settles its list.
                    for dossier in {a.nominee.dossier for a in awards}:
                        if dossier.state == Dossier.State.DRAFT:
                            dossier_actions.mark_decided_by_unit(dossier, by=by, cause=locked)
        except IntegrityError:
            raise ValidationError(_("Sổ khen thưởng đã có %(form)s theo quyết định số %(number)s "
                                    "ngày %(date)s cho một người, tập thể trong danh sách (có thể "
                                    "đã nhập từ danh sách cũ); hãy kiểm tra sổ trước khi ban hành.")
                                  % {"form": locked.award_form.name, "number": locked.number_label,
                                     "date": locked.issued_on.strftime("%d/%m/%Y")}) from None
    units = {a.nominee.dossier.organisation_id for a in awards}
    people = [m.user for m in Membership.objects.active_on().filter(
        organisation_id__in=units, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD])
        .select_related("user")]
    notify(people, _("Đã ban hành Quyết định số %(number)s khen thưởng %(count)s người, tập thể.")
           % {"number": locked.number_label, "count": len(awards)},
           reverse("decisions:detail", args=[locked.pk]))
    return locked


def _fill_register(locked, awards, issuer_name, by) -> None:
    AwardRecord.objects.bulk_create([
        AwardRecord(subject=a.nominee.subject, nominee=a.nominee, award_name=locked.award_form.name,
                    award_form=locked.award_form, decision_number=locked.number_label,
                    decision_date=locked.issued_on, issuer_name=issuer_name,
                    unit_name=a.unit_name, movement=locked.movement,
                    source=AwardRecord.Source.DECISION, created_by=by)
        for a in awards
    ], batch_size=1000)


def _correct_register(locked, awards, by) -> None:
    """The register keeps one line per award: the original decision's line is corrected in
    place and says which decision corrected it; a misspelt name is corrected on the person too
    when the person was recorded under that spelling."""
    original = locked.amends
    note = _("Sửa đổi theo Quyết định số %(number)s ngày %(date)s") % {
        "number": locked.number_label, "date": locked.issued_on.strftime("%d/%m/%Y")}
    for award in awards:
        old = award.replaces
        AwardRecord.objects.filter(nominee=award.nominee,
                                   decision_number=_first_number(original)).update(
            unit_name=award.unit_name, note=note)
        subject = award.nominee.subject
        if old.name != award.name and subject.name == old.name:
            before = subject.name
            subject.name = award.name
            subject.save()
            activity.record("subject.renamed", actor=by, target=locked,
                            organisation=locked.issuer, before={"name": before},
                            after={"name": subject.name})


def _first_number(decision) -> str:
    """The register line of an award carries the number of the decision that first gave it."""
    while decision.amends_id:
        decision = decision.amends
    return decision.number_label


@transaction.atomic
def delete_draft(decision, *, by) -> None:
    require(by, "decisions.manage", decision)
    locked = DECISION_FLOW.lock(decision, seen={})
    if locked.state != Decision.State.DRAFT:
        raise ValidationError(_("Quyết định đã ban hành không thể xóa; hãy ban hành quyết định "
                                "sửa đổi."))
    activity.record("decision.draft_deleted", actor=by, target=locked,
                    organisation=locked.issuer, before={"number": locked.number_label})
    locked.delete()
