"""Past results from the seeds, as demo data: finished plan years whose drives are closed
with typed totals (no per-person records), the way an office enters a past year.

From the seeds (the figures that must come out of the drives' results):
- 000: the industrial-zone committee (`hy.kcn`), plan year 2022: 10 drives, 3 held at
  KCN Thăng Long II, KCN Phố Nối A and KCN Dệt may Phố Nối, and 7 at the seven named
  companies; 1.736 units, "đạt 142 % so với chỉ tiêu". Its 2023 plan: each of the three
  zones holds one drive of at least 300 units (the 2023 zone drives below expect 300).
- 002: the province, 01/12/2022–30/11/2023: 47 drives, 18.499 units, 185% of the
  national committee's figure and 147% of the province's.
- 004: quận Dương Kinh, morning of 03/11/2022: about 600 people took part ("khoảng gần
  600"), 297 units of whole blood, "vượt gần 20%" over the plan; some people gave for
  the 18th time.

Chosen because the seeds do not give them:
- The quotas. `hy.kcn` 2022: 1.220 (1.736 / 1.220 = 142,3%, "142%"). Province 2023:
  national 10.000 (18.499 / 10.000 = 185%), provincial 12.600 (146,8%, "147%"); its
  units' quotas are the 2024 appendix's (`plan2024.SECTIONS`) scaled by 12.600 / 13.762,
  rounded by largest remainder so that they add up to 12.600. Dương Kinh: 250 units
  expected (297 / 250 = 118,8%, "vượt gần 20%").
- The 2022 plan holds only the industrial zones' quota: the seeds give no other unit's
  2022 figures. Plan documents, population targets: none in the seeds, left empty.
- Every date, venue, expected and collected figure of a single drive (their sums are
  the seeds'), the 2023 drives' units and months (more in the campaign months),
  the receiving institutions (Viện HH-TM TW mostly, BV Việt Đức some; none for Dương
  Kinh, which seed 004 does not name), and Dương Kinh's venue.
- The people counts, first-time donors, bag sizes and deferral reasons: `totals`, a
  fixed formula (no randomness): 18–27% of the people present deferred, 4–8% more
  registered than came, 25–40% of donors new, bags mostly 350 ml (250 ml 8–12%,
  450 ml 14–20%). Dương Kinh's 620
  registered and 590 present are chosen for "khoảng gần 600".
"""

import datetime

from hienmau.demo import data, plan2024

NIHBT, VIETDUC = plan2024.NIHBT, plan2024.VIETDUC
CULTURE_HOUSE = plan2024.CULTURE_HOUSE
AT_ORGANIZER = None  # venue: the organizer's own premises (a company's drive)


def d(text: str) -> datetime.date:
    return plan2024.d(text)


# ---- plan year 2022: the industrial zones (seed 000) --------------------------------

PLAN_2022 = {
    "title": "Kế hoạch tuyên truyền, vận động và tổ chức hiến máu tình nguyện năm 2022",
    "starts_on": d("01/12/2021"),
    "ends_on": d("30/11/2022"),
}
SECTIONS_2022 = [("II", "Các Khu công nghiệp tỉnh", [("hy.kcn", 1220)])]

KCN_TITLE = "Ngày hội hiến máu tình nguyện tập trung tại {}"
COMPANY_TITLE = "Ngày hội hiến máu tình nguyện {}"
KCN_GROUP = "Công nhân, người lao động các doanh nghiệp trong {}"

