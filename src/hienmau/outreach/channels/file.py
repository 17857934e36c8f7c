"""The local channel: SMS and Zalo messages appended to var/outbox/<channel>.log, so a
developer sees what would have gone out and nothing leaves the machine."""

from django.conf import settings
from django.utils import timezone

from hienmau.outreach.channels import Transport


class FileTransport(Transport):
    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message) -> str:
        folder = settings.VAR_DIR / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{self.channel}.log", "a", encoding="utf-8") as log:
            log.write(f"--- {timezone.localtime():%d/%m/%Y %H:%M:%S} → {message.address}\n"
                      f"{message.body}\n")
        return f"file-{message.code}"
