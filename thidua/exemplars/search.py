"""Search over exemplars, the same on SQLite and PostgreSQL, with or without diacritics.

Both databases index text that is already folded by :func:`thidua.core.text.fold` ("Đức Xuân" →
"duc xuan": FTS5's ``remove_diacritics`` and PostgreSQL's ``unaccent`` both leave "đ" alone) and
reduced to words separated by spaces, so their tokenisers see the same words:

- SQLite: an FTS5 table (``exemplars_exemplar_fts``, ``unicode61 remove_diacritics 2``, prefix
  indexes) over ``search_title`` and ``search_body``, kept by triggers (migration 0002); ranked
  by ``bm25`` with the title weighing ten times the body.
- PostgreSQL: a GIN index over ``to_tsvector('simple', …)`` of the same columns; ranked by
  ``ts_rank`` with the title weighted A and the body B.

A query is the folded words of what was typed, each a prefix ("duc xu" finds "Đức Xuân"), all
required. Input is bounded (:func:`parse`): too long, or no letter or digit, gets a clear message.

``THIDUA_FOLD(text)`` is the fold as an SQL function on both databases (a Python function given to
each SQLite connection; a ``translate`` over the Vietnamese letters on PostgreSQL), for tables
that have no folded column of their own (organisations' names).
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Func, TextField
from django.utils.translation import gettext_lazy as _

from thidua.core.text import fold

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
TOO_LONG = _("Từ khóa tìm kiếm quá dài: tối đa %(limit)s ký tự.")
NO_WORDS = _("Hãy nhập từ khóa có chữ hoặc số (ví dụ: “người tốt việc tốt”).")
FTS_TABLE = "exemplars_exemplar_fts"
_WORD = re.compile(r"\w+")

# The letters fold() changes, for PostgreSQL's translate(): NFC Vietnamese, both cases.
VIETNAMESE = ("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
              "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ")
ASCII = "".join(fold(ch) for ch in VIETNAMESE)


def index_words(*texts) -> str:
    """The words of ``texts``, folded, separated by single spaces: what both indexes read."""
    return " ".join(_WORD.findall(fold(" ".join(t for t in texts if t))))


@dataclass(frozen=True)
class Query:
    text: str  # what was typed, trimmed, for the page
    terms: tuple[str, ...] = ()
    error: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse(raw) -> Query:
    """What the person typed, as folded terms, or the reason it cannot be searched."""
    raw = raw or ""
    if len(raw) > MAX_QUERY_CHARS:
        return Query(text="", error=str(TOO_LONG % {"limit": MAX_QUERY_CHARS}))
    text = " ".join(raw.split())
    if not text:
        return Query(text="")
    terms = tuple(dict.fromkeys(_WORD.findall(fold(text).replace("_", " "))))[:MAX_TERMS]
    if not terms:
        return Query(text=text, error=str(NO_WORDS))
    return Query(text=text, terms=terms)


class Folded(Func):
    """``THIDUA_FOLD(expression)``: the expression without diacritics, lower case."""

    function = "THIDUA_FOLD"
    output_field = TextField()


def register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("THIDUA_FOLD", 1, _fold_or_none, deterministic=True)


def _fold_or_none(value):
    return None if value is None else fold(value)


def postgres_fold_function_sql() -> str:
    return (
        "CREATE OR REPLACE FUNCTION THIDUA_FOLD(value text) RETURNS text AS $$ "
        f"SELECT lower(translate(value, '{VIETNAMESE}', '{ASCII}')) "
        "$$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
    )


def _where_of(queryset):
    """The WHERE clause of ``queryset`` over its own table (no joins: visibility is written with
    Exists() subqueries), to put beside the full-text match; None when it has joins."""
    query = queryset.query
    if len([a for a, join in query.alias_map.items() if join.join_type]) > 0:
        return None
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where) if query.where else ("", [])
    return sql, list(params)


def ranked_ids(queryset, query: Query, *, offset: int, limit: int) -> list[int]:
    """Ids of ``queryset``'s exemplars matching ``query``, best first, rows ``offset`` to
    ``offset + limit``. One query."""
    if not query:
        return []
    table = queryset.model._meta.db_table
    where = _where_of(queryset)
    if where is None:
        inner, inner_params = queryset.values("pk").query.sql_with_params()
        condition, params = f'"{table}"."id" IN ({inner})', list(inner_params)
    else:
        condition, params = where
    condition = f"AND ({condition})" if condition else ""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in query.terms)
        sql = (
            f'SELECT "{table}"."id" FROM "{table}" '  # noqa: S608 - names are constants; values are parameters
            f"WHERE (to_tsvector('simple', \"{table}\".search_title) || "
            f"to_tsvector('simple', \"{table}\".search_body)) @@ to_tsquery('simple', %s) "
            f"{condition} "
            f"ORDER BY ts_rank(setweight(to_tsvector('simple', \"{table}\".search_title), 'A') || "
            f"setweight(to_tsvector('simple', \"{table}\".search_body), 'B'), "
            f"to_tsquery('simple', %s)) DESC, \"{table}\".id DESC LIMIT %s OFFSET %s"
        )
        all_params = [tsquery, *params, tsquery, limit, offset]
    else:
        match = " ".join(f'"{term}"*' for term in query.terms)
        sql = (
            f'SELECT "{table}"."id" FROM {FTS_TABLE} JOIN "{table}" '  # noqa: S608 - names are constants; values are parameters
            f'ON "{table}"."id" = {FTS_TABLE}.rowid '
            f"WHERE {FTS_TABLE} MATCH %s {condition} "
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0), \"{table}\".id DESC LIMIT %s OFFSET %s"
        )
        all_params = [match, *params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return [row[0] for row in cursor.fetchall()]


def bare_search_sql(query: Query, limit: int = 20):
    """The full-text query alone (no visibility, no rows fetched): the floor of the benchmark."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in query.terms)
        return ("SELECT id FROM exemplars_exemplar WHERE (to_tsvector('simple', search_title) || "
                "to_tsvector('simple', search_body)) @@ to_tsquery('simple', %s) LIMIT %s",
                [tsquery, limit])
    match = " ".join(f'"{term}"*' for term in query.terms)
    return (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608 - names are constants; values are parameters
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0) LIMIT %s", [match, limit])
