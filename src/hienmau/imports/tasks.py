"""The import's two steps as background tasks, for lists too long to check or write
within a request (settings.IMPORT_BACKGROUND_ROWS). The page polls the record's
status and progress; the result stays on the record for the user to come back to."""

from django_tasks import task

from hienmau.imports import runner


@task()
def validate_import(import_id: int) -> None:
    runner.validate(import_id)


@task()
def write_import(import_id: int, user_id: int) -> None:
    runner.write(import_id, user_id)
