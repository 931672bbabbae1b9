"""An index on Wagtail's `wagtailcore_page.url_path` (Wagtail has none): the public site finds the
page of a URL by it, in one query for the whole path (portal/routing.py), which read the whole
page table without it (about 6,000 pages at city scale, on every request). A later Wagtail
migration that rebuilds the table on SQLite would drop it: `test_routing` checks it is there."""

from django.db import migrations

INDEX = "portal_page_url_path"


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_login_failures"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "wagtailcore_page" ("url_path")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        ),
    ]