# (organizer key, date, expected units, units collected, venue, institution, campaign,
#  extra fields of the drive)
DRIVES_2022 = [
    ("hy.kcn.regina", "22/12/2021", 150, 198, AT_ORGANIZER, NIHBT, "chunhatdo", {}),
    ("hy.kcn", "07/04/2022", 250, 296, "Khu công nghiệp Phố Nối A", NIHBT, "toandan",
     {"title": KCN_TITLE.format("KCN Phố Nối A"),
      "target_group": KCN_GROUP.format("KCN Phố Nối A")}),
    ("hy.kcn.mektec", "19/04/2022", 120, 148, AT_ORGANIZER, NIHBT, "toandan", {}),
    ("hy.kcn", "26/05/2022", 250, 312, "Khu công nghiệp Thăng Long II", NIHBT, None,
     {"title": KCN_TITLE.format("KCN Thăng Long II"),
      "target_group": KCN_GROUP.format("KCN Thăng Long II")}),
    ("hy.kcn.canon", "14/06/2022", 100, 118, AT_ORGANIZER, NIHBT, "tonvinh", {}),
    ("hy.kcn.toto", "12/07/2022", 100, 127, AT_ORGANIZER, NIHBT, "hanhtrinhdo", {}),
    ("hy.kcn", "11/08/2022", 200, 241, "Khu công nghiệp Dệt may Phố Nối", NIHBT,
     "giotmauhong",
     {"title": KCN_TITLE.format("KCN Dệt may Phố Nối"),
      "target_group": KCN_GROUP.format("KCN Dệt may Phố Nối")}),
    ("hy.kcn.kyocera", "15/09/2022", 100, 121, AT_ORGANIZER, NIHBT, None, {}),
    ("hy.kcn.greenfeed", "13/10/2022", 80, 96, AT_ORGANIZER, NIHBT, None, {}),
    ("hy.kcn.linea", "17/11/2022", 60, 79, AT_ORGANIZER, NIHBT, None, {}),
]

# ---- plan year 2023: the province (seed 002) ----------------------------------------

PLAN_2023 = {
    "title": "Kế hoạch tuyên truyền, vận động và tổ chức hiến máu tình nguyện năm 2023",
    "starts_on": d("01/12/2022"),
    "ends_on": d("30/11/2023"),
    "national_quota": 10_000,
    "provincial_quota": 12_600,
}


def _scaled_sections(sections: list, total: int) -> list:
    """`sections` with every quota scaled so that they add up to `total`: each rounded
    down, the units left over going to the largest remainders (ties: appendix order)."""
    rows = [(key, units) for _number, _title, quotas in sections for key, units in quotas]
    whole = sum(units for _key, units in rows)
    exact = {key: units * total / whole for key, units in rows}
    scaled = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - scaled[key], reverse=True)
    for key in by_remainder[:total - sum(scaled.values())]:
        scaled[key] += 1
    return [(number, title, [(key, scaled[key]) for key, _units in quotas])
            for number, title, quotas in sections]


SECTIONS_2023 = _scaled_sections(plan2024.SECTIONS, PLAN_2023["provincial_quota"])

VENUES = {
    "hy.khoaichau": CULTURE_HOUSE.format("Khoái Châu"),
    "hy.yenmy": CULTURE_HOUSE.format("Yên Mỹ"),
    "hy.anthi": CULTURE_HOUSE.format("Ân Thi"),
    "hy.vanlam": CULTURE_HOUSE.format("Văn Lâm"),
    "hy.vangiang": "Hội trường lớn UBND huyện Văn Giang",
    "hy.kimdong": "Hội trường lớn Huyện ủy Kim Động",
    "hy.tp": "Nhà văn hóa phường An Tảo",
    "hy.myhao": "Trung tâm văn hóa thị xã Mỹ Hào",
    "hy.tienlu": CULTURE_HOUSE.format("Tiên Lữ"),
    "hy.phucu": CULTURE_HOUSE.format("Phù Cừ"),
    "hy.utc": "Cơ sở 1",
    "hy.utehy": "Cơ sở 1",
    "hy.dienluc": "Hội trường lớn Công ty Điện lực Hưng Yên",
    "hy.buudien": "Hội trường lớn Bưu Điện tỉnh Hưng Yên",
    "hy.congan": "Hội trường Công an tỉnh Hưng Yên",
    "hy.soyte": "Hội trường Sở Y tế tỉnh Hưng Yên",
    "hy": "Trung tâm hội nghị tỉnh",
}
HQ_KCN = "Hội trường Ban Quản lý các Khu công nghiệp tỉnh"


