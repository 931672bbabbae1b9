"""A GIN index on `title || body` of Wagtail's search index entries, on PostgreSQL only: the
search matches that combined vector, which the GIN indexes on `title` and on `body` alone
cannot answer (modelsearch's model mentions such an index, but no migration creates it), so
every search read every index entry. With it, a ranked search finds its candidates from the
index (portal/search/postgres.py, docs/search.md); `test_search` checks the plan uses it."""

from django.db import migrations

INDEX = "portal_search_title_body"
TABLE = "wagtailsearch_indexentry"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "{TABLE}" USING gin (("title" || "body"))'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_login_failure_reset_code"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
