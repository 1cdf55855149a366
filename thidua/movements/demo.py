"""The seed movement in progress, for the living demo: deadlines around today, some units
registered, plans filed, a monthly report round open with late units, council members
assigned. Everything goes through the actions, as people would do it; running it again
changes nothing.

The demo personas act when they exist (Phòng Nội vụ sets up, the wards' officers and heads
register, Văn phòng accepts); when one is missing the system acts instead (``by=None``).
"""

from datetime import date, timedelta

from django.db import transaction

from thidua.movements import actions
from thidua.movements.loader import SEED_PLAN, load_movement
from thidua.movements.models import Movement, ReportPeriod
from thidua.movements.queries import criteria_for
from thidua.orgs.models import Membership, Organisation, Role, User, today

SEED_SLUG = "phong-chong-covid-19-tp-bac-kan-2021"
MONTHLY = "Báo cáo tháng (kỳ đang mở)"
MID_TERM = "Sơ kết phong trào"


def _user(username):
    return User.objects.filter(username=username, is_active=True).first()


def _person(organisation, role):
    membership = (Membership.objects.active_on().filter(organisation=organisation, role=role)
                  .select_related("user").order_by("pk").first())
    return membership.user if membership else None


def _org(code):
    return Organisation.objects.get(code=code)


def _register(movement, code, *, accept_by=None):
    unit = _org(code)
    if movement.registrations.filter(organisation=unit).exists():
        return
    commitments = {c.pk: {"kind": "pledge", "pledged": True, "note": ""}
                   for c in criteria_for(movement, unit)}
    registration = actions.save_registration(movement, unit, by=_person(unit, Role.UNIT_OFFICER),
                                             commitments=commitments,
                                             note="Đơn vị cam kết thực hiện đầy đủ các tiêu chí.")
    registration = actions.submit_registration(registration, by=_person(unit, Role.UNIT_HEAD))
    if accept_by is not False:
        actions.accept_registration(registration, by=accept_by)


def _plan(movement, code, text):
    unit = _org(code)
    if not movement.unit_plans.filter(organisation=unit).exists():
        actions.file_unit_plan(movement, unit, by=_person(unit, Role.UNIT_OFFICER),
                               number="", text=text)


def _period(movement, office, kind, title, starts_on, ends_on, due_on):
    found = movement.report_periods.filter(title=title).first()
    return found or actions.add_period(movement, by=office, kind=kind, title=title,
                                       starts_on=starts_on, ends_on=ends_on, due_on=due_on)


@transaction.atomic
def seed_progress(day: date | None = None) -> Movement:
    """Put the seed movement (plan 23/KH-UBND) in progress as of ``day`` (default today)."""
    day = day or today()
    movement = Movement.objects.filter(slug=SEED_SLUG).first() or load_movement(SEED_PLAN)[0]
    office = _user("noivu")
    receiving = _user("vanphong")
    monthly = _period(movement, office, ReportPeriod.Kind.MONTHLY, MONTHLY,
                      day - timedelta(days=31), day - timedelta(days=2), day - timedelta(days=1))
    _period(movement, office, ReportPeriod.Kind.MID_TERM, MID_TERM, day - timedelta(days=31),
            day + timedelta(days=25), day + timedelta(days=30))
    # Three units registered in time: Sông Cầu's and the Women's Union's were accepted, Đức
    # Xuân's waits for the office. Then the deadlines are set: registration closed three days
    # ago, so the other wards and communes are late.
    if movement.registration_deadline is None:
        _register(movement, "phuong-song-cau", accept_by=receiving)
        _register(movement, "phuong-duc-xuan", accept_by=False)
        _register(movement, "hoi-lhpn-tp", accept_by=receiving)
        movement = actions.update_movement(
            movement, by=office, registration_deadline=day - timedelta(days=3),
            plan_deadline=day + timedelta(days=2), dossier_deadline=day + timedelta(days=25))
    song_cau = _org("phuong-song-cau")
    _plan(movement, "phuong-song-cau",
          "KẾ HOẠCH triển khai phong trào thi đua phòng, chống dịch COVID-19 của phường Sông "
          "Cầu: tổ chức phát động tại 100% tổ dân phố; duy trì tổ COVID cộng đồng.")
    _plan(movement, "ttyt-tp",
          "KẾ HOẠCH của Trung tâm Y tế: bảo đảm tiêm vắc xin an toàn, đủ liều cho người dân.")
    if not monthly.reports.filter(organisation=song_cau).exists():
        entries = {c.pk: {"done": "Đã triển khai theo kế hoạch.", "figure": "", "note": ""}
                   for c in criteria_for(movement, song_cau)}
        report = actions.save_report(monthly, song_cau, by=_person(song_cau, Role.UNIT_OFFICER),
                                     entries=entries, summary="Hoàn thành các chỉ tiêu tháng.")
        actions.submit_report(report, by=_person(song_cau, Role.UNIT_OFFICER))
    health = movement.content_areas.filter(code="2.5").first()
    if health is not None:
        actions.set_area_organisations(health, by=office, organisations=[
            _org("ttyt-tp"), _org("tram-y-te-song-cau")])
        member = _user("hoidong.yte")
        if member is not None:
            actions.assign_supervision(movement, by=office, member=member, content_area=health)
    member = _user("hoidong")
    if member is not None:
        for code in ("phuong-song-cau", "phuong-duc-xuan", "phuong-phung-chi-kien"):
            actions.assign_supervision(movement, by=office, member=member,
                                       organisation=_org(code))
    return Movement.objects.get(pk=movement.pk)