def v(key: str) -> str:
    return VENUES[key]


# Same shape as DRIVES_2022. Expected units (14.000 in all) cover every unit's quota (a
# shared drive counts for each share's unit); collected: 106–150% of expected.
DRIVES_2023 = [
    # Tháng 12/2022 — Chủ nhật đỏ
    ("hy.tienlu", "06/12/2022", 250, 296, v("hy.tienlu"), NIHBT, "chunhatdo", {}),
    ("hy.dienluc", "13/12/2022", 200, 283, v("hy.dienluc"), NIHBT, "chunhatdo", {}),
    ("hy.kcn", "15/12/2022", 300, 380, HQ_KCN, NIHBT, "chunhatdo", {}),
    ("hy.vanlam", "20/12/2022", 300, 413, v("hy.vanlam"), NIHBT, "chunhatdo", {}),
    ("hy.utehy", "21/12/2022", 400, 490, v("hy.utehy"), VIETDUC, "chunhatdo", {}),
    ("hy.tp", "27/12/2022", 300, 449, v("hy.tp"), NIHBT, "chunhatdo", {}),
    # Tháng 1/2023 — Chủ nhật đỏ, before Tết (22/01/2023)
    ("hy.yenmy", "05/01/2023", 400, 526, v("hy.yenmy"), NIHBT, "chunhatdo", {}),
    ("hy.khoaichau", "06/01/2023", 300, 386, v("hy.khoaichau"), VIETDUC, "chunhatdo", {}),
    ("hy.congan", "09/01/2023", 200, 279, v("hy.congan"), NIHBT, "chunhatdo", {}),
    ("hy.kimdong", "10/01/2023", 250, 361, v("hy.kimdong"), NIHBT, "chunhatdo", {}),
    ("hy.utc", "11/01/2023", 300, 361, v("hy.utc"), NIHBT, "chunhatdo", {}),
    # Tháng 2–3/2023 — Lễ hội Xuân hồng
    ("hy.myhao", "08/02/2023", 250, 339, v("hy.myhao"), VIETDUC, "xuanhong", {}),
    ("hy.anthi", "14/02/2023", 300, 382, v("hy.anthi"), NIHBT, "xuanhong", {}),
    ("hy.vangiang", "21/02/2023", 300, 427, v("hy.vangiang"), NIHBT, "xuanhong", {}),
    ("hy.kcn.kyocera", "23/02/2023", 150, 187, AT_ORGANIZER, NIHBT, "xuanhong", {}),
    ("hy.khoaichau", "02/03/2023", 400, 474, v("hy.khoaichau"), NIHBT, "xuanhong", {}),
    ("hy.yenmy", "07/03/2023", 400, 566, v("hy.yenmy"), NIHBT, "xuanhong", {}),
    ("hy.phucu", "09/03/2023", 300, 379, v("hy.phucu"), NIHBT, "xuanhong", {}),
    ("hy.tienlu", "14/03/2023", 200, 275, v("hy.tienlu"), NIHBT, "xuanhong", {}),
    ("hy.utehy", "16/03/2023", 500, 612, "Cơ sở 2", VIETDUC, "xuanhong", {}),
    ("hy.kcn", "23/03/2023", 300, 448, "Khu công nghiệp Dệt may Phố Nối", NIHBT, "xuanhong",
     {"title": KCN_TITLE.format("KCN Dệt may Phố Nối"),
      "target_group": KCN_GROUP.format("KCN Dệt may Phố Nối")}),
    ("hy.tp", "28/03/2023", 300, 394, v("hy.tp"), NIHBT, "xuanhong", {}),
    # Tháng 4/2023 — Ngày toàn dân hiến máu tình nguyện 7/4
    ("hy.kimdong", "04/04/2023", 300, 385, v("hy.kimdong"), NIHBT, "toandan", {}),
    ("hy.vanlam", "06/04/2023", 350, 489, v("hy.vanlam"), NIHBT, "toandan", {}),
    ("hy.soyte", "07/04/2023", 200, 289, v("hy.soyte"), NIHBT, "toandan", {}),
    ("hy.utc", "12/04/2023", 350, 422, "Cơ sở 2", NIHBT, "toandan", {}),
    ("hy.anthi", "13/04/2023", 350, 475, v("hy.anthi"), NIHBT, "toandan", {}),
    ("hy.kcn", "18/04/2023", 300, 382, "Khu công nghiệp Thăng Long II", NIHBT, "toandan",
     {"title": KCN_TITLE.format("KCN Thăng Long II"),
      "target_group": KCN_GROUP.format("KCN Thăng Long II")}),
    ("hy.myhao", "20/04/2023", 300, 427, v("hy.myhao"), VIETDUC, "toandan", {}),
    # Tháng 5/2023
    ("hy.kcn.canon", "11/05/2023", 100, 125, AT_ORGANIZER, NIHBT, "giotmauhong", {}),
    ("hy.vangiang", "23/05/2023", 250, 296, v("hy.vangiang"), NIHBT, "giotmauhong", {}),
    # Tháng 6/2023 — Hành trình đỏ, Ngày Thế giới tôn vinh người hiến máu 14/6
    ("hy", "06/06/2023", 700, 989, v("hy"), NIHBT, "hanhtrinhdo",
     {"title": "Chương trình Hành trình đỏ năm 2023",
      "shares": [("hy.dukhoi", 200), ("hy.ldld", 200), ("hy", 300)],
      "notes": "300 đơn vị máu do các huyện, thành phố, thị xã cùng vận động."}),
    ("hy.kcn.mektec", "08/06/2023", 100, 127, AT_ORGANIZER, NIHBT, "tonvinh", {}),
    ("hy.yenmy", "14/06/2023", 300, 412, v("hy.yenmy"), VIETDUC, "tonvinh", {}),
    ("hy.khoaichau", "15/06/2023", 300, 367, v("hy.khoaichau"), NIHBT, "tonvinh", {}),
    ("hy.vanlam", "27/06/2023", 300, 448, v("hy.vanlam"), NIHBT, "tonvinh", {}),
    # Tháng 7/2023 — Hỗ trợ Hành trình đỏ
    ("hy.kimdong", "18/07/2023", 300, 394, v("hy.kimdong"), NIHBT, "hanhtrinhdo", {}),
    ("hy.anthi", "20/07/2023", 350, 450, v("hy.anthi"), NIHBT, "hanhtrinhdo", {}),
    # Tháng 8/2023 — Những giọt máu hồng hè
    ("hy.myhao", "03/08/2023", 250, 349, v("hy.myhao"), VIETDUC, "giotmauhong", {}),
    ("hy.phucu", "08/08/2023", 300, 433, v("hy.phucu"), NIHBT, "giotmauhong", {}),
    ("hy.buudien", "10/08/2023", 100, 121, v("hy.buudien"), NIHBT, "giotmauhong", {}),
    ("hy.tienlu", "15/08/2023", 250, 339, v("hy.tienlu"), NIHBT, "giotmauhong", {}),
    # Tháng 9–11/2023
    ("hy.kcn", "14/09/2023", 300, 319, "Khu công nghiệp Phố Nối A", NIHBT, None,
     {"title": KCN_TITLE.format("KCN Phố Nối A"),
      "target_group": KCN_GROUP.format("KCN Phố Nối A")}),
    ("hy.vangiang", "26/09/2023", 300, 427, v("hy.vangiang"), NIHBT, None, {}),
    ("hy.tp", "17/10/2023", 250, 311, v("hy.tp"), NIHBT, None, {}),
    ("hy.utehy", "07/11/2023", 500, 592, v("hy.utehy"), VIETDUC, None, {}),
    ("hy.khoaichau", "21/11/2023", 300, 424, v("hy.khoaichau"), VIETDUC, None, {}),
]

