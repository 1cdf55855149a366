"""The dossier's list (danh sách đề nghị) as the Excel workbook units know, for downloads and
for the packages sent upward."""

from django.utils.translation import gettext as _

from thidua.nominations import excel
from thidua.nominations.choices import NomineeRow


def award_form_choices(movement):
    return [(m.award_form.code, m.award_form.name)
            for m in movement.movement_award_forms.select_related("award_form")]


def content_area_choices(movement):
    """The movement's content areas as (code, title), in the plan's order (one query)."""
    return list(movement.content_areas.order_by("order", "pk").values_list("code", "title"))


def dossier_list_xlsx(dossier) -> bytes:
    areas = list(dossier.movement.content_areas.order_by("order", "pk")
                 .values_list("pk", "code", "title"))
    codes = {pk: code for pk, code, _title in areas}
    rows = [excel_row(n, codes) for n in dossier.nominees.all()]
    return excel.export_nominees(rows, award_form_choices(dossier.movement),
                                 title=_("DANH SÁCH ĐỀ NGHỊ %(form)s")
                                 % {"form": dossier.award_form.name.upper()},
                                 unit=dossier.organisation.name,
                                 content_areas=[(code, title) for _pk, code, title in areas])


def excel_row(nominee, area_codes=None):
    """The nominee as a sheet row; ``area_codes`` (content area id → code) saves a query per
    row."""
    return NomineeRow(
        kind=nominee.kind, full_name=nominee.full_name, gender=nominee.gender,
        birth_year=nominee.birth_year, birth_date=nominee.birth_date,
        ethnicity=nominee.ethnicity, position=nominee.position, unit_name=nominee.unit_name,
        category=nominee.category, collective_kind=nominee.collective_kind,
        leader=nominee.leader, achievement_summary=nominee.achievement_summary,
        citation=nominee.citation, award_form_code=nominee.dossier.award_form.code,
        note=nominee.note, row_number=nominee.order,
        content_area=((area_codes or {}).get(nominee.content_area_id)
                      or (nominee.content_area.code if nominee.content_area_id else "")),
        participant_kind=nominee.participant_kind,
    )
