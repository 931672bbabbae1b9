"""Background work for news. Enqueued through `transaction.on_commit`; it only calls a service."""

from django_tasks import task

from news.services import page_views_flush


@task()
def flush_page_views() -> int:
    """Move pending view counts to the database (enqueued at most once per
    NEWS_VIEW_FLUSH_SECONDS by a counted view; cron runs the `flush_page_views` command too)."""
    return page_views_flush()
