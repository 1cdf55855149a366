"""Factories that build through the action functions, so test data obeys the same rules."""

from datetime import date

import factory

from thidua.orgs import actions
from thidua.orgs.models import Kind, Level, Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"don-vi-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm số {n}")
    short_name = ""
    level = Level.UNIT
    kind = Kind.PUBLIC_SERVICE_UNIT
    parent = None
    valid_from = date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return actions.create_organisation(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-thu-nghiem-2021")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(organisation, role, **user_fields):
    """A new user holding ``role`` in ``organisation``."""
    user = UserFactory(**user_fields)
    actions.grant_role(user, organisation, role)
    return user
