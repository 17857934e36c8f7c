"""Zalo Official Account messages by phone number: Zalo Notification Service (ZNS).

Request: POST ZALO_API_URL (https://business.openapi.zalo.me/message/template), header
`access_token: ZALO_ACCESS_TOKEN`, JSON {"phone": "849…", "template_id": ZALO_TEMPLATE_ID,
"template_data": {"content": …}, "tracking_id": message code}. ZNS sends only templates
Zalo approved: the OA registers one template whose one parameter, `content`, is the text.
Answer: {"error": 0, "data": {"msg_id": "…"}}; a non-zero error is Zalo refusing the
request (unknown phone, template, quota): not retried.
"""

from django.conf import settings

from hienmau.outreach.channels import Transport, TransportError
from hienmau.outreach.channels.http import post_json

# Zalo's error codes that a later try may mend (its servers busy, a rate limit).
RETRYABLE_ERRORS = {-32, -124, -201}


class ZaloTransport(Transport):
    channel = "zalo"

    def send(self, message) -> str:
        answer = post_json(settings.ZALO_API_URL, {
            "phone": message.address.lstrip("+"),
            "template_id": settings.ZALO_TEMPLATE_ID,
            "template_data": {"content": message.body},
            "tracking_id": str(message.code),
        }, {"access_token": settings.ZALO_ACCESS_TOKEN})
        error = answer.get("error", 0)
        if error:
            raise TransportError(f"Zalo {error}: {answer.get('message', '')}",
                                 permanent=error not in RETRYABLE_ERRORS)
        return str((answer.get("data") or {}).get("msg_id", ""))
