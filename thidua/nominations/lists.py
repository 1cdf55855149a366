"""The dossier's list (danh sách đề nghị) as the Excel workbook units know, for downloads and
for the packages sent upward."""

from django.utils.translation import gettext as _

from thidua.nominations import excel
from thidua.nominations.choices import NomineeRow


def award_form_choices(movement):
    return [(m.award_form.code, m.award_form.name)
            for m in movement.movement_award_forms.select_related("award_form")]


def dossier_list_xlsx(dossier) -> bytes:
    rows = [excel_row(n) for n in dossier.nominees.all()]
    return excel.export_nominees(rows, award_form_choices(dossier.movement),
                                 title=_("DANH SÁCH ĐỀ NGHỊ %(form)s")
                                 % {"form": dossier.award_form.name.upper()},
                                 unit=dossier.organisation.name)


def excel_row(nominee):
    return NomineeRow(
        kind=nominee.kind, full_name=nominee.full_name, gender=nominee.gender,
        birth_year=nominee.birth_year, birth_date=nominee.birth_date,
        ethnicity=nominee.ethnicity, position=nominee.position, unit_name=nominee.unit_name,
        category=nominee.category, collective_kind=nominee.collective_kind,
        leader=nominee.leader, achievement_summary=nominee.achievement_summary,
        citation=nominee.citation, award_form_code=nominee.dossier.award_form.code,
        note=nominee.note, row_number=nominee.order,
    )
