"""Demo organizations, taken from the committees' documents listed in docs/domain.md §10.

Each unit has a stable key: the loader derives its UUID code from it, so loading
twice finds what the first run created instead of creating it again.

Sources:
- 000: BCĐ vận động HMTN các KCN tỉnh Hưng Yên, 2022 results (companies named there).
- 001: BCĐ vận động HMTN thành phố Móng Cái (Quảng Ninh), 2024.
- 002: Kế hoạch HMTN năm 2024 of Hưng Yên; its appendix (BẢNG CHỈ TIÊU) groups the
  units in sections I–IV (the plan itself is in `plan2024.py`).
- 003: BCĐ tỉnh Hải Dương, honour ceremony 2022–2024, the agencies it mobilizes.
- 004: BCĐ quận Dương Kinh (Hải Phòng), drive of 03/11/2022.

The 2025 reform (NQ 202/2025/QH15, districts abolished from 01/07/2025; Hải Dương
merged into Hải Phòng): abolished committees end on 30/06/2025. Their successor is the
committee of the new commune that bears the district's name where the official list
(`vietnam-provinces`) has one; otherwise the provincial committee, which took over
the district level's work. Móng Cái's successor is phường Móng Cái 1, the former city
centre (docs/domain.md §5).
"""

import datetime

from hienmau.orgs.models import Kind

REFORM_LAST_DAY = datetime.date(2025, 6, 30)
REFORM_FIRST_DAY = datetime.date(2025, 7, 1)

# Province codes of the current official list.
HA_NOI, QUANG_NINH, HAI_PHONG, HUNG_YEN = 1, 22, 31, 33

# (key, parent key, name, short name, kind, extra fields)
ORGANIZATIONS: list[tuple[str, str | None, str, str, str, dict]] = [
    ("national", None, "Ban Chỉ đạo Quốc gia vận động hiến máu tình nguyện", "BCĐ Quốc gia",
     Kind.NATIONAL_COMMITTEE, {}),
    # Receiving institutions named in the seeds.
    ("nihbt", "national", "Viện Huyết học - Truyền máu Trung ương", "Viện HH-TM TW",
     Kind.RECEIVING_INSTITUTION, {"province_code": HA_NOI}),
    ("vietduc", "national", "Bệnh viện Hữu nghị Việt Đức", "BV Việt Đức",
     Kind.RECEIVING_INSTITUTION, {"province_code": HA_NOI}),
    # Hưng Yên (seed 002). Population 1.290.000: order of magnitude for the 2024 plan's
    # 1,5% target; an office replaces it with the statistics office's figure.
    ("hy", "national", "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên",
     "BCĐ tỉnh Hưng Yên", Kind.PROVINCIAL_COMMITTEE,
     {"province_code": HUNG_YEN, "population": 1_290_000}),
    ("hy.redcross", "hy", "Hội Chữ thập đỏ tỉnh Hưng Yên", "Hội CTĐ tỉnh Hưng Yên",
     Kind.RED_CROSS,
     {"province_code": HUNG_YEN,
      "notes": "Cơ quan Thường trực Ban Chỉ đạo vận động HMTN tỉnh."}),
]

# Section I: district committees, abolished on 01/07/2025.
# (key, name, successor commune name in the official list or None)
HUNG_YEN_DISTRICTS = [
    ("hy.khoaichau", "huyện Khoái Châu", "Xã Khoái Châu"),
    ("hy.yenmy", "huyện Yên Mỹ", "Xã Yên Mỹ"),
    ("hy.anthi", "huyện Ân Thi", "Xã Ân Thi"),
    ("hy.vanlam", "huyện Văn Lâm", None),
    ("hy.vangiang", "huyện Văn Giang", "Xã Văn Giang"),
    ("hy.kimdong", "huyện Kim Động", None),
    ("hy.tp", "thành phố Hưng Yên", None),
    ("hy.myhao", "thị xã Mỹ Hào", "Phường Mỹ Hào"),
    ("hy.tienlu", "huyện Tiên Lữ", "Xã Tiên Lữ"),
    ("hy.phucu", "huyện Phù Cừ", None),
]

ORGANIZATIONS += [
    (key, "hy", f"Ban Chỉ đạo vận động HMTN {place}", f"BCĐ {place}", Kind.COMMUNE_COMMITTEE,
     {"province_code": HUNG_YEN})
    for key, place, _successor in HUNG_YEN_DISTRICTS
]

