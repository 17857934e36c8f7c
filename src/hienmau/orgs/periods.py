"""Which units a dated record may name.

Units have a period of activity and a successor: the 2025 reorganization ended the
district committees on 30/06/2025 and started the new communes' on 01/07/2025. A drive
names the units in activity on its date, a plan and its quotas those in activity during
its plan year (`OrganizationQuerySet.valid_on`, `Organization.is_active_on`), so a 2024
drive keeps its district, and an ended unit takes no work dated after its end.
"""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from hienmau.orgs.models import Organization


def short_date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def period_error(org: Organization, day: datetime.date,
                 until: datetime.date | None = None) -> str | None:
    """Why `org` cannot be named by a record dated `day` (or spanning `day` to `until`),
    naming its end and successor; None when it can."""
    if org.is_active_on(day, until):
        return None
    if until:
        period = _("trong thời gian từ %(day)s đến %(until)s") % {
            "day": short_date(day), "until": short_date(until)}
    else:
        period = _("vào ngày %(day)s") % {"day": short_date(day)}
    if org.valid_to and org.valid_to < day:
        message = _("“%(unit)s” đã kết thúc hoạt động ngày %(end)s: không thể giao việc cho "
                    "đơn vị này %(period)s.") % {
            "unit": org.name, "end": short_date(org.valid_to), "period": period}
        if org.successor_id:
            message += " " + _("Đơn vị kế thừa: “%(successor)s”.") % {
                "successor": org.successor.name}
        return message
    return _("“%(unit)s” chỉ hoạt động từ ngày %(start)s: không thể giao việc cho đơn vị này "
             "%(period)s.") % {
        "unit": org.name, "start": short_date(org.valid_from), "period": period}
