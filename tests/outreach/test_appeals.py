"""Emergency appeals: waves of 3 × the people still missing, closest and most active
donors first, each donor asked once, until enough have answered yes; and what a unit's
mailings and appeals may reach and who sees them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.drives.models import Donation
from hienmau.outreach import appeals, audience, consent, outbox, wording
from hienmau.outreach.models import (
    Appeal,
    AppealResponse,
    AppealStatus,
    Mailing,
    Message,
    MessageStatus,
)

PROVINCE, COMMUNE, OTHER_COMMUNE, OTHER_PROVINCE = 33, 12001, 12002, 1
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def donor_o(make_donor, tree):
    """donor_o(name, commune=…, days_ago=…): an O+ donor of district one who last gave
    `days_ago` days ago (None: never)."""
    def make(name, *, province=PROVINCE, commune=None, days_ago=None, **fields):
        fields.setdefault("blood_group", "O")
        fields.setdefault("rh", "+")
        donor = make_donor(name, province_code=province, commune_code=commune, **fields)
        if days_ago is not None:
            Donation.objects.create(donor=donor, receiving_institution=tree["institute"],
                                    date=timezone.localdate() - datetime.timedelta(days_ago))
        return donor
    return make


@pytest.fixture
def new_appeal(tree, office):
    def make(needed=2, requester="district_one", **fields):
        fields.setdefault("needed_by", timezone.now() + datetime.timedelta(hours=6))
        fields.setdefault("channels", ["sms"])
        return appeals.create(actor=office, requester=tree[requester], blood_group="O",
                              rh=fields.pop("rh", "+"), needed=needed,
                              place="Bệnh viện Đa khoa tỉnh, khoa Huyết học",
                              body=fields.pop("body", str(wording.DEFAULTS["appeal"])),
                              province_code=PROVINCE, commune_code=COMMUNE, **fields)
    return make


NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Vũ Thị Giang", "Đặng Văn Hải", "Bùi Thị Hoa", "Đỗ Văn Khoa", "Hồ Thị Lan",
         "Ngô Văn Minh", "Dương Thị Nga"]


def wave_donors(appeal, wave):
    messages = Message.objects.filter(mailing__appeal=appeal,
                                      mailing__title__endswith=f"đợt {wave}")
    return [m.donor_id for m in messages.order_by("pk")]


def test_the_first_wave_asks_three_times_the_people_needed_closest_and_latest_first(
        donor_o, make_donor, new_appeal):
    # Same commune, then same province, then elsewhere; within each, the latest
    # donation first and those who never gave last.
    c_recent = donor_o("Xã Gần", commune=COMMUNE, days_ago=100)
    c_older = donor_o("Xã Xa", commune=COMMUNE, days_ago=300)
    c_never = donor_o("Xã Chưa", commune=COMMUNE)
    p_recent = donor_o("Tỉnh Gần", commune=OTHER_COMMUNE, days_ago=90)
    p_older = donor_o("Tỉnh Xa", commune=OTHER_COMMUNE, days_ago=400)
    p_never = donor_o("Tỉnh Chưa")
    far = donor_o("Ngoài Tỉnh", province=OTHER_PROVINCE, days_ago=95)
    # Never asked: another group, Rh−, given too recently, no consent, permanently excluded.
    donor_o("Nhóm A", commune=COMMUNE, blood_group="A")
    donor_o("Rh Âm", commune=COMMUNE, rh="-")
    donor_o("Mới Hiến", commune=COMMUNE, days_ago=20)
    donor_o("Không Đồng Ý", commune=COMMUNE, consents=())
    donor_o("Loại Vĩnh Viễn", commune=COMMUNE, permanently_excluded=True)

    appeal = new_appeal(needed=2)
    assert appeals.run_wave(appeal) == 6
    assert wave_donors(appeal, 1) == [m.pk for m in (c_recent, c_older, c_never, p_recent,
                                                     p_older, p_never)]
    appeal.refresh_from_db()
    assert appeal.waves_sent == 1
    # The next wave reaches the rest of the requester's donors, outside the province.
    assert appeals.run_due_waves(appeal.next_wave_at) == 1
    assert wave_donors(appeal, 2) == [far.pk]


def test_candidates_come_in_the_waves_order(donor_o, new_appeal):
    c_recent = donor_o("Xã Gần", commune=COMMUNE, days_ago=100)
    c_older = donor_o("Xã Xa", commune=COMMUNE, days_ago=300)
    c_never = donor_o("Xã Chưa", commune=COMMUNE)
    p_recent = donor_o("Tỉnh Gần", commune=OTHER_COMMUNE, days_ago=90)
    p_never = donor_o("Tỉnh Chưa")
    far = donor_o("Ngoài Tỉnh", province=OTHER_PROVINCE, days_ago=95)
    appeal = new_appeal()
    assert appeals.candidates(appeal, timezone.localdate()) == [
        c_recent.pk, c_older.pk, c_never.pk, p_recent.pk, p_never.pk, far.pk]


def test_an_appeal_for_both_rh_reaches_rh_negative_donors_too(donor_o, new_appeal):
    plus = donor_o("Rh Dương", commune=COMMUNE)
    minus = donor_o("Rh Âm", commune=COMMUNE, rh="-")
    appeal = new_appeal(rh="")
    assert set(appeals.candidates(appeal, timezone.localdate())) == {plus.pk, minus.pk}


def test_the_appeal_message_names_the_blood_group_and_carries_an_answer_link(
        donor_o, new_appeal):
    donor = donor_o("Nguyễn Văn An", commune=COMMUNE)
    appeal = new_appeal(needed=1)
    appeals.run_wave(appeal)
    message = Message.objects.get(donor=donor)
    assert message.body.startswith("KHẨN: BCĐ huyện Một cần người hiến máu nhóm O+. "
                                   "Bạn An có thể đến hiến")
    assert message.subject == "Khẩn: cần người hiến máu nhóm O+"
    link = message.body.split("Trả lời tại: ", 1)[1].split()[0]
    assert link.startswith("https://hienmau.example.vn/tra-loi/")
    assert consent.message_code(link.rstrip("/").rsplit("/", 1)[1]) == str(message.code)


def test_creating_an_appeal_sends_its_first_wave_after_commit(
        donor_o, new_appeal, django_capture_on_commit_callbacks):
    donor_o("Nguyễn Văn An", commune=COMMUNE)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = new_appeal(needed=1)
    assert Message.objects.filter(mailing__appeal=appeal).count() == 1


def test_next_waves_come_after_wave_minutes_and_never_ask_a_donor_twice(donor_o, new_appeal):
    donors = [donor_o(NAMES[i], commune=COMMUNE, days_ago=100 + i) for i in range(7)]
    appeal = new_appeal(needed=1, wave_minutes=30)  # waves of 3
    now = timezone.now()
    assert appeals.run_wave(appeal, now) == 3
    assert appeals.run_due_waves(now + 29 * MINUTE) == 0
    assert appeals.run_due_waves(now + 30 * MINUTE) == 3
    assert appeals.run_due_waves(now + 60 * MINUTE) == 1  # the last one left
    assert appeals.run_due_waves(now + 90 * MINUTE) == 0  # nobody left to ask
    asked = list(Message.objects.filter(mailing__appeal=appeal).values_list("donor", flat=True))
    assert sorted(asked) == sorted(d.pk for d in donors)
    assert wave_donors(appeal, 1) == [d.pk for d in donors[:3]]
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN and appeal.waves_sent == 4


def test_a_fixed_wave_size_overrides_three_times_the_missing(donor_o, new_appeal):
    for i in range(5):
        donor_o(NAMES[i], commune=COMMUNE)
    appeal = new_appeal(needed=3, wave_size=2)
    assert appeals.run_wave(appeal) == 2


def test_the_next_wave_asks_only_for_those_still_missing(donor_o, new_appeal):
    for i in range(12):
        donor_o(NAMES[i], commune=COMMUNE)
    appeal = new_appeal(needed=3)
    now = timezone.now()
    assert appeals.run_wave(appeal, now) == 9
    appeals.respond(Message.objects.filter(mailing__appeal=appeal).first(), "yes")
    appeals.respond(Message.objects.filter(mailing__appeal=appeal).last(), "yes")
    assert appeals.run_due_waves(now + 30 * MINUTE) == 3  # 3 × (3 − 2)


def test_enough_yes_answers_fill_the_appeal_cancel_unsent_messages_and_stop_the_waves(
        donor_o, new_appeal, sms_gateway):
    for i in range(9):
        donor_o(NAMES[i], commune=COMMUNE)
    appeal = new_appeal(needed=2)
    now = timezone.now()
    appeals.run_wave(appeal, now)
    first, second, third = Message.objects.filter(mailing__appeal=appeal).order_by("pk")[:3]
    for message in (first, second):
        outbox.send_one(message.pk, now)
    appeals.respond(first, "yes")
    appeals.respond(third, "no")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN
    appeals.respond(second, "yes")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILLED and appeal.closed_at is not None
    statuses = Message.objects.filter(mailing__appeal=appeal).values_list("status", flat=True)
    assert sorted(statuses) == ["cancelled"] * 4 + ["sent"] * 2
    assert outbox.send_due(now + MINUTE) == {}
    assert len(sms_gateway.requests) == 2
    assert appeals.run_due_waves(now + 60 * MINUTE) == 0


def test_answering_through_the_link_records_the_answer_and_fills_the_appeal(
        donor_o, new_appeal, client):
    for i in range(3):
        donor_o(NAMES[i], commune=COMMUNE)
    appeal = new_appeal(needed=1)
    appeals.run_wave(appeal)
    yes, late = Message.objects.filter(mailing__appeal=appeal).order_by("pk")[:2]
    path = reverse("outreach:answer", args=[consent.token(yes)])
    assert client.get(path).status_code == 200
    assert not AppealResponse.objects.exists()  # opening the link answers nothing
    page = client.post(path, {"answer": "yes"})
    assert page.status_code == 200 and page.context["answered"]
    assert AppealResponse.objects.get().donor == yes.donor
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILLED
    # A yes after it is filled is not counted; the page says so.
    late_page = client.post(reverse("outreach:answer", args=[consent.token(late)]),
                            {"answer": "yes"})
    assert late_page.status_code == 200 and not late_page.context["answered"]
    assert AppealResponse.objects.count() == 1


def test_a_link_of_a_message_that_is_not_an_appeal_is_not_found(make_donor, queue_one,
                                                                client):
    message = queue_one(make_donor("Nguyễn Văn An"))
    assert client.get(reverse("outreach:answer", args=[consent.token(message)])
                      ).status_code == 404


def test_an_appeal_past_its_time_closes_and_cancels_what_was_not_sent(donor_o, new_appeal):
    for i in range(3):
        donor_o(NAMES[i], commune=COMMUNE)
    appeal = new_appeal(needed=1)
    appeals.run_wave(appeal)
    assert appeals.run_due_waves(appeal.needed_by + MINUTE) == 0
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.closed_at is not None
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_an_appeal_needs_a_future_deadline_a_channel_and_a_valid_text(tree, office):
    base = {"actor": office, "requester": tree["district_one"], "blood_group": "O",
            "rh": "+", "needed": 1, "place": "BV", "channels": ["sms"], "body": "Cần {nhom_mau}",
            "needed_by": timezone.now() + datetime.timedelta(hours=1)}
    for change, code in [({"needed": 0}, "needed"), ({"channels": []}, "channels"),
                         ({"needed_by": timezone.now() - MINUTE}, "needed_by"),
                         ({"body": "Cần {nhom}"}, "unknown_placeholder"),
                         ({"body": "Cần {nhom_mau} cho {dot}"}, "empty_placeholder"),
                         ({"body": "Cần {nhom_mau} tại {dia_diem}", "place": " "},
                          "empty_placeholder")]:
        with pytest.raises(appeals.AppealError) as error:
            appeals.create(**{**base, **change})
        assert error.value.code == code
    assert not Appeal.objects.exists()


def test_closing_an_appeal_by_hand_stops_it(donor_o, new_appeal, office):
    donor_o("Nguyễn Văn An", commune=COMMUNE)
    appeal = new_appeal(needed=1)
    appeals.run_wave(appeal)
    appeals.close(appeal, actor=office)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED
    assert Message.objects.get().status == MessageStatus.CANCELLED


# Scoping -----------------------------------------------------------------------------

def test_an_appeal_of_district_one_never_reaches_the_siblings_donors(tree, donor_o,
                                                                     new_appeal):
    ours = donor_o("Của Huyện Một", commune=COMMUNE)
    theirs = donor_o("Của Huyện Hai", commune=COMMUNE, home=tree["district_two"])
    appeal = new_appeal(needed=5)
    now = timezone.now()
    appeals.run_wave(appeal, now)
    appeals.run_due_waves(now + 30 * MINUTE)
    assert list(Message.objects.values_list("donor", flat=True)) == [ours.pk]
    assert theirs.pk not in appeals.candidates(appeal, timezone.localdate())
    # The province above both reaches both.
    wide = new_appeal(needed=5, requester="province")
    assert set(appeals.candidates(wide, timezone.localdate())) == {ours.pk, theirs.pk}


def test_a_mailing_of_district_one_reaches_its_subtree_and_not_the_sibling(tree, make_donor):
    ours = make_donor("Của Huyện Một")
    below = make_donor("Của Công Ty", home=tree["company"])
    theirs = make_donor("Của Huyện Hai", home=tree["district_two"])
    reached = set(audience.select(tree["district_one"], audience.Filters()))
    assert reached == {ours.pk, below.pk}
    assert theirs.pk not in reached


def test_a_sibling_sees_neither_the_mailings_nor_the_appeals_of_district_one(
        tree, new_appeal, mailing, coordinator, outsider, office):
    ours = mailing(title="Của Huyện Một")
    theirs = mailing(title="Của Huyện Hai", sender=tree["district_two"])
    appeal = new_appeal()
    assert set(Mailing.objects.visible_to(outsider)) == {theirs}
    assert set(Mailing.objects.visible_to(coordinator)) == {ours}
    assert set(Mailing.objects.visible_to(office)) == {ours, theirs}
    assert appeal not in Appeal.objects.visible_to(outsider)
    assert appeal in Appeal.objects.visible_to(coordinator)
