"""The search indexes, per database (see thidua.exemplars.search): SQLite's FTS5 table kept by
triggers, PostgreSQL's GIN index over the folded columns; and THIDUA_FOLD on PostgreSQL (SQLite
gets it from the app on every connection)."""

from django.db import migrations

from thidua.exemplars.search import postgres_fold_function_sql

SQLITE = [
    "CREATE VIRTUAL TABLE exemplars_exemplar_fts USING fts5(search_title, search_body, "
    "content='exemplars_exemplar', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER exemplars_exemplar_fts_insert AFTER INSERT ON exemplars_exemplar BEGIN "
    "INSERT INTO exemplars_exemplar_fts(rowid, search_title, search_body) "
    "VALUES (new.id, new.search_title, new.search_body); END",
    "CREATE TRIGGER exemplars_exemplar_fts_delete AFTER DELETE ON exemplars_exemplar BEGIN "
    "INSERT INTO exemplars_exemplar_fts(exemplars_exemplar_fts, rowid, search_title, search_body) "
    "VALUES ('delete', old.id, old.search_title, old.search_body); END",
    "CREATE TRIGGER exemplars_exemplar_fts_update AFTER UPDATE OF search_title, search_body "
    "ON exemplars_exemplar BEGIN "
    "INSERT INTO exemplars_exemplar_fts(exemplars_exemplar_fts, rowid, search_title, search_body) "
    "VALUES ('delete', old.id, old.search_title, old.search_body); "
    "INSERT INTO exemplars_exemplar_fts(rowid, search_title, search_body) "
    "VALUES (new.id, new.search_title, new.search_body); END",
    "INSERT INTO exemplars_exemplar_fts(exemplars_exemplar_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS exemplars_exemplar_fts_insert",
    "DROP TRIGGER IF EXISTS exemplars_exemplar_fts_delete",
    "DROP TRIGGER IF EXISTS exemplars_exemplar_fts_update",
    "DROP TABLE IF EXISTS exemplars_exemplar_fts",
]
POSTGRES = [
    postgres_fold_function_sql(),
    "CREATE INDEX exemplar_search_gin ON exemplars_exemplar USING gin "
    "((to_tsvector('simple', search_title) || to_tsvector('simple', search_body)))",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS exemplar_search_gin",
    "DROP FUNCTION IF EXISTS THIDUA_FOLD(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("exemplars", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
