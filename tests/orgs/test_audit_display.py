"""Every audit entry reads in Vietnamese: each action code written anywhere in the code
has a label, and the journal page shows entries of every shape (a merge, a list import)."""

import datetime
import re
from pathlib import Path

from django.urls import reverse

import hienmau
from hienmau.donors import merge, services
from hienmau.orgs import audit
from hienmau.orgs.audit_display import ACTIONS, describe
from hienmau.orgs.models import AuditEntry

SRC = Path(hienmau.__file__).parent
# audit.log("hienmau.x.y", …) and the apps' _log("hienmau.x.y", …) helpers around it.
CALL = re.compile(r"\b(?:audit\.log|_log)\(\s*\"(hienmau\.[a-z_]+\.[a-z_]+)\"")
ACTION_VARIABLE = re.compile(r"\b(?:audit\.log|_log)\(\s*([a-z_]+)\s*,")


def action_codes() -> set[str]:
    codes = set()
    for path in SRC.rglob("*.py"):
        codes.update(CALL.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_action_code_written_in_the_code_has_a_vietnamese_label(tree, office):
    codes = action_codes()
    assert len(codes) > 50  # the scan finds the apps' actions, not only the orgs' ones
    # A call whose action is a variable is one of the _log helpers, whose callers pass
    # the literal the scan finds; any other shape would escape this test.
    for path in SRC.rglob("*.py"):
        for name in ACTION_VARIABLE.findall(path.read_text(encoding="utf-8")):
            assert name == "action", f"{path}: audit.log({name}, …)"
    missing = sorted(code for code in codes if code not in ACTIONS)
    assert missing == []
    for code in codes:
        label = str(ACTIONS[code])
        assert label != code and not label.startswith("hienmau.")
        entry = audit.log(code, actor=office, organization=tree["district_one"],
                          obj=tree["district_one"],
                          data={"fields": ["full_name"], "changes": {"name": ["A", "B"]},
                                "registrations": 3, "moved": {"a": 1}, "list": [1, 2]})
        assert describe(entry)["action"] == label


def test_the_journal_shows_a_merge_of_two_donors(client_for, office, tree):
    first = services.create_donor(
        actor=office, full_name="Nguyễn Văn Hùng", birth_date=datetime.date(1990, 5, 4),
        sex="M", id_type="cccd", id_number="001090012345", home=tree["district_one"])
    second = services.create_donor(
        actor=office, full_name="nguyễn văn hùng", birth_year=1990, phone="0912345678",
        home=tree["district_one"], blood_group="O", rh="+")
    merge.merge_donors(first, second, actor=office)
    assert AuditEntry.objects.filter(action="hienmau.donor.merged").exists()
    response = client_for(office).get(reverse("orgs:audit"))
    assert response.status_code == 200
    assert "Gộp hồ sơ trùng" in response.text
    assert "Số điện thoại" in response.text or "Nhóm máu" in response.text
    assert "hienmau.donor" not in response.text
