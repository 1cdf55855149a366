"""Search on the portal and inside the product (tìm kiếm), over exemplars, nominees and
organisations, with or without diacritics ("duc xuan" finds "Đức Xuân").

One page, three sections, each ranked and paged on its own (``?trang=``, ``?trang-dv=``,
``?trang-hs=``), each a constant number of queries whatever the size of the tables:
- exemplars: the full-text index of ``thidua.exemplars.search`` over what the visitor may see
  (anonymous: public ones only);
- organisations: their names folded in SQL (``THIDUA_FOLD``), names starting with the words first;
- nominees: only for signed-in users, in the dossiers they may see, on the folded name and unit
  columns; never on a public page.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.shortcuts import render

from thidua.core.paging import Page, page_of
from thidua.exemplars.models import Exemplar
from thidua.exemplars.search import Folded, parse, ranked_ids
from thidua.nominations.models import Dossier, Nominee
from thidua.orgs.models import Organisation

EXEMPLARS_PER_PAGE = 10
OTHERS_PER_PAGE = 10


def _url(request, param, number):
    query = request.GET.copy()
    query.pop(param, None)
    if number > 1:
        query[param] = str(number)
    return f"?{query.urlencode()}"


def _page_number(request, param) -> int:
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


def exemplar_page(request, query, param="trang") -> Page:
    """The ranked page of exemplars the visitor may see: one query for the ids, one for rows."""
    number = _page_number(request, param)
    offset = (number - 1) * EXEMPLARS_PER_PAGE
    ids = ranked_ids(Exemplar.objects.visible_to(request.user), query, offset=offset,
                     limit=EXEMPLARS_PER_PAGE + 1)
    shown = ids[:EXEMPLARS_PER_PAGE]
    rows = Exemplar.objects.select_related("organisation").in_bulk(shown) if shown else {}
    page = Page(rows=[rows[i] for i in shown if i in rows], number=number, start=offset + 1)
    if len(ids) > EXEMPLARS_PER_PAGE:
        page.next_url = _url(request, param, number + 1)
    if number > 1 and ids:
        page.previous_url = _url(request, param, number - 1)
    if number > 1 and not ids:
        page.first_url = _url(request, param, 1)
    return page


def organisations(query):
    folded = Folded("name")
    qs = Organisation.objects.active_on().annotate(folded=folded)
    for term in query.terms:
        qs = qs.filter(folded__contains=term)
    first = query.terms[0]
    return qs.annotate(rank=Case(
        When(folded__startswith=first, then=Value(0)),
        When(folded__contains=f" {first}", then=Value(1)),
        default=Value(2), output_field=IntegerField())).order_by("rank", "path")


def nominees(user, query):
    if not user.is_authenticated:
        return Nominee.objects.none()
    visible = Dossier.objects.visible_to(user).filter(pk=OuterRef("dossier_id"))
    qs = Nominee.objects.filter(Exists(visible)).select_related("dossier", "dossier__organisation")
    for term in query.terms:
        qs = qs.filter(Q(name_folded__contains=term) | Q(unit_folded__contains=term))
    first = query.terms[0]
    return qs.annotate(rank=Case(
        When(name_folded__startswith=first, then=Value(0)),
        When(name_folded__contains=first, then=Value(1)),
        default=Value(2), output_field=IntegerField())).order_by("rank", "-pk")


def search(request):
    query = parse(request.GET.get("q"))
    context = {"query": query, "searched": bool(query)}
    if query:
        context.update(
            exemplars=exemplar_page(request, query),
            organisations=page_of(request, organisations(query), size=OTHERS_PER_PAGE,
                                  param="trang-dv"),
            nominees=page_of(request, nominees(request.user, query), size=OTHERS_PER_PAGE,
                             param="trang-hs") if request.user.is_authenticated else None,
        )
    return render(request, "home/portal/search.html", context,
                  status=400 if query.error else 200)