# ---- quận Dương Kinh, 03/11/2022 (seed 004) -----------------------------------------

DUONG_KINH = {
    "organizer": "hp.duongkinh",
    "date": d("03/11/2022"),
    "title": "Ngày hội hiến máu tình nguyện quận Dương Kinh năm 2022",
    "venue": "Trung tâm Văn hóa - Thể thao quận Dương Kinh",
    "target_group": ("Công chức, viên chức, công nhân, người lao động và nhân dân trong "
                     "toàn quận"),
    "start_time": datetime.time(7, 0),
    "end_time": datetime.time(11, 30),
    "expected_units": 250,
}
DUONG_KINH_RESULT = {
    "units": 297,
    "people_registered": 620,
    "people_present": 590,
    "note": "Nhiều người tham gia hiến máu nhiều lần, có người hiến máu lần thứ 18.",
}

# ---- titles and totals ------------------------------------------------------------

PLACES = {key: place for key, place, _successor in data.HUNG_YEN_DISTRICTS} | {
    "hy.kcn": "các Khu công nghiệp tỉnh",
    "hy.utc": "Trường Đại học Tài chính - Quản trị kinh doanh",
    "hy.utehy": "Trường Đại học Sư phạm Kỹ thuật Hưng Yên",
    "hy.dienluc": "Công ty Điện lực Hưng Yên",
    "hy.buudien": "Bưu điện tỉnh Hưng Yên",
    "hy.congan": "Công an tỉnh Hưng Yên",
    "hy.soyte": "ngành Y tế tỉnh Hưng Yên",
}
CAMPAIGN_NAMES = {key: name for key, name, _month in plan2024.CAMPAIGNS}


