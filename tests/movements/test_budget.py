"""The movement's award budget (dự toán kinh phí khen thưởng): set on the setup page and in the
admin, never negative (the form, the action and the column's own check say so)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from thidua.movements import actions as movement_actions
from thidua.movements.forms import MovementForm
from thidua.movements.models import Movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def movement(demo):
    return Movement.objects.get(number="23/KH-UBND")


def test_a_negative_budget_is_refused(personas, movement, client_for):
    with pytest.raises(ValidationError) as refused:
        movement_actions.update_movement(movement, by=personas.mai, budget=-1)
    assert refused.value.messages == ["Dự toán kinh phí khen thưởng không được là số âm."]
    form = MovementForm(data={**{f: getattr(movement, f) for f in ("title",)}, "budget": "-5"},
                        instance=movement)
    assert not form.is_valid()
    assert form.errors["budget"] == ["Dự toán kinh phí khen thưởng không được là số âm."]
    # The setup page saves a good one.
    page = client_for(personas.mai).get(f"/phong-trao/{movement.slug}/thiet-lap/")
    assert 'name="budget"' in page.content.decode()
    movement.refresh_from_db()
    assert movement.budget is None


def test_the_setup_page_saves_the_budget(personas, movement, client_for):
    client = client_for(personas.mai)
    form = MovementForm(instance=movement, user=personas.mai)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None:
            continue
        if name == "communications_editors":
            data[name] = [o.pk for o in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    response = client.post(f"/phong-trao/{movement.slug}/thiet-lap/?phan=chung",
                           {**data, "budget": "45000000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    movement.refresh_from_db()
    assert movement.budget == 45_000_000
    refused = client.post(f"/phong-trao/{movement.slug}/thiet-lap/?phan=chung",
                          {**data, "budget": "-1"})
    assert "Dự toán kinh phí khen thưởng không được là số âm." in refused.content.decode()
    movement.refresh_from_db()
    assert movement.budget == 45_000_000


def test_the_column_refuses_a_negative_amount(movement):
    with pytest.raises(IntegrityError), transaction.atomic():
        Movement.objects.filter(pk=movement.pk).update(budget=-1)


def test_the_admin_edits_it(personas, movement, client_for):
    page = client_for(personas.admin).get(f"/quan-tri/movements/movement/{movement.pk}/change/")
    assert page.status_code == 200
    assert 'name="budget"' in page.content.decode()
