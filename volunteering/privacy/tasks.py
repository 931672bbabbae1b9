"""Background work of account closures (django-tasks)."""

from django_tasks import task

from volunteering.privacy.services import user_sessions_end


@task()
def end_sessions(user_pk: int) -> int:
    return user_sessions_end(user_pk=user_pk)
