"""Drive-day API answers for the seams between desks: a check-in already made at another
desk says when and by whom; the tally of a closed drive is its confirmed result."""

from django.utils import timezone

from hienmau.drives import drive_day


def test_a_check_in_from_another_desk_says_when_and_by_whom(api, drive, registration,
                                                            coordinator, staff):
    url = f"/drives/{drive.code}/check-ins"
    first = api(coordinator, "POST", url, {"reference": registration.reference})
    assert first.status_code == 201 and first.json()["message"] == ""
    registration.refresh_from_db()
    when = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    second = api(staff, "POST", url, {"reference": registration.reference})
    assert second.status_code == 200 and second.json()["created"] is False
    assert second.json()["message"] == (
        f"Nguyễn Văn Hùng đã được ghi nhận có mặt lúc {when}, bởi Coordinator.")


def test_the_tally_of_a_closed_drive_is_its_confirmed_result(api, drive, registration,
                                                             coordinator, staff):
    drive_day.check_in(registration, actor=coordinator)
    live = api(coordinator, "GET", f"/drives/{drive.code}/tally").json()
    assert (live["waiting"], live["confirmed"]) == (1, False)
    drive_day.close(drive, actor=staff, units_collected=0)
    closed = api(coordinator, "GET", f"/drives/{drive.code}/tally").json()
    assert (closed["checked_in"], closed["waiting"], closed["collected"]) == (1, 0, 0)
    assert closed["confirmed"] is True and closed["confirmed_at"]
