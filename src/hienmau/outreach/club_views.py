"""A club's members page (for its leader, a coordinator on the club): the members with
the channels they agreed to, adding a person (a record already visible is reused, never
duplicated), taking a person out of the club, and a message to the whole club.

Read with VIEW_DONORS on the club; changed with MESSAGE_DONORS or CHANGE_DONORS."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienmau.donors import matching
from hienmau.donors import services as donor_services
from hienmau.donors.history import COLLECTED
from hienmau.donors.identity import IdentityError, mask_phone, normalize_phone
from hienmau.donors.models import Consent, Donor
from hienmau.donors.search import search
from hienmau.errors import form_error
from hienmau.orgs import audit
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Kind
from hienmau.orgs.roles import CHANGE_DONORS, MESSAGE_DONORS, VIEW_DONORS
from hienmau.outreach.forms import MemberForm, MemberSearchForm

PAGE_SIZE = 25
CHANNELS = (("sms", Consent.Purpose.SMS), ("zalo", Consent.Purpose.ZALO),
            ("email", Consent.Purpose.EMAIL))
LABELS = {"sms": "SMS", "zalo": "Zalo", "email": "E-mail"}


def _club(user, code, change: bool = False):
    club = get_organization_for_user(user, code, VIEW_DONORS)
    if club.kind != Kind.CLUB:
        raise Http404(_("Đây không phải một câu lạc bộ."))
    if change and not _can_change(user, club):
        raise PermissionDenied(_("Vai trò của bạn không cho phép thay đổi thành viên câu lạc "
                                 "bộ."))
    return club


def _can_change(user, club) -> bool:
    return has_perm(user, club, MESSAGE_DONORS) or has_perm(user, club, CHANGE_DONORS)


def _add(request, club, form) -> bool:
    """Add the person of a valid `form` to the club; False (errors on the form) if a rule
    refuses them."""
    data = form.cleaned_data
    try:
        phone = normalize_phone(data["phone"])
    except IdentityError as error:
        form.add_error("phone", error.message)
        return False
    user = request.user
    fields = {name: data[name] for name in ("full_name", "birth_year", "sex",
                                            "blood_group", "rh", "email")}
    # Who this is, by the registry's one rule (donors.matching): same name, birth year
    # and phone. A record the leader does not see is neither named nor joined to the
    # club (that would show it to them): the leader is told to ask the office.
    match = matching.find(fields | {"phone": phone})
    existing = match.donor if match.outcome == matching.SAME else None
    if existing is not None and not Donor.objects.visible_to(user).filter(
            pk=existing.pk).exists():
        form_error(form, donor_services.match_refusal(match, user))
        return False
    with transaction.atomic():
        if existing is not None:
            donor = existing
            already = donor.clubs.filter(pk=club.pk).exists()
            if not already:
                donor.clubs.add(club)
                audit.log("hienmau.outreach.club_member_added", actor=user,
                          organization=club, obj=donor,
                          data={"club": str(club.code), "existing_record": True})
        else:
            try:
                donor = donor_services.create_donor(actor=user, home=club, clubs=[club],
                                                    phone=phone, **fields)
            except donor_services.DonorError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
                return False
            audit.log("hienmau.outreach.club_member_added", actor=user, organization=club,
                      obj=donor, data={"club": str(club.code), "existing_record": False})
        for purpose in data["consents"]:
            donor_services.give_consent(donor, actor=user, purpose=purpose,
                                        channel=data["consent_channel"])
    if existing is None:
        messages.success(request, _("Đã thêm %(name)s vào câu lạc bộ.") % {
            "name": donor.full_name})
    elif already:
        messages.info(request, _("%(name)s đã là thành viên câu lạc bộ.") % {
            "name": donor.full_name})
    else:
        messages.success(request, _("%(name)s đã có hồ sơ với cùng họ tên, năm sinh và số "
                                    "điện thoại này; đã thêm vào câu lạc bộ (không tạo hồ sơ "
                                    "mới).") % {
            "name": donor.full_name})
    return True


@login_required
def members(request, code):
    club = _club(request.user, code)
    can_change = _can_change(request.user, club)
    form = MemberForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Vai trò của bạn không cho phép thay đổi thành viên câu "
                                     "lạc bộ."))
        form = MemberForm(request.POST)
        if form.is_valid() and _add(request, club, form):
            return redirect("outreach:club_members", code=club.code)
    search_form = MemberSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    donors = (Donor.objects.filter(clubs=club, merged_into__isnull=True, erased_at__isnull=True)
              .annotate(last_donation=Max("donations__date",
                                          filter=Q(donations__outcome=COLLECTED)))
              .prefetch_related(Prefetch(
                  "consents", to_attr="channel_consents",
                  queryset=Consent.objects.filter(
                      withdrawn_at__isnull=True,
                      purpose__in=[purpose for _c, purpose in CHANNELS]))))
    page = Paginator(search(donors, query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for donor in page:
        agreed = {consent.purpose for consent in donor.channel_consents}
        rows.append((donor, mask_phone(donor.phone) if donor.phone else "",
                     [LABELS[c] for c, purpose in CHANNELS if purpose in agreed]))
    message_url = None
    if has_perm(request.user, club, MESSAGE_DONORS):
        message_url = reverse("outreach:mailing_create") + "?" + urlencode(
            {"don-vi": club.code, "cau-lac-bo": club.code})
    return render(request, "outreach/club_members.html", {
        "club": club, "form": form, "search_form": search_form, "query": query,
        "page": page, "rows": rows, "can_change": can_change, "message_url": message_url,
        "adding": request.method == "POST"})


@login_required
@require_POST
def remove_member(request, code, donor):
    club = _club(request.user, code, change=True)
    member = club.club_donors.filter(code=donor).first()
    if member is None:
        raise Http404(_("Người này không phải thành viên câu lạc bộ."))
    with transaction.atomic():
        member.clubs.remove(club)
        audit.log("hienmau.outreach.club_member_removed", actor=request.user,
                  organization=club, obj=member, data={"club": str(club.code)})
    messages.success(request, _("Đã đưa %(name)s ra khỏi câu lạc bộ. Hồ sơ người hiến máu "
                                "vẫn được giữ.") % {"name": member.full_name})
    return redirect("outreach:club_members", code=club.code)
