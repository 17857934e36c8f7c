"""Drive-day fixtures: a drive of district one today, collected by the institute, and
Hùng registered for it."""

import pytest
from django.utils import timezone

from hienmau.drives import registrations
from hienmau.plans.models import Drive


@pytest.fixture
def drive(tree):
    return Drive.objects.create(date=timezone.localdate(), venue="Nhà văn hóa huyện Một",
                                organizer=tree["district_one"], expected_units=2,
                                receiving_institution=tree["institute"], title="Ngày hội")


@pytest.fixture
def registration(drive, hung, coordinator):
    return registrations.register(drive, hung, source="coordinator", actor=coordinator,
                                  today=timezone.localdate())[0]
