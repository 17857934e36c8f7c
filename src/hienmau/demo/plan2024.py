"""Seed 002 as data: the Hưng Yên 2024 plan, its appendix (BẢNG CHỈ TIÊU) and body (II.2).

Quotas and per-drive expected units are the appendix's. Where the body gives another
figure for the same drive, the appendix figure is kept and the body's is noted on the
drive, as an office would when reconciling the two:
- Ân Thi 14/03/2024: appendix 600, body 500.
- Khu công nghiệp 11/04/2024: appendix 200, body 300.
The body writes "thị xã Mỹ Hòa" for the town the appendix calls Mỹ Hào (Mỹ Hào is right).
"""

import datetime

PLAN = {
    "title": "Kế hoạch tuyên truyền, vận động và tổ chức hiến máu tình nguyện năm 2024",
    "starts_on": datetime.date(2023, 12, 1),
    "ends_on": datetime.date(2024, 11, 30),
    "document_number": "/KH-UBND",
    "population_target_percent": "1.50",
    # Not in seed 002 (which cites QĐ 120/QĐ-BCĐQG without the figure); an office
    # enters the national and provincial figures from the decisions it receives.
    "national_quota": None,
    "provincial_quota": None,
}

# Campaigns named in the body, with the month they usually fall in.
CAMPAIGNS = [
    ("chunhatdo", "Chủ nhật đỏ", 12),
    ("xuanhong", "Lễ hội Xuân hồng", 3),
    ("toandan", "Ngày toàn dân hiến máu tình nguyện 7/4", 4),
    ("tonvinh", "Ngày Thế giới tôn vinh người hiến máu 14/6", 6),
    ("hanhtrinhdo", "Hành trình đỏ", 6),
    ("giotmauhong", "Những giọt máu hồng hè", 8),
]

# (number, title, [(unit key, quota)]) in the appendix's order.
SECTIONS = [
    ("I", "Ban Chỉ đạo vận động HMTN các huyện, thị, thành phố", [
        ("hy.khoaichau", 1350), ("hy.yenmy", 1170), ("hy.anthi", 1005), ("hy.vanlam", 998),
        ("hy.vangiang", 900), ("hy.kimdong", 878), ("hy.tp", 855), ("hy.myhao", 840),
        ("hy.tienlu", 698), ("hy.phucu", 593)]),
    ("II", "Các Khu công nghiệp tỉnh", [("hy.kcn", 1200)]),
    ("III", "Các trường Đại học", [("hy.utc", 675), ("hy.utehy", 1500)]),
    ("IV", "Các Sở, Ngành, Doanh nghiệp", [
        ("hy.soyte", 200), ("hy.dukhoi", 200), ("hy.congan", 200), ("hy.dienluc", 200),
        ("hy.ldld", 200), ("hy.buudien", 100)]),
]

NIHBT, VIETDUC = "nihbt", "vietduc"
KCN_VENUE = "Các Khu công nghiệp tỉnh"
KCN_GROUP = ("Cán bộ, nhân viên, công nhân và người lao động thuộc Ban quản lý các Khu "
             "công nghiệp tỉnh")
CULTURE_HOUSE = "Nhà văn hóa huyện {}"


def d(text: str) -> datetime.date:
    day, month, year = (int(x) for x in text.split("/"))
    return datetime.date(year, month, day)


