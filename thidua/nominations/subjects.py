"""Which subject (đối tượng khen thưởng) a new nominee or register line belongs to.

One rule, used by adding a nominee, correcting one, importing a list and importing the old
award register (docs/decisions.md, "Automatic subject matching is conservative"): a line is
attached to an existing subject only when **exactly one** subject has the same kind, the same
folded name (case and diacritics ignored, "Đỗ Đức Đạt" = "do duc dat"), the same birth year
(both empty counts as the same) and the same folded unit. No match, or two or more, gives a new
subject: wrongly merged histories are worse than a duplicate, which the officer sees warned and
links or separates by hand.

Within one batch, lines with the same identity share one subject, exactly as if they had been
added one after the other (the second then finds the first). An old register line has no kind
column: its kind is unknown (``None``), it is matched on the rest of the identity alone, and a
new subject made for it is an individual when a birth year is given, else a collective.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from thidua.core.text import fold
from thidua.nominations.choices import NomineeKind
from thidua.nominations.models import Subject


@dataclass(frozen=True)
class Identity:
    """Who a line names. ``gender`` is not part of the match; a new subject takes it."""

    kind: str | None  # NomineeKind value, or None when the source does not say
    name: str
    birth_year: int | None = None
    unit: str = ""
    gender: str = ""


def _key(kind, name_folded, birth_year, unit_folded):
    return kind, name_folded, birth_year, unit_folded


# Keys looked up per query (three parameters each: well under both databases' limits).
KEYS_PER_QUERY = 1000


def _existing(keys) -> Iterable[Subject]:
    """Subjects with exactly one of ``keys`` (folded name, birth year or 0, folded unit).

    The keys are joined as a VALUES list (a CTE both databases read), so each key is one seek in
    the ``subject_identity`` index: the cost follows the list, never the register's size (a
    common name shared by thousands of people costs nothing more). Building the same condition
    as an OR of ``Q`` objects cost more Python than the query itself (0.7 s for 5,000 lines)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"s.{quote(Subject._meta.get_field(name).column)}" for name in (
        "id", "kind", "name", "name_folded", "birth_year", "unit_name", "unit_folded", "gender",
        "organisation"))
    dated = [key for key in keys if key[1]]
    undated = [(name, unit) for name, year, unit in keys if not year]
    yield from _seek(dated, "n, y, u", "s.birth_year = k.y", columns)
    yield from _seek(undated, "n, u", "s.birth_year IS NULL", columns)


def _seek(keys, names: str, year: str, columns: str) -> Iterable[Subject]:
    """Subjects joined to ``keys`` (a VALUES list of ``names``) on the folded name and unit,
    and on ``year``'s condition, a thousand keys a query."""
    table = connection.ops.quote_name(Subject._meta.db_table)
    width = len(names.split(","))
    row = f"({', '.join(['%s'] * width)})"
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start:start + KEYS_PER_QUERY]
        yield from Subject.objects.raw(
            f"WITH k({names}) AS (VALUES {', '.join([row] * len(chunk))}) "  # noqa: S608 - names from the model; values are parameters
            f"SELECT {columns} FROM k JOIN {table} s ON s.name_folded = k.n "
            f"AND s.unit_folded = k.u AND {year}",
            [value for key in chunk for value in key])


def match_subjects(identities: Iterable[Identity], organisation=None) -> list[Subject]:
    """The subject of each identity, in order: the one existing subject that matches, or a new
    unsaved one (give the result to :func:`save_new`). One indexed query per 1,000 lines, whatever
    the size of the register.

    ``organisation`` is the organisation a new subject belongs to (the proposing unit; none for
    the old register)."""
    identities = list(identities)
    folded = [(fold(i.name), fold(i.unit)) for i in identities]
    exact: dict[tuple, list[Subject]] = {}
    any_kind: dict[tuple, list[Subject]] = {}
    wanted = sorted({(name, i.birth_year or 0, unit)
                     for i, (name, unit) in zip(identities, folded, strict=True)})
    for subject in _existing(wanted):
        key = _key(subject.kind, subject.name_folded, subject.birth_year, subject.unit_folded)
        exact.setdefault(key, []).append(subject)
        any_kind.setdefault(key[1:], []).append(subject)
    made: dict[tuple, Subject] = {}
    result = []
    for identity, (name_folded, unit_folded) in zip(identities, folded, strict=True):
        if identity.kind is None:
            found = any_kind.get((name_folded, identity.birth_year, unit_folded), [])
        else:
            found = exact.get(_key(identity.kind, name_folded, identity.birth_year, unit_folded),
                              [])
        if len(found) == 1:
            result.append(found[0])
            continue
        kind = identity.kind or (NomineeKind.INDIVIDUAL if identity.birth_year
                                 else NomineeKind.COLLECTIVE)
        batch_key = (identity.kind, name_folded, identity.birth_year, unit_folded)
        if batch_key not in made:
            made[batch_key] = Subject(
                kind=kind, name=identity.name, birth_year=identity.birth_year,
                gender=identity.gender, unit_name=identity.unit, organisation=organisation,
                name_folded=name_folded, unit_folded=unit_folded)
        result.append(made[batch_key])
    return result


def save_new(subjects: Iterable[Subject]) -> None:
    """Insert the unsaved subjects among ``subjects`` (each once), in bulk."""
    new = list({id(s): s for s in subjects if s.pk is None}.values())
    # bulk_create skips Subject.save(): the folded fields were set by match_subjects.
    Subject.objects.bulk_create(new, batch_size=1000)


def subject_for(identity: Identity, organisation=None) -> Subject:
    """The subject of one line, saved."""
    [subject] = match_subjects([identity], organisation)
    save_new([subject])
    return subject
