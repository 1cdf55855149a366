from itertools import groupby

from django.shortcuts import render

from thidua.movements.access import get_movement_for
from thidua.movements.models import Movement, PlanItem
from thidua.orgs.models import Role


def movement_list(request):
    movements = Movement.objects.visible_to(request.user).select_related("issuer")
    return render(request, "movements/list.html", {"movements": movements})


def movement_detail(request, slug):
    """The plan's structure, readable by anyone for a published movement."""
    movement = get_movement_for(request.user, slug)
    items = movement.plan_items.prefetch_related("organisations")
    sections = {key: list(group) for key, group in groupby(items, key=lambda i: i.section)}
    award_forms = movement.movement_award_forms.select_related("award_form")
    context = {
        "movement": movement,
        "parents": movement.parents.all(),
        "content_areas": movement.content_areas.all(),
        "criteria": movement.criteria.all(),
        "purposes": sections.get(PlanItem.Section.PURPOSE, []),
        "solutions": sections.get(PlanItem.Section.SOLUTION, []),
        "honouree_groups": sections.get(PlanItem.Section.HONOUREE_GROUP, []),
        "procedure": sections.get(PlanItem.Section.PROCEDURE_STEP, []),
        "responsibilities": sections.get(PlanItem.Section.RESPONSIBILITY, []),
        "award_forms": award_forms,
        "dossier_components": movement.dossier_components.all(),
        "communications_editors": movement.communications_editors.all(),
        "can_propose": movement.status == Movement.Status.PUBLISHED
        and request.user.is_authenticated
        and bool(request.user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)),
    }
    return render(request, "movements/detail.html", context)


