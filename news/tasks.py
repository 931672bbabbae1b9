from django_tasks import task

from news.services import page_views_flush


@task()
def flush_page_views() -> int:
    return page_views_flush()
