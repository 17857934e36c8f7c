"""SMS through an HTTP gateway (a brandname SMS provider).

Request: POST SMS_GATEWAY_URL, `Authorization: Bearer SMS_GATEWAY_TOKEN`, JSON
{"to": "+849…", "from": SMS_SENDER, "text": …, "reference": message code}.
Answer: JSON {"id": "…"} (the provider's id, which delivery callbacks name). Providers
differ; an adapter for another one is a subclass overriding `payload` and `provider_id`.
"""

from django.conf import settings

from hienmau.outreach.channels import Transport, TransportError
from hienmau.outreach.channels.http import post_json


class SmsGatewayTransport(Transport):
    channel = "sms"

    def payload(self, message) -> dict:
        return {"to": message.address, "from": settings.SMS_SENDER, "text": message.body,
                "reference": str(message.code)}

    def provider_id(self, answer: dict) -> str:
        if answer.get("error"):
            raise TransportError(str(answer.get("error")), permanent=True)
        return str(answer.get("id") or answer.get("message_id") or "")

    def send(self, message) -> str:
        answer = post_json(settings.SMS_GATEWAY_URL, self.payload(message),
                           {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"})
        return self.provider_id(answer)
