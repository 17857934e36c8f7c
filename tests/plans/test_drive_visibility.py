"""`sees_drive` (one drive, by its organizations) answers as `Drive.objects.visible_to`
(the list's queryset) for every kind of link between a unit and a drive."""

import datetime

import pytest

from hienmau.plans.access import sees_drive
from hienmau.plans.models import Drive, DriveShare


@pytest.fixture
def drives(tree):
    def drive(**links):
        return Drive.objects.create(date=datetime.date(2026, 6, 14), venue="X",
                                    expected_units=10, **links)

    organized = drive(organizer=tree["district_two"])
    shared = drive(organizer=tree["district_two"])
    DriveShare.objects.create(drive=shared, organization=tree["company"], expected_units=5)
    coordinated = drive(organizer=tree["district_two"])
    coordinated.coordinating_units.add(tree["district_one"])
    executed = drive(organizer=tree["district_two"])
    executed.executing_units.add(tree["company"])
    collected = drive(organizer=tree["district_two"], receiving_institution=tree["institute"])
    return [organized, shared, coordinated, executed, collected]


def test_sees_drive_agrees_with_the_list(drives, office, coordinator, outsider, staff, viewer,
                                         superuser):
    for user in (office, coordinator, outsider, staff, viewer, superuser):
        listed = set(Drive.objects.visible_to(user).values_list("pk", flat=True))
        assert {d.pk for d in drives if sees_drive(user, d)} == listed, user.username
    # The coordinator of district one sees the drives its units share, coordinate or run.
    assert [sees_drive(coordinator, d) for d in drives] == [False, True, True, True, False]
