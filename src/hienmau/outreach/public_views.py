"""Pages and endpoints without login: a message's opt-out link and an appeal's answer
link (both carry a signed token naming the message), and the providers' callbacks
(delivery reports, inbound SMS), which carry OUTREACH_CALLBACK_TOKEN."""

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hienmau.outreach import appeals, consent, outbox
from hienmau.outreach.models import Answer, AppealStatus, Channel, Message


def _message(token: str) -> Message:
    code = consent.message_code(token)
    message = code and Message.objects.select_related(
        "donor", "mailing__sender", "mailing__appeal").filter(code=code).first()
    if not message:
        raise Http404(_("Liên kết không đúng hoặc đã hết hiệu lực."))
    return message


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts without our cookie
def opt_out(request, token):
    """GET asks (mail scanners open links); POST withdraws that channel's consent."""
    message = _message(token)
    done = False
    if request.method == "POST":
        consent.withdraw(message.donor, message.channel)
        done = True
    others = [c for c in consent.PURPOSES if c != message.channel]
    standing = consent.consented([message.donor_id], list(consent.PURPOSES)).get(
        message.donor_id, set())
    return render(request, "outreach/opt_out.html", {
        "message": message, "done": done, "channel": message.get_channel_display(),
        "standing": message.channel in standing,
        # The channels the person still receives on: unchanged by this page.
        "others": [Channel(c).label for c in others if c in standing]})


def answer(request, token):
    message = _message(token)
    appeal = message.mailing.appeal
    if appeal is None:
        raise Http404(_("Liên kết không đúng hoặc đã hết hiệu lực."))
    response = None
    if request.method == "POST" and request.POST.get("answer") in Answer.values:
        if appeal.status == AppealStatus.OPEN or request.POST["answer"] == Answer.NO:
            response = appeals.respond(message, request.POST["answer"])
        appeal.refresh_from_db()
    existing = response or appeal.responses.filter(donor=message.donor).first()
    words = message.donor.full_name.split()
    # Nothing personal on this page beyond the person's own given name (whoever holds
    # the link sees it).
    return render(request, "outreach/answer.html",
                  {"appeal": appeal, "response": existing, "answered": response is not None,
                   "given_name": words[-1] if words else "",
                   "is_open": appeal.status == AppealStatus.OPEN})


def _token_ok(request) -> bool:
    expected = settings.OUTREACH_CALLBACK_TOKEN
    # In a header only: a query string ends up in every access log on the way.
    given = request.headers.get("X-Hienmau-Token", "")
    return bool(expected) and hmac.compare_digest(given, expected)


def _payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


@csrf_exempt
@require_POST
def delivery_callback(request, channel):
    """A provider reports a message's fate: {"id" (or "msg_id"), "status"}."""
    if not _token_ok(request):
        return HttpResponse(status=403)
    if channel not in consent.PURPOSES:
        raise Http404
    data = _payload(request)
    found = outbox.record_delivery(channel, str(data.get("id") or data.get("msg_id") or ""),
                                   str(data.get("status") or data.get("event_name") or ""))
    return JsonResponse({"ok": found}, status=200 if found else 404)


@csrf_exempt
@require_POST
def inbound_sms(request):
    """An SMS people sent to the gateway's number: {"from", "text"}. The opt-out keyword
    withdraws SMS consent for that phone."""
    if not _token_ok(request):
        return HttpResponse(status=403)
    data = _payload(request)
    opted_out = consent.opt_out_by_keyword(str(data.get("from", "")), str(data.get("text", "")))
    return JsonResponse({"opted_out": opted_out})
