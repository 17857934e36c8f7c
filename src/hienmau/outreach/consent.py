"""Who may be messaged on which channel, and the opt-outs every message carries.

A donor gets a message on a channel only with a standing consent for that channel
(`Consent.Purpose.SMS`, `ZALO`, `EMAIL`; Luật 91/2025 Điều 9: consent is specific and
can be withdrawn). The opt-out link of a message withdraws that channel's consent; the
SMS keyword (settings.SMS_OPT_OUT_KEYWORD) withdraws SMS for the number that sent it.
"""

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from hienmau.donors import services as donor_services
from hienmau.donors.models import Consent, Donor
from hienmau.outreach import spans

PURPOSES = {"sms": Consent.Purpose.SMS, "zalo": Consent.Purpose.ZALO,
            "email": Consent.Purpose.EMAIL}
# Phones for SMS and Zalo, the e-mail address for e-mail.
ADDRESS_FIELD = {"sms": "phone", "zalo": "phone", "email": "email"}
OPT_OUT_ACTOR = "Người nhận tin (từ chối nhận tin)"
_SALT = "hienmau.outreach.message"


def consented(donor_ids, channels) -> dict[int, set[str]]:
    """{donor id: channels among `channels` they consented to}, in one query (`donor_ids`
    a list or a `spans.Span`)."""
    wanted = {PURPOSES[c]: c for c in channels}
    result: dict[int, set[str]] = {}
    for donor_id, purpose in Consent.objects.filter(
            **spans.where(donor_ids), purpose__in=list(wanted),
            withdrawn_at__isnull=True).values_list("donor_id", "purpose"):
        result.setdefault(donor_id, set()).add(wanted[purpose])
    return result


def choose_channel(donor: Donor, allowed: set[str], preference: list[str]):
    """The first channel of `preference` the donor consented to and has an address for:
    (channel, address), or None."""
    for channel in preference:
        address = getattr(donor, ADDRESS_FIELD[channel], "")
        if channel in allowed and address:
            return channel, address
    return None


def token(message) -> str:
    return signing.dumps(str(message.code), salt=_SALT, compress=True)


def message_code(value: str) -> str | None:
    try:
        return signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        return None


def opt_out_url(message) -> str:
    return settings.SITE_URL + reverse("outreach:opt_out", args=[token(message)])


def opt_out_line(message) -> str:
    """The opt-out every message ends with: a keyword for SMS when a number takes it,
    a link otherwise."""
    from django.utils.translation import gettext as _

    if message.channel == "sms" and settings.SMS_OPT_OUT_NUMBER:
        return _("Soạn %(keyword)s gửi %(number)s để ngừng nhận tin.") % {
            "keyword": settings.SMS_OPT_OUT_KEYWORD, "number": settings.SMS_OPT_OUT_NUMBER}
    return _("Ngừng nhận tin: %(url)s") % {"url": opt_out_url(message)}


def withdraw(donor: Donor, channel: str) -> bool:
    """Withdraw the donor's consent for `channel`; True if one was standing."""
    standing = list(donor.consents.filter(purpose=PURPOSES[channel], withdrawn_at__isnull=True))
    for consent in standing:
        donor_services.withdraw_consent(consent, actor=OPT_OUT_ACTOR)
    return bool(standing)


def opt_out_by_keyword(phone: str, text: str) -> int:
    """An inbound SMS: if its first word is the opt-out keyword, SMS consent is withdrawn
    for every donor with that phone. Returns how many were opted out."""
    words = text.strip().upper().split()
    if not words or words[0] != settings.SMS_OPT_OUT_KEYWORD.upper():
        return 0
    from hienmau.donors.identity import IdentityError, normalize_phone

    try:
        phone = normalize_phone(phone)
    except IdentityError:
        return 0
    donors = Donor.objects.filter(Q(phone=phone) | Q(phone_other=phone))
    return sum(withdraw(donor, "sms") for donor in donors)
