"""The honour roll (bảng vàng): who was awarded by an issued decision, for everyone to see.

Shown: the name, position and unit as the decision wrote them, the award form, the decision's
number, date and issuing body. Never a birth date, an ethnicity or an ID number: the rows come
from ``Award`` (the decision's annex), which holds none of them, and only these columns are read.
A line an issued amending decision replaced is shown as corrected, once.
"""

from django.shortcuts import render

from thidua.core.paging import page_of
from thidua.decisions.models import Award, Decision, replaced
from thidua.movements.models import Movement

PAGE_SIZE = 30
COLUMNS = ("name", "position", "unit_name", "decision__number", "decision__series",
           "decision__issued_on", "decision__issuer__name", "decision__award_form__name",
           "decision__movement__short_title")


def honour_roll_rows(movement=None):
    """Awards of issued decisions, newest decision first, without the lines an issued amending
    decision replaced."""
    qs = (Award.objects.filter(decision__state=Decision.State.ISSUED)
          .filter(~replaced(Decision.State.ISSUED)))
    if movement is not None:
        qs = qs.filter(decision__movement=movement)
    return qs.order_by("-decision__issued_on", "-decision_id", "order", "pk").values(*COLUMNS)


def awards_decided(movement) -> int:
    """Awards decided in the movement (each once, amendments not counted twice)."""
    return honour_roll_rows(movement).count()


def honour_roll(request):
    movements = Movement.objects.visible_to(request.user).exclude(status=Movement.Status.DRAFT)
    movement = movements.filter(slug=request.GET.get("phong-trao") or "").first()
    page = page_of(request, honour_roll_rows(movement), size=PAGE_SIZE)
    return render(request, "decisions/honour_roll.html",
                  {"page": page, "movement": movement, "movements": movements})
