"""Pages of a list without counting it (phân trang).

Two ways, both reading one row more than they show to know whether there is a next page, and
neither running ``COUNT(*)`` — a count of a large table costs as much as reading it:

- :func:`page_of`, ``?trang=N``: a numbered page, by offset. For lists that stay small enough
  for ``OFFSET`` (one dossier's nominees, a search's results).
- :func:`keyset_page`, ``?sau=<id>`` (older than) / ``?truoc=<id>`` (newer than): newest first
  by primary key, each page starting where the last one ended — for lists that grow without
  bound (the activity log, the register, decisions, dossiers, public disclosures); the cost of a
  page does not depend on how far back it is.

A page number past the end, or a cursor that is not a number, shows an empty page (or the first
one) with a way back, never an error.
"""

from dataclasses import dataclass, field

PAGE_SIZE = 50
CURSOR_PARAMS = ("trang", "sau", "truoc")


def _url(request, **params) -> str:
    query = request.GET.copy()
    for name in CURSOR_PARAMS:
        query.pop(name, None)
    for name, value in params.items():
        if value is not None:
            query[name] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass
class Page:
    rows: list = field(default_factory=list)
    number: int | None = None  # the page number of a numbered page; None for a keyset page
    start: int = 1  # the position of the first row (numbered pages), for an STT column
    next_url: str = ""
    previous_url: str = ""
    first_url: str = ""  # back to the start, when a page past the end came up empty
    keyset: bool = False

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)

    @property
    def has_next(self) -> bool:
        return bool(self.next_url)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_url)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous or bool(self.first_url)


def page_of(request, queryset, size: int = PAGE_SIZE, param: str = "trang") -> Page:
    """Rows ``(N-1)·size`` to ``N·size`` of ``queryset`` for ``?trang=N`` (1 when absent or not
    a number); a page past the end is empty and links back to the first."""
    number = _int(request.GET.get(param)) or 1
    offset = (number - 1) * size
    rows = list(queryset[offset:offset + size + 1])
    page = Page(rows=rows[:size], number=number, start=offset + 1)
    if len(rows) > size:
        page.next_url = _url(request, **{param: number + 1})
    if number > 1 and rows:
        page.previous_url = _url(request, **({param: number - 1} if number > 2 else {}))
    if number > 1 and not rows:
        page.first_url = _url(request)
    return page


def keyset_page(request, queryset, size: int = PAGE_SIZE) -> Page:
    """Newest first by primary key: ``?sau=<pk>`` the rows older than ``pk``, ``?truoc=<pk>``
    the rows newer than it (the page before). The primary key's index serves every page."""
    after = _int(request.GET.get("sau"))
    before = _int(request.GET.get("truoc"))
    if before and not after:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[:size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        page = Page(rows=rows, keyset=True)
        if rows:
            page.next_url = _url(request, sau=rows[-1].pk)
            if more_newer:
                page.previous_url = _url(request, truoc=rows[0].pk)
        else:
            page.first_url = _url(request)
        return page
    ordered = queryset.order_by("-pk")
    rows = list((ordered.filter(pk__lt=after) if after else ordered)[:size + 1])
    page = Page(rows=rows[:size], keyset=True)
    if len(rows) > size:
        page.next_url = _url(request, sau=page.rows[-1].pk)
    if after and page.rows:
        page.previous_url = _url(request, truoc=page.rows[0].pk)
    if after and not page.rows:
        page.first_url = _url(request)
    return page