def title(place: str, campaign: str | None, day: datetime.date) -> str:
    """A drive's title when the row gives none: its place, and its campaign or month."""
    when = (f"hưởng ứng {CAMPAIGN_NAMES[campaign]}" if campaign
            else f"tháng {day.month}/{day.year}")
    return f"{COMPANY_TITLE.format(place)} {when}"


# Deferral reasons (codes of drives.screening.REASONS), per hundred people deferred.
DEFERRAL_SHARES = [("hemoglobin", 40), ("blood_pressure", 18), ("acute_illness", 12),
                   ("under_weight", 10), ("medication", 8), ("pulse", 5),
                   ("tattoo_piercing", 4), ("other", 3)]


def _percent(n: int, percent: int) -> int:
    return (n * percent + 50) // 100


def totals(units: int, n: int, *, people_present: int | None = None,
           people_registered: int | None = None) -> dict:
    """The typed totals of the `n`-th past drive that collected `units` bags: a fixed
    formula, so that every load gives the same figures. Deferred = present − units."""
    present = people_present or round(units * 100 / (100 - (18 + 3 * (n % 4))))
    registered = people_registered or present + _percent(present, 4 + n % 5)
    deferred = present - units
    small, large = _percent(units, 8 + n % 5), _percent(units, 14 + 2 * (n % 4))
    reasons = {code: deferred * share // 100 for code, share in DEFERRAL_SHARES}
    reasons["hemoglobin"] += deferred - sum(reasons.values())
    return {
        "people_registered": registered,
        "people_present": present,
        "people_deferred": deferred,
        "people_first_time": _percent(units, 25 + 3 * (n % 6)),
        "units_by_volume": {"250": small, "350": units - small - large, "450": large},
        "deferrals_by_reason": {code: k for code, k in reasons.items() if k},
    }
