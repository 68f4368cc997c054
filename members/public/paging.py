"""Keyset pages for the HTML register: a deep page costs what the first page costs, and inserts never
shift a reader's next page.

A page is "the rows after (value, id)" (or before, going back) in the register's ordering; every ordering
ends with ``id``, so the position is exact. The cursor in the URL is an opaque token holding that
position, the direction and the page number shown to the reader.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.query import NamedValuesListIterable
from django.db.models.utils import create_namedtuple_class

from members.core.compiled import Compiled
from members.core.middleware import has_unstorable


@dataclass(frozen=True)
class Cursor:
    value: Any
    pk: int
    before: bool = False  # True: the page that ends just before this row (the "previous" link)
    number: int = 2

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        raw = json.dumps([value, self.pk, int(self.before), self.number], ensure_ascii=False, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_BIGINT = 2**63


def decode_cursor(token: str | None, value_is_date: bool) -> Cursor | None:
    """The position in ``token``, or None (first page) for a missing, damaged or foreign token."""
    if not token or len(token) > 2048:
        return None
    try:
        value, pk, before, number = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if value_is_date:
            value = date.fromisoformat(value)
        elif not isinstance(value, str):
            return None
        if not isinstance(pk, int) or not isinstance(number, int) or number < 1:
            return None
        if not -_BIGINT <= pk < _BIGINT or number >= _BIGINT or has_unstorable(value):
            return None  # nothing the database could compare: an id beyond its integers, NUL, a lone surrogate
        return Cursor(value, pk, bool(before), number)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class KeysetPage:
    object_list: list[Any]
    number: int
    next_cursor: str | None = None
    previous_cursor: str | None = None
    num_pages: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _after(name: str, descending: bool, value: Any, pk: int) -> Q:
    # (f, id) > (v, i) spelled so that both databases use the (f, id) index as a range: f >= v first.
    gt = "lt" if descending else "gt"
    gte = "lte" if descending else "gte"
    return Q(**{f"{name}__{gte}": value}) & (Q(**{f"{name}__{gt}": value}) | Q(**{name: value, f"pk__{gt}": pk}))


def _keyset_query(qs: QuerySet[Any], ordering: tuple[str, str], before: bool | None, value: Any, pk: Any,
                  per_page: int) -> QuerySet[Any]:
    """The ``per_page + 1`` rows of ``qs`` from the start (``before`` None), after (value, pk) or before it."""
    name = ordering[0].lstrip("-")
    descending = ordering[0].startswith("-")
    if before is None:
        return qs.order_by(*ordering)[: per_page + 1]
    if not before:
        return qs.filter(_after(name, descending, value, pk)).order_by(*ordering)[: per_page + 1]
    reverse = tuple(f[1:] if f.startswith("-") else "-" + f for f in ordering)
    return qs.filter(_after(name, not descending, value, pk)).order_by(*reverse)[: per_page + 1]


def _keyset_result(rows: list[Any], cursor: Cursor | None, per_page: int,
                   position: Callable[[Any], tuple[Any, int]]) -> KeysetPage:
    if cursor is None:
        number, more_forward, more_back = 1, len(rows) > per_page, False
        rows = rows[:per_page]
    elif not cursor.before:
        number, more_forward, more_back = cursor.number, len(rows) > per_page, True
        rows = rows[:per_page]
    else:
        number = max(cursor.number, 1)
        more_back = len(rows) > per_page
        rows = rows[:per_page][::-1]
        more_forward = True
        if not more_back:
            number = 1  # the first page, whatever the link said (rows were inserted or removed meanwhile)
    return _page(rows, number, more_forward, more_back, position)


def keyset_page(qs: QuerySet[Any], ordering: tuple[str, str], cursor: Cursor | None, per_page: int,
                position: Callable[[Any], tuple[Any, int]] | None = None) -> KeysetPage:
    """One page of ``qs`` in ``ordering`` (a column then ``id``), in one query of ``per_page + 1`` rows.

    ``position(row)`` gives a row's (sort value, id) for the cursors: by default the row's attributes,
    so ``qs`` may also yield plain tuples (``values_list``) with a ``position`` that picks them out.
    """
    if position is None:
        name = ordering[0].lstrip("-")

        def position(row: Any) -> tuple[Any, int]:
            return getattr(row, name), row.pk
    before = None if cursor is None else cursor.before
    value, pk = (None, None) if cursor is None else (cursor.value, cursor.pk)
    rows = list(_keyset_query(qs, ordering, before, value, pk, per_page))
    return _keyset_result(rows, cursor, per_page, position)


class KeysetShapes:
    """``keyset_page`` over one fixed queryset (``base()``, always the same query), each ordering,
    direction and page size compiled to SQL once per database (members.core.compiled): the plain
    register's deep pages spent more time building and compiling their query than running it.
    Gives exactly the page ``keyset_page(base(), …)`` gives (tests/public/test_paging.py)."""

    MAX_SHAPES = 64  # 4 orderings x 3 directions x the page sizes offered; more are run uncompiled

    def __init__(self, base: Callable[[], QuerySet[Any]]) -> None:
        self._base = base
        self._shapes: dict[tuple[Any, ...], Compiled[Any]] = {}

    def page(self, ordering: tuple[str, str], cursor: Cursor | None, per_page: int,
             position: Callable[[Any], tuple[Any, int]]) -> KeysetPage:
        if cursor is None:
            key: tuple[Any, ...] = (ordering, None, per_page)
            args: tuple[Any, ...] = ()
        else:
            kind = "date" if isinstance(cursor.value, date) else "str"
            key, args = (ordering, cursor.before, per_page, kind), (cursor.value, cursor.pk)
        compiled = self._shapes.get(key)
        if compiled is None:
            if len(self._shapes) >= self.MAX_SHAPES:
                return keyset_page(self._base(), ordering, cursor, per_page, position)
            before = key[1]
            kinds = () if cursor is None else (key[3], "int")

            def build(value: Any = None, pk: Any = None) -> QuerySet[Any]:
                return _keyset_query(self._base(), ordering, before, value, pk, per_page)

            compiled = self._shapes[key] = Compiled(build, *kinds)
        return _keyset_result(compiled(*args), cursor, per_page, position)


def first_page_with_count(qs: QuerySet[Any], ordering: tuple[str, str], per_page: int, cap: int,
                          sort_at: int) -> tuple[KeysetPage | None, int]:
    """The first page of ``qs`` and how many rows it has (at most ``cap + 1``), in one query.

    ``qs`` is a ``values_list`` with ``id`` first and the sort column at ``sort_at``. The database finds
    at most ``cap + 1`` matching rows in any order (for a search: the rows of its trigram index, never a
    walk of the register in name order looking for them), counts them and sorts only those for the page.
    With more than ``cap`` rows those are not the first ones: the page is None and ``keyset_page`` reads it.
    """
    inner = qs.order_by()[: cap + 1]
    compiler = inner.query.get_compiler(using=inner.db)
    sql, params = compiler.as_sql()
    way = "DESC" if ordering[0].startswith("-") else "ASC"
    # Columns by position: the same order as ``order_by`` on them (collation, where NULLs go).
    wrapped = (f"SELECT * FROM (SELECT m.*, COUNT(*) OVER () FROM ({sql}) m) w "  # noqa: S608 - compiled SQL
               f"ORDER BY {sort_at + 1} {way}, 1 {way} LIMIT {int(per_page) + 1}")
    with connections[inner.db].cursor() as cursor:
        cursor.execute(wrapped, params)
        fetched = cursor.fetchall()
    count = int(fetched[0][-1]) if fetched else 0
    if count > cap:
        return None, count
    named = qs._iterable_class is NamedValuesListIterable
    row_class = create_namedtuple_class(*qs._fields) if named else tuple  # type: ignore[attr-defined]
    rows = [row_class(*row[:-1]) for row in compiler.results_iter(results=[fetched])]
    return _page(rows[:per_page], 1, len(rows) > per_page, False, lambda row: (row[sort_at], row[0])), count


def _page(rows: list[Any], number: int, more_forward: bool, more_back: bool,
          position: Callable[[Any], tuple[Any, int]]) -> KeysetPage:
    page = KeysetPage(rows, number)
    if rows and more_forward:
        page.next_cursor = Cursor(*position(rows[-1]), before=False, number=number + 1).encode()
    if rows and more_back and number > 1:
        page.previous_cursor = Cursor(*position(rows[0]), before=True, number=number - 1).encode()
    return page
