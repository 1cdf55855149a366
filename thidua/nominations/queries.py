"""Reads more than one place needs: which dossiers wait for a member in their role (the role
home pages' lists); which award names of an old register the catalogue does not know."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from thidua.core.text import fold
from thidua.nominations.models import Dossier, Nominee
from thidua.orgs.models import Role
from thidua.rulesets.models import AwardForm


def dossiers_waiting_for(membership, limit: int = 20):
    org = membership.organisation
    qs = Dossier.objects.select_related("award_form", "organisation").order_by("due_on", "-pk")
    if membership.role in {Role.UNIT_OFFICER, Role.UNIT_HEAD}:
        return qs.filter(organisation=org, state__in=[Dossier.State.DRAFT,
                                                      Dossier.State.RETURNED])[:limit]
    if membership.role == Role.RECEIVING_OFFICE:
        return qs.filter(movement__receiving_office=org, state=Dossier.State.SUBMITTED)[:limit]
    if membership.role == Role.COUNCIL_SECRETARIAT:
        return qs.filter(movement__council_secretariat=org, state=Dossier.State.ACCEPTED)[:limit]
    return qs.none()


def unknown_award_names(rows) -> list[tuple[int, str]]:
    """(row, award name) of each register line whose award names no form of any rule set (by
    name, short name or code, case and diacritics aside): imported as written, but said."""
    known = set()
    for name, short_name, code in AwardForm.objects.values_list("name", "short_name", "code"):
        known |= {fold(name), fold(short_name), fold(code)}
    return [(row.row_number, row.award_name) for row in rows if fold(row.award_name) not in known]


def nominee_count():
    """A dossier's number of nominees, as an annotation computed for the rows of a page only (a
    correlated subquery): ``Count("nominees")`` would group the whole visible set first."""
    counted = (Nominee.objects.filter(dossier=OuterRef("pk")).order_by()
               .values("dossier").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
