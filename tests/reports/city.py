"""Builders of a city with real awards (tests/reports/conftest.py makes them fixtures;
the browser test uses them too), made through the product's own actions:

* the city chairman's Giấy khen to Nguyễn Thị Lan and Hoàng Văn Nam (Sông Cầu, council
  approved; Lục Thị Hoa not proposed), issued 20/12/2021 with cash;
* Đức Xuân ward's own Giấy khen to a collective (an enterprise) and two people, one a Tày woman
  and direct worker, issued 10/12/2021 by the ward chairman;
* a Sông Cầu dossier returned once for supplement;
* two lines of an old register imported by the administrator (no unit).
"""

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

from tests import pipeline
from thidua.decisions import actions as decision_actions
from thidua.nominations import actions as dossier_actions
from thidua.nominations.choices import NomineeRow
from thidua.nominations.excel.register import PastAwardRow
from thidua.orgs import actions as org_actions
from thidua.orgs.models import Organisation, User
from thidua.rulesets.models import AwardForm


def ward_people():
    """The ward's list, with what each is proposed for (content area, participant kind) where
    the officer wrote it: Lý Văn Tài has no participant kind."""
    return [
        NomineeRow(kind="collective", full_name="Công ty TNHH Thương mại Minh Phát",
                   unit_name="Phường Đức Xuân", collective_kind="enterprise", leader="Lê Văn An",
                   achievement_summary="Ủng hộ 500 suất ăn.", citation="Đã có thành tích",
                   content_area="2.2", participant_kind="enterprises"),
        replace(pipeline.person(name="Nông Thị Mây", year=1992, unit="Tổ dân phố 3",
                                ethnicity="Tày"), category="direct_worker", content_area="2.3",
                participant_kind="citizens"),
        replace(pipeline.person(name="Lý Văn Tài", year=1980, gender="male",
                                unit="Tổ dân phố 5", ethnicity="Kinh"), category="other_leader",
                content_area="2.3"),
    ]


def ducxuan_head_for(demo):
    """Đức Xuân's chairman: signs the ward's own decisions (made here if the demo has none)."""
    ward = demo.org("phuong-duc-xuan")
    head = ward.memberships.filter(role="unit_head").select_related("user").first()
    if head:
        return head.user
    user = User.objects.create_user("chutich.ducxuan.test", password="Mot-mat-khau-dai-2021",
                                    full_name="Đàm Văn Hùng")
    org_actions.grant_role(user, ward, "unit_head", title="Chủ tịch UBND phường",
                           valid_from=date(2020, 1, 1))
    return user


def build_city(approved, movement, city_certificate, personas, ducxuan_head):
    decision = decision_actions.issue_decision(
        pipeline.draft_for(movement, city_certificate, approved, personas.mai), by=personas.binh)

    ward_form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    ward = pipeline.new_draft(movement, ward_form, personas.thu, *ward_people())
    ward_decision = decision_actions.issue_decision(
        decision_actions.draft_unit_decision(
            ward, nominees=list(ward.nominees.all()), number=7, issued_on=date(2021, 12, 10),
            signer=ducxuan_head, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;",
            by=personas.thu),
        by=ducxuan_head)

    returned = pipeline.new_draft(movement, city_certificate, personas.hanh,
                                  pipeline.person(name="Đặng Văn Khoa", gender="male"))
    pipeline.complete(returned, personas.hanh)
    returned = dossier_actions.submit_dossier(returned, by=personas.tam)
    dossier_actions.return_dossier(returned, other="Thiếu bản sao quyết định", by=personas.dung)

    dossier_actions.import_award_register([
        PastAwardRow(full_name="Bế Văn Cường", birth_year=1970, unit_name="Phường Sông Cầu",
                    award_name="Giấy khen của Chủ tịch UBND thành phố",
                    decision_number="12/QĐ-UBND", decision_date=date(2019, 5, 2),
                    issuer_name="UBND thành phố Bắc Kạn", note="", row_number=5),
        PastAwardRow(full_name="Hà Thị Duyên", birth_year=1988, unit_name="Phường Đức Xuân",
                    award_name="Bằng khen của Chủ tịch UBND tỉnh",
                    decision_number="88/QĐ-UBND", decision_date=None,
                    issuer_name="UBND tỉnh Bắc Kạn", note="", row_number=6),
    ], by=personas.admin)
    return SimpleNamespace(decision=decision, ward_decision=ward_decision, returned=returned,
                           songcau=Organisation.objects.get(code="phuong-song-cau"),
                           ducxuan=Organisation.objects.get(code="phuong-duc-xuan"))
