"""Sending as background tasks (django-tasks, the database worker): ids only, the rows
re-read and claimed by `outbox.send_one`."""

from django_tasks import task

from hienmau.outreach import outbox


@task()
def deliver(message_ids: list[int]) -> None:
    for message_id in message_ids:
        outbox.send_one(message_id)