# (organizer key, date, expected units, venue, institution, campaign, extra)
DRIVES = [
    # 2.1 Tháng 12/2023 — Chủ nhật đỏ
    ("hy.tienlu", "07/12/2023", 300, CULTURE_HOUSE.format("Tiên Lữ"), NIHBT, "chunhatdo", {}),
    ("hy.dienluc", "12/12/2023", 250, "Hội trường lớn Công ty Điện lực Hưng Yên", NIHBT,
     "chunhatdo", {}),
    # 2.2 Tháng 3/2024 — Lễ hội Xuân hồng
    ("hy.yenmy", "05/03/2024", 500, CULTURE_HOUSE.format("Yên Mỹ"), NIHBT, "xuanhong", {}),
    ("hy.khoaichau", "06/03/2024", 1000, CULTURE_HOUSE.format("Khoái Châu"), NIHBT, "xuanhong",
     {"title": "Lễ hội Xuân hồng"}),
    ("hy.myhao", "06/03/2024", 650, "Trung tâm văn hóa thị xã Mỹ Hào", VIETDUC, "xuanhong",
     {"title": "Ngày hội hưởng ứng Lễ hội Xuân hồng"}),
    ("hy.vangiang", "11/03/2024", 500, "Hội trường lớn UBND huyện Văn Giang", NIHBT,
     "xuanhong", {}),
    ("hy.anthi", "14/03/2024", 600, CULTURE_HOUSE.format("Ân Thi"), NIHBT, "xuanhong",
     {"notes": "Phần nội dung kế hoạch ghi 500 đơn vị máu; phụ lục ghi 600."}),
    ("hy.vanlam", "18/03/2024", 150, "Công ty đóng trên địa bàn huyện Văn Lâm", NIHBT,
     "xuanhong", {}),
    ("hy.tienlu", "21/03/2024", 350, CULTURE_HOUSE.format("Tiên Lữ"), NIHBT, "xuanhong", {}),
    ("hy.tp", "28/03/2024", 500, "Nhà văn hóa phường An Tảo", NIHBT, "xuanhong", {}),
    # 2.3 Tháng 4/2024 — Ngày toàn dân hiến máu 7/4
    ("hy.kimdong", "02/04/2024", 500, "Hội trường lớn Huyện ủy Kim Động", NIHBT, "toandan", {}),
    ("hy.phucu", "03/04/2024", 500, CULTURE_HOUSE.format("Phù Cừ"), NIHBT, "toandan",
     {"title": "Ngày hội toàn dân hiến máu tình nguyện"}),
    ("hy.kcn", "04/04/2024", 300, KCN_VENUE, NIHBT, "toandan", {}),
    ("hy.utehy", "10/04/2024", 500, "Cơ sở 2", VIETDUC, "toandan", {}),
    ("hy.kcn", "11/04/2024", 200, KCN_VENUE, NIHBT, "toandan",
     {"notes": "Phần nội dung kế hoạch ghi 300 đơn vị máu; phụ lục ghi 200."}),
    ("hy.utehy", "16/04/2024", 1000, "Cơ sở 1", VIETDUC, "toandan", {}),
    ("hy.utc", "17/04/2024", 350, "Cơ sở 1", NIHBT, "toandan", {}),
    ("hy.kcn", "18/04/2024", 400, KCN_VENUE, NIHBT, "toandan", {}),
    # 2.4 Tháng 5/2024 — Những giọt máu hồng hè
    ("hy.kcn", "13/05/2024", 300, KCN_VENUE, NIHBT, "giotmauhong", {}),
    ("hy.kcn", "23/05/2024", 150, KCN_VENUE, NIHBT, "giotmauhong", {}),
    # 2.5 Tháng 6/2024 — Tôn vinh 14/6 và Hành trình đỏ
    ("hy", "04/06/2024", 1100, "Trung tâm hội nghị tỉnh", NIHBT, "hanhtrinhdo",
     {"title": "Chương trình Hành trình đỏ năm 2024",
      "shares": [("hy.dukhoi", 200), ("hy.ldld", 200), ("hy.congan", 200), ("hy.soyte", 200),
                 ("hy", 300)],
      "notes": "300 đơn vị máu do các huyện, thành phố, thị xã cùng vận động."}),
    ("hy.kcn", "05/06/2024", 150, KCN_VENUE, NIHBT, "tonvinh", {}),
    ("hy.yenmy", "18/06/2024", 800, CULTURE_HOUSE.format("Yên Mỹ"), VIETDUC, "tonvinh", {}),
    ("hy.vanlam", "27/06/2024", 700, CULTURE_HOUSE.format("Văn Lâm"), NIHBT, "tonvinh", {}),
    # 2.6 Tháng 7/2024 — Hỗ trợ Hành trình đỏ
    ("hy.khoaichau", "09/07/2024", 900, CULTURE_HOUSE.format("Khoái Châu"), VIETDUC,
     "hanhtrinhdo", {}),
    ("hy.kimdong", "17/07/2024", 500, "Hội trường lớn Huyện ủy Kim Động", NIHBT, "hanhtrinhdo",
     {}),
    ("hy.anthi", "18/07/2024", 600, CULTURE_HOUSE.format("Ân Thi"), NIHBT, "hanhtrinhdo", {}),
    ("hy.vanlam", "24/07/2024", 150, "Công ty đóng trên địa bàn huyện Văn Lâm", NIHBT,
     "hanhtrinhdo", {}),
    ("hy.kcn", "25/07/2024", 300, KCN_VENUE, NIHBT, "hanhtrinhdo", {}),
    # 2.7 Tháng 8/2024 — Những giọt máu hồng hè
    ("hy.myhao", "06/08/2024", 650, "Trung tâm văn hóa thị xã Mỹ Hào", VIETDUC, "giotmauhong",
     {}),
    ("hy.phucu", "07/08/2024", 500, CULTURE_HOUSE.format("Phù Cừ"), NIHBT, "giotmauhong", {}),
    ("hy.kcn", "08/08/2024", 350, KCN_VENUE, NIHBT, "giotmauhong", {}),
    ("hy.buudien", "10/08/2024", 150, "Hội trường lớn Bưu Điện tỉnh Hưng Yên", NIHBT,
     "giotmauhong", {}),
    ("hy.tienlu", "12/08/2024", 350, CULTURE_HOUSE.format("Tiên Lữ"), NIHBT, "giotmauhong", {}),
    ("hy.tp", "15/08/2024", 400, "Nhà văn hóa phường An Tảo", NIHBT, "giotmauhong", {}),
    ("hy.kcn", "27/08/2024", 750, KCN_VENUE, VIETDUC, "giotmauhong", {}),
    # 2.8 Tháng 9/2024 — Ngày hội hiến máu tại đơn vị
    ("hy.kcn", "19/09/2024", 300, KCN_VENUE, NIHBT, None, {}),
    ("hy.vangiang", "26/09/2024", 200, "Trường Đại học Anh Quốc đóng trên địa bàn huyện Văn "
     "Giang", NIHBT, None, {}),
    # 2.9 Tháng 10/2024
    ("hy.kcn", "02/10/2024", 150, KCN_VENUE, NIHBT, None, {}),
    ("hy.utc", "24/10/2024", 300, "Cơ sở 1 và cơ sở 2", NIHBT, None, {}),
    # 2.10 Tháng 11/2024
    ("hy.yenmy", "02/11/2024", 300, "Công ty Tân Á Đại Thành đóng trên địa bàn huyện Yên Mỹ",
     NIHBT, None, {}),
    ("hy.utehy", "05/11/2024", 1000, "Cơ sở 1", VIETDUC, None, {}),
    ("hy.utc", "06/11/2024", 300, "Cơ sở 1 và cơ sở 2", NIHBT, None, {}),
    ("hy.vangiang", "11/11/2024", 500, "Hội trường lớn UBND huyện Văn Giang", NIHBT, None, {}),
    ("hy.anthi", "12/11/2024", 600, CULTURE_HOUSE.format("Ân Thi"), NIHBT, None, {}),
    ("hy.utehy", "13/11/2024", 500, "Cơ sở 2", VIETDUC, None, {}),
    ("hy.tp", "26/11/2024", 350, "Nhà văn hóa phường An Tảo", NIHBT, None, {}),
    ("hy.khoaichau", "26/11/2024", 900, CULTURE_HOUSE.format("Khoái Châu"), VIETDUC, None, {}),
]
