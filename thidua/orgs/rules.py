"""Permission predicates for organisations and roles (django-rules)."""

import rules


@rules.predicate
def is_administrator(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def has_role(*roles):
    """A predicate true for a user holding any of ``roles`` in some organisation today."""

    @rules.predicate(name=f"has_role:{'|'.join(roles)}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.roles() & set(roles))

    return predicate


def has_role_in(*roles):
    """True when the user holds one of ``roles`` in the given organisation itself."""

    @rules.predicate(name=f"has_role_in:{'|'.join(roles)}")
    def predicate(user, organisation):
        if not (user and user.is_authenticated and organisation is not None):
            return False
        return any(
            m.organisation_id == organisation.pk and m.role in roles
            for m in user.active_memberships()
        )

    return predicate


@rules.predicate
def works_in_scope(user, organisation):
    if not (user and user.is_authenticated and organisation is not None):
        return False
    return any(organisation.path.startswith(m.organisation.path) for m in user.active_memberships())


rules.add_perm("orgs.manage_organisations", is_administrator)
rules.add_perm("orgs.view_organisation", is_administrator | works_in_scope)
