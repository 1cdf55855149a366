"""What a person's statistics are drawn from: the filters they chose (period, movement,
organisations) inside the reach they have (their own scope; administrators everything).

The reach is ``user.scope()`` — the organisations they hold a role in and the units below —
widened in two ways the rest of the product already grants:

* an organisation merged into one of them (the 2025 reform, up to two mergers deep) counts as
  theirs: the ward that absorbed another keeps its predecessor's history;
* the receiving office and the council secretariat of a movement see that movement's figures,
  as they see its dossiers and decisions (``Dossier``/``Decision.objects.visible_to``).

Another unit's unsent draft is that unit's business: dossier counts include it only for the
unit's own officer and head.

Everything here builds querysets and ``Q`` objects: no statistic reads rows to filter them.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from thidua.movements.models import Movement
from thidua.orgs.models import Organisation, Role


@dataclass(frozen=True)
class Filters:
    """Bộ lọc: the period (inclusive days), a movement and organisations (each with the units
    below it), all optional."""

    date_from: date | None = None
    date_to: date | None = None
    movement: Movement | None = None
    organisations: tuple[Organisation, ...] = field(default_factory=tuple)


def _with_predecessors(orgs: QuerySet) -> QuerySet:
    """``orgs`` and the organisations merged into one of them (two mergers deep)."""
    ids = orgs.values("pk")
    return Organisation.objects.filter(
        Q(pk__in=ids) | Q(merged_into__in=ids) | Q(merged_into__merged_into__in=ids))


def identity(prefix: str):
    """The current identity of the organisation at ``prefix``: the one it was merged into (two
    mergers deep), or itself. Statistics over the years group by it, so a ward renamed or merged
    in 2025 is one line across the years."""
    return Coalesce(F(f"{prefix}__merged_into__merged_into"), F(f"{prefix}__merged_into"),
                    F(prefix))


def _under(prefix: str, paths) -> Q:
    """The organisation at ``prefix`` (or the one it was merged into, two mergers deep) lies
    under one of ``paths``: a join on the organisation table, as one would write it by hand."""
    condition = Q()
    for path in paths:
        for hop in ("", "__merged_into", "__merged_into__merged_into"):
            condition |= Q(**{f"{prefix}{hop}__path__startswith": path})
    return condition


@dataclass(frozen=True)
class Reach:
    everything: bool
    organisations: QuerySet  # ids of the organisations in scope (with predecessors)
    served: QuerySet  # ids of the movements served as receiving office or secretariat
    own_units: tuple[int, ...]  # units where the user is officer or head (their drafts)
    roots: tuple[str, ...] = ()  # the paths of the scope's roots
    # A scope holding a good part of all organisations (a city, a province) is tested by a
    # join on the organisation's path, which reads the counted rows in one pass; a small one
    # (a ward) by an IN list of its organisations, which reads only their rows by index.
    # SQLite's planner takes the index for an IN list whatever its size, so we choose.
    wide: bool = False

    @classmethod
    def of(cls, user) -> "Reach":
        if user.is_superuser:
            return cls(True, Organisation.objects.none(), Movement.objects.none(), ())
        cached = getattr(user, "_report_reach", None)
        if cached is not None:
            return cached
        scope = user.scope()
        orgs = _with_predecessors(scope).values("pk")
        receiving = [o.pk for o in user.organisations_with_role(Role.RECEIVING_OFFICE)]
        secretariat = [o.pk for o in user.organisations_with_role(Role.COUNCIL_SECRETARIAT)]
        served = Movement.objects.filter(Q(receiving_office__in=receiving)
                                         | Q(council_secretariat__in=secretariat)).values("pk")
        own = tuple(o.pk for o in user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD))
        roots = tuple(m.organisation.path for m in user.active_memberships())
        wide = False
        if roots:
            in_roots = Q()
            for path in roots:
                in_roots |= Q(path__startswith=path)
            counted = Organisation.objects.aggregate(all=Count("pk"),
                                                     mine=Count("pk", filter=in_roots))
            wide = counted["mine"] * 4 >= counted["all"]
        reach = cls(False, orgs, served, own, roots, wide)
        user._report_reach = reach  # one per request: a dashboard asks for it per table
        return reach

    def units(self, prefix: str, rows_are_dossiers: bool = False) -> Q:
        """The organisation at ``prefix`` is in scope: an IN over the (small) organisation
        table. Only a wide scope's dossier counts on SQLite join on the path instead, since
        SQLite would read the dossiers through the organisation index; elsewhere the OR of path
        tests over three joined organisations keeps PostgreSQL from filtering before it joins
        (award tables 1.25–1.46× their raw SQL at 500,000 nominees; with the IN 0.8–1.0×)."""
        if self.wide and rows_are_dossiers and connection.vendor == "sqlite":
            return _under(prefix, self.roots)
        return Q(**{f"{prefix}__in": self.organisations})

    # --- one condition per kind of row -------------------------------------------------------

    def register(self) -> Q:
        """Lines of the award register: by the unit that proposed them, or the movement. A line
        imported from an old list names no unit and is counted for administrators only."""
        if self.everything:
            return Q()
        return self.units("nominee__dossier__organisation") | Q(movement__in=self.served)

    def dossiers(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()

        def q(**kwargs):
            return Q(**{prefix + key: value for key, value in kwargs.items()})

        sent = q(round__gt=0) | q(state="decided_by_unit") | q(organisation__in=self.own_units)
        return (self.units(prefix + "organisation", rows_are_dossiers=True)
                | q(movement__in=self.served)) & sent

    def awards(self) -> Q:
        """Lines of issued decisions (for the cash)."""
        if self.everything:
            return Q()
        return (self.units("nominee__dossier__organisation")
                | Q(decision__movement__in=self.served))

    def movements(self) -> Q:
        """Movements for form 0601: those issued by an organisation in scope."""
        if self.everything:
            return Q()
        return self.units("issuer")


def chosen_units(filters: Filters) -> QuerySet | None:
    """The ids of the organisations the filter names (each with its subtree and predecessors),
    or None when it names none."""
    if not filters.organisations:
        return None
    return _with_predecessors(
        Organisation.objects.subtrees(list(filters.organisations))).values("pk")


def period(q_field: str, filters: Filters) -> Q:
    """Rows whose ``q_field`` day falls in the filter's period."""
    condition = Q()
    if filters.date_from:
        condition &= Q(**{f"{q_field}__gte": filters.date_from})
    if filters.date_to:
        condition &= Q(**{f"{q_field}__lte": filters.date_to})
    return condition
