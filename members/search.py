"""Partial-name search that an index answers, on PostgreSQL and on SQLite.

- PostgreSQL: ``icontains`` compares ``UPPER(name) LIKE UPPER('%…%')``; pg_trgm GIN indexes on exactly
  those expressions (migration 0005) answer it for any term of three characters or more. A term without
  case (Chinese, digits: ``caseless``) is compared as written, ``name LIKE '%…%'``, which a trigram index
  on the name itself answers (migration 0011): smaller, and cheaper to read.
- SQLite: an FTS5 table with the trigram tokenizer (``members_organisation_fts``) answers terms of three
  characters or more; it is kept in sync by triggers. Django rebuilds a SQLite table to alter it (and
  the rebuild drops the table's triggers), so ``ensure_sqlite_index`` runs after every ``migrate`` and
  puts back triggers that a later migration removed, rebuilding the index when it had to.
- Shorter terms (one or two Chinese characters) have no trigram: a plain LIKE, which both databases
  answer by reading the names in sort order until a page is full.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.db.models.lookups import Contains

FTS_TABLE = "members_organisation_fts"
MIN_INDEXED = 3  # trigram indexes need three characters

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS members_organisation_fts USING fts5(name, name_en, "
    "content='members_organisation', content_rowid='id', tokenize='trigram')"
)
# Trigger name -> statement (literal SQL: nothing here comes from input).
SQLITE_TRIGGERS = {
    "members_organisation_fts_ai":
        "CREATE TRIGGER members_organisation_fts_ai AFTER INSERT ON members_organisation BEGIN "
        "INSERT INTO members_organisation_fts(rowid, name, name_en) VALUES (new.id, new.name, new.name_en); END",
    "members_organisation_fts_ad":
        "CREATE TRIGGER members_organisation_fts_ad AFTER DELETE ON members_organisation BEGIN "
        "INSERT INTO members_organisation_fts(members_organisation_fts, rowid, name, name_en) "
        "VALUES ('delete', old.id, old.name, old.name_en); END",
    "members_organisation_fts_au":
        "CREATE TRIGGER members_organisation_fts_au AFTER UPDATE OF name, name_en ON members_organisation BEGIN "
        "INSERT INTO members_organisation_fts(members_organisation_fts, rowid, name, name_en) "
        "VALUES ('delete', old.id, old.name, old.name_en); "
        "INSERT INTO members_organisation_fts(rowid, name, name_en) VALUES (new.id, new.name, new.name_en); END",
}
SQLITE_MATCH = "SELECT rowid FROM members_organisation_fts WHERE members_organisation_fts MATCH %s"
SQLITE_REBUILD = "INSERT INTO members_organisation_fts(members_organisation_fts) VALUES ('rebuild')"


# Characters that have no case (no upper or lower form, in Python or in PostgreSQL's upper()):
# letters of scripts without case (Han, kana, Hangul: category Lo), decimal digits, punctuation, spaces.
_CASELESS_CATEGORIES = {"Lo", "Nd", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs"}


def caseless(text: str) -> bool:
    """True when no character of ``text`` has a case, so that ``UPPER(name) LIKE UPPER('%text%')`` and
    ``name LIKE '%text%'`` find the same names. Any letter of a cased script (Latin, Greek, Cyrillic,
    circled letters...) makes it False, and such a term keeps the case-insensitive comparison."""
    return all(unicodedata.category(ch) in _CASELESS_CATEGORIES and ch.upper() == ch == ch.lower() for ch in text)


def name_q(text: str) -> Q:
    """Organisations whose Chinese or English name contains ``text`` (any case).

    A term with Chinese characters is not looked for in the English names (one index read saved).
    """
    ascii_term = text.isascii()
    if connection.vendor == "sqlite":
        if len(text) >= MIN_INDEXED:
            phrase = '"' + text.replace('"', '""') + '"'  # one FTS5 string: a substring, not a query language
            return Q(id__in=RawSQL(SQLITE_MATCH, [phrase]))  # noqa: S611 - a constant statement, the term a parameter
        return Q(name__icontains=text) | Q(name_en__icontains=text) if ascii_term else Q(name__contains=text)
    if len(text) >= MIN_INDEXED:
        if not ascii_term and caseless(text):  # upper-casing changes nothing: a plain LIKE, on the name's own
            return Q(name__contains=text)  # index (an ASCII term, digits say, is looked for in English names too)
        return Q(name__icontains=text) | Q(name_en__icontains=text) if ascii_term else Q(name__icontains=text)
    # Too short for a trigram: a GIN index would be read whole (much slower than reading the names in
    # sort order until a page is full), so compare expressions the trigram indexes do not cover.
    if not ascii_term:
        return Q(name__contains=text)  # Chinese has no case: plain LIKE, no UPPER() per row
    lowered = text.lower()
    return Q(Contains(Lower("name"), lowered)) | Q(Contains(Lower("name_en"), lowered))


def ensure_sqlite_index(using: str = "default", **kwargs: Any) -> None:
    """Create the FTS5 table and its triggers where missing; rebuild the index if any trigger was missing."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if "members_organisation" not in present:
            return
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        if FTS_TABLE in present and not missing:
            return
        cursor.execute(SQLITE_TABLE)
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        cursor.execute(SQLITE_REBUILD)


def drop_sqlite_index(using: str = "default") -> None:
    from django.db import connections

    with connections[using].cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute("DROP TRIGGER IF EXISTS " + connections[using].ops.quote_name(name))
        cursor.execute("DROP TABLE IF EXISTS members_organisation_fts")
