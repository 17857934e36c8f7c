"""The office edits its committee's milestones on a page (the quy chế's by default); the
units below follow them; others may read but not change them."""

from django.urls import reverse

from hienmau.donors import milestones
from hienmau.donors.milestones import DEFAULT_TIERS


def form_data(rows, blank=2):
    """The formset as a browser posts it: the rows, then `blank` new rows left empty."""
    data = {"form-TOTAL_FORMS": len(rows) + blank, "form-INITIAL_FORMS": len(rows),
            "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    for i in range(len(rows), len(rows) + blank):
        data.update({f"form-{i}-kind": "", f"form-{i}-donations": "", f"form-{i}-award": ""})
    for i, (kind, donations, award, confirmed, delete) in enumerate(rows):
        data.update({f"form-{i}-kind": kind, f"form-{i}-donations": donations,
                     f"form-{i}-award": award})
        if confirmed:
            data[f"form-{i}-confirmed"] = "on"
        if delete:
            data[f"form-{i}-DELETE"] = "on"
    return data


def test_the_office_replaces_the_tiers_for_its_units(client, office, tree):
    url = f"{reverse('honors:tiers')}?don_vi={tree['province'].code}"
    client.force_login(office)
    page = client.get(url).content.decode()
    assert "theo Quy chế ban hành kèm Quyết định 122/QĐ-BCĐQG" in page
    assert "Bằng khen của Thủ tướng Chính phủ" in page  # the defaults, ready to edit
    rows = [(t.kind, t.donations, t.award, t.confirmed, t.donations == 100)
            for t in DEFAULT_TIERS]
    rows.append(("individual", 7, "Quà của tỉnh (vùng núi)", False, False))
    page = client.post(url, form_data(rows), follow=True).content.decode()
    assert "Đã lưu các mốc tôn vinh của BCĐ tỉnh A." in page
    found = milestones.tiers_for(tree["company"])  # a unit below follows its committee
    counts = [t.donations for t in milestones.of_kind(found, milestones.INDIVIDUAL)]
    assert 7 in counts and 100 not in counts
    twice = rows + [("individual", 7, "Trùng", True, False)]
    page = client.post(url, form_data(twice), follow=True).content.decode()
    assert "Mốc 7 lần được ghi hai lần." in page
    page = client.post(url, {**form_data(rows), "action": "defaults"},
                       follow=True).content.decode()
    assert milestones.tiers_for(tree["company"]) == DEFAULT_TIERS


def test_others_read_the_tiers_but_cannot_change_them(client, viewer, outsider, tree):
    url = f"{reverse('honors:tiers')}?don_vi={tree['province'].code}"
    client.force_login(viewer)
    page = client.get(url).content.decode()
    assert "Lần thứ 20".lower() in page.lower() and 'data-testid="tiers-form"' not in page
    assert client.post(url, form_data([])).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_paths_above_a_unit_run_from_the_root_to_itself(tree):
    company = tree["company"]
    assert company.paths_above() == [tree["province"].path, tree["district_one"].path,
                                     company.path]