ORGANIZATIONS += [
    # Section II (seed 002) and the industrial-zone committee of seed 000.
    ("hy.kcn", "hy", "Ban Chỉ đạo vận động HMTN các Khu công nghiệp tỉnh Hưng Yên",
     "BCĐ HMTN các KCN tỉnh", Kind.INDUSTRIAL_ZONE_COMMITTEE, {"province_code": HUNG_YEN}),
    ("hy.kcn.bql", "hy.kcn", "Ban Quản lý các Khu công nghiệp tỉnh Hưng Yên",
     "BQL các KCN tỉnh", Kind.AGENCY, {"province_code": HUNG_YEN}),
    # A donors' club (invented, the seeds name clubs without members): its leader
    # manages and messages its members.
    ("hy.kcn.clb", "hy.kcn", "Câu lạc bộ Hiến máu tình nguyện Khu công nghiệp Phố Nối A (mẫu)",
     "CLB HMTN KCN Phố Nối A", Kind.CLUB, {"province_code": HUNG_YEN}),
]
# Companies in the industrial zones, as named in seed 000.
ORGANIZATIONS += [
    (f"hy.kcn.{key}", "hy.kcn", name, short, Kind.COMPANY, {"province_code": HUNG_YEN})
    for key, name, short in [
        ("mektec", "Công ty TNHH Mektec Manufacturing (Việt Nam)", "Mektec"),
        ("toto", "Công ty TNHH TOTO Việt Nam - Chi nhánh Hưng Yên", "TOTO Hưng Yên"),
        ("greenfeed", "Công ty CP Greenfeed Việt Nam", "Greenfeed"),
        ("regina", "Công ty TNHH Regina Miracle International Hưng Yên", "Regina Miracle"),
        ("kyocera", "Công ty TNHH Kyocera Việt Nam", "Kyocera"),
        ("canon", "Công ty TNHH Điện tử Canon Việt Nam", "Canon"),
        ("linea", "Công ty TNHH LINEA AQUA Việt Nam", "Linea Aqua"),
        ("baobiviet", "Công ty TNHH Đầu tư ứng dụng sản xuất Bao bì Việt", "Bao bì Việt"),
        ("hoaphat", "Công ty TNHH phát triển hạ tầng KCN Hòa Phát Hưng Yên", "Hạ tầng Hòa Phát"),
        ("nikkiso", "Công ty TNHH Nikkiso Việt Nam", "Nikkiso"),
    ]
]
ORGANIZATIONS += [
    # Section III: universities.
    ("hy.utc", "hy", "Trường Đại học Tài chính - Quản trị kinh doanh", "Trường ĐH TC-QTKD",
     Kind.UNIVERSITY, {"province_code": HUNG_YEN}),
    ("hy.utehy", "hy", "Trường Đại học Sư phạm Kỹ thuật Hưng Yên", "Trường ĐH SPKT Hưng Yên",
     Kind.UNIVERSITY, {"province_code": HUNG_YEN}),
    # Section IV: departments, agencies and companies.
    ("hy.soyte", "hy", "Sở Y tế tỉnh Hưng Yên", "Sở Y tế", Kind.AGENCY,
     {"province_code": HUNG_YEN}),
    ("hy.dukhoi", "hy", "Đảng ủy khối Cơ quan - Doanh nghiệp tỉnh Hưng Yên",
     "Đảng ủy khối CQ-DN tỉnh", Kind.AGENCY, {"province_code": HUNG_YEN}),
    ("hy.congan", "hy", "Công an tỉnh Hưng Yên", "Công an tỉnh", Kind.AGENCY,
     {"province_code": HUNG_YEN}),
    ("hy.dienluc", "hy", "Công ty Điện lực Hưng Yên", "Điện lực Hưng Yên", Kind.COMPANY,
     {"province_code": HUNG_YEN}),
    ("hy.ldld", "hy", "Liên đoàn Lao động tỉnh Hưng Yên", "LĐLĐ tỉnh", Kind.UNION,
     {"province_code": HUNG_YEN}),
    ("hy.buudien", "hy", "Bưu điện tỉnh Hưng Yên", "Bưu điện tỉnh", Kind.COMPANY,
     {"province_code": HUNG_YEN}),
]

# The new commune committees that carry on the districts' work from 01/07/2025.
ORGANIZATIONS += [
    (f"{key}.successor", "hy", f"Ban Chỉ đạo vận động HMTN {commune[0].lower()}{commune[1:]}",
     f"BCĐ {commune[0].lower()}{commune[1:]}", Kind.COMMUNE_COMMITTEE,
     {"province_code": HUNG_YEN, "commune_name": commune, "valid_from": REFORM_FIRST_DAY})
    for key, _place, commune in HUNG_YEN_DISTRICTS
    if commune
]

ORGANIZATIONS += [
    # Hải Phòng: the city committee, and quận Dương Kinh (seed 004).
    ("hp", "national", "Ban Chỉ đạo vận động hiến máu tình nguyện thành phố Hải Phòng",
     "BCĐ TP Hải Phòng", Kind.PROVINCIAL_COMMITTEE, {"province_code": HAI_PHONG}),
    ("hp.duongkinh", "hp", "Ban Chỉ đạo vận động HMTN quận Dương Kinh", "BCĐ quận Dương Kinh",
     Kind.COMMUNE_COMMITTEE, {"province_code": HAI_PHONG}),
    ("hp.duongkinh.successor", "hp", "Ban Chỉ đạo vận động HMTN phường Dương Kinh",
     "BCĐ phường Dương Kinh", Kind.COMMUNE_COMMITTEE,
     {"province_code": HAI_PHONG, "commune_name": "Phường Dương Kinh",
      "valid_from": REFORM_FIRST_DAY}),
    # Hải Dương (seed 003), merged into Hải Phòng on 01/07/2025. Its old province code
    # no longer exists in the current list, so the province field stays empty.
    ("hd", "national", "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hải Dương",
     "BCĐ tỉnh Hải Dương", Kind.PROVINCIAL_COMMITTEE, {}),
    ("hd.redcross", "hd", "Hội Chữ thập đỏ tỉnh Hải Dương", "Hội CTĐ tỉnh Hải Dương",
     Kind.RED_CROSS, {"notes": "Cơ quan Thường trực Ban Chỉ đạo vận động HMTN tỉnh."}),
    ("hd.ldld", "hd", "Liên đoàn Lao động tỉnh Hải Dương", "LĐLĐ tỉnh Hải Dương", Kind.UNION,
     {"notes": "Huy động ít nhất 700 cán bộ, đoàn viên công đoàn (Kế hoạch tôn vinh 2022-2024)."}),
    ("hd.bqlkcn", "hd", "Ban Quản lý các Khu công nghiệp tỉnh Hải Dương", "BQL các KCN tỉnh HD",
     Kind.AGENCY, {"notes": "Huy động ít nhất 800 công nhân lao động."}),
    ("hd.tinhdoan", "hd", "Tỉnh đoàn Hải Dương", "Tỉnh đoàn HD", Kind.UNION,
     {"notes": "Vận động ít nhất 200 cán bộ, đoàn viên, thanh niên."}),
    ("hd.soyte", "hd", "Sở Y tế tỉnh Hải Dương", "Sở Y tế HD", Kind.AGENCY,
     {"notes": "Vận động ít nhất 150 cán bộ, công chức, viên chức, người lao động."}),
    ("hd.sogd", "hd", "Sở Giáo dục và Đào tạo tỉnh Hải Dương", "Sở GD&ĐT HD", Kind.AGENCY,
     {"notes": "Huy động ít nhất 150 cán bộ, viên chức, giáo viên."}),
    ("hd.congan", "hd", "Công an tỉnh Hải Dương", "Công an tỉnh HD", Kind.AGENCY, {}),
    # Quảng Ninh: the province and Móng Cái (seed 001).
    ("qn", "national", "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Quảng Ninh",
     "BCĐ tỉnh Quảng Ninh", Kind.PROVINCIAL_COMMITTEE, {"province_code": QUANG_NINH}),
    ("qn.huyethoc", "qn", "Trung tâm Huyết học - Truyền máu tỉnh Quảng Ninh",
     "TT Huyết học tỉnh QN", Kind.RECEIVING_INSTITUTION, {"province_code": QUANG_NINH}),
    ("qn.mongcai", "qn", "Ban Chỉ đạo vận động hiến máu tình nguyện thành phố Móng Cái",
     "BCĐ TP Móng Cái", Kind.COMMUNE_COMMITTEE,
     {"province_code": QUANG_NINH}),
    ("qn.mongcai.successor", "qn", "Ban Chỉ đạo vận động HMTN phường Móng Cái 1",
     "BCĐ phường Móng Cái 1", Kind.COMMUNE_COMMITTEE,
     {"province_code": QUANG_NINH, "commune_name": "Phường Móng Cái 1",
      "valid_from": REFORM_FIRST_DAY}),
]

# Hải Dương's departments and chapters ended with their province on 30/06/2025.
ORGANIZATIONS = [
    (key, parent, name, short, kind,
     {**extra, "valid_to": REFORM_LAST_DAY} if key.startswith("hd.") else extra)
    for key, parent, name, short, kind, extra in ORGANIZATIONS
]

# (abolished unit, its successor): the loader records each through the same merge
# function an office uses, which sets the last day to REFORM_LAST_DAY.
SUCCESSORS = [
    (key, f"{key}.successor" if commune else "hy") for key, _place, commune in HUNG_YEN_DISTRICTS
] + [
    ("hp.duongkinh", "hp.duongkinh.successor"),
    ("qn.mongcai", "qn.mongcai.successor"),
    ("hd", "hp"),
]

DEMO_PASSWORD = "hienmau-demo-2024"

# (username, full name, e-mail, organization key, role); role None = superuser.
ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "admin@hienmau.local", None, None),
    ("vanphong", "Nguyễn Thị Hồng", "vanphong@hienmau.local", "hy", "office"),
    ("dieuphoi", "Trần Văn Minh", "dieuphoi@hienmau.local", "hy.kcn", "coordinator"),
    ("vienhuyethoc", "Lê Thu Trang", "vienhuyethoc@hienmau.local", "nihbt",
     "institution_staff"),
    ("lanhdao", "Phạm Quốc Hưng", "lanhdao@hienmau.local", "hy", "viewer"),
    ("truongclb", "Đoàn Thị Mai", "truongclb@hienmau.local", "hy.kcn.clb", "coordinator"),
]
