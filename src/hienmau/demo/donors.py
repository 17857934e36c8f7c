"""Demo donors: invented people (no real person's data), with donations on the 2024
plan's drives, so that the donor screens have something to show. Their CCCD numbers
follow the real structure (033 = Hưng Yên, then the century/sex digit and birth year).
"""

import datetime

# (key of the unit keeping the record, full name, birth date, sex, phone, blood group,
#  weight kg, [(drive date, organizer key, volume ml, outcome)])
DONORS = [
    ("hy.kcn", "Nguyễn Văn Hùng", "12/03/1990", "M", "0912 345 678", "O+", 62,
     [("04/04/2024", 350, "collected"), ("25/07/2024", 350, "collected")]),
    ("hy.kcn", "Trần Thị Lan", "05/11/1998", "F", "0983.112.204", "A+", 48,
     [("13/05/2024", 250, "collected"), ("08/08/2024", None, "deferred")]),
    ("hy.kcn", "Lê Minh Tuấn", "30/01/2001", "M", "+84 977 450 113", "B+", 70,
     [("18/04/2024", 450, "collected"), ("19/09/2024", 450, "collected")]),
    ("hy.kcn", "Phạm Thị Hồng Nhung", "21/07/1995", "F", "0168 334 5566", "O+", 51, []),
    ("hy.kcn", "Đỗ Quang Huy", "09/09/1987", "M", "0904 221 908", "AB+", 75,
     [("11/04/2024", 450, "collected"), ("08/08/2024", 450, "collected"),
      ("02/10/2024", 450, "incomplete")]),
    ("hy.khoaichau", "Vũ Thị Thu Hà", "14/02/1993", "F", "0936 871 022", "A+", 53,
     [("06/03/2024", 350, "collected"), ("09/07/2024", 350, "collected")]),
    ("hy.khoaichau", "Hoàng Văn Nam", "03/06/1979", "M", "0915 660 741", "O-", 68,
     [("06/03/2024", 450, "collected")]),
]
DEFERRED_DAYS = 14  # the demo deferral: low hemoglobin, two weeks


def day(text: str) -> datetime.date:
    d, m, y = (int(x) for x in text.split("/"))
    return datetime.date(y, m, d)


def cccd(index: int, born: datetime.date, sex: str) -> str:
    century = (born.year // 100 - 19) * 2 + (1 if sex == "F" else 0)
    return f"033{century}{born.year % 100:02d}{700100 + index:06d}"


# Workers of an (invented) garment company who come to today's demo drive: names put
# together from common parts, every fifth one a woman of the lighter build the 250 ml
# bag is for.
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
_MEN = ["Văn Hải", "Đức Anh", "Quang Vinh", "Minh Khôi", "Văn Toàn", "Hữu Phước"]
_WOMEN = ["Thị Mai", "Thu Trang", "Ngọc Ánh", "Thị Hằng", "Thanh Hương", "Minh Thư"]


def workers(count: int = 30) -> list[tuple]:
    """(full name, birth date, sex, phone, weight kg) for `count` invented people."""
    people = []
    for n in range(count):
        woman = n % 2 == 1
        given = (_WOMEN if woman else _MEN)[n % 6]
        born = datetime.date(1985 + n % 17, 1 + n % 12, 1 + (n * 7) % 28)
        weight = 44 if n % 5 == 4 else (52 + n % 9 if woman else 60 + n % 15)
        people.append((f"{_FAMILY[n % 10]} {given}", born, "F" if woman else "M",
                       f"0919 {400 + n:03d} {500 + n * 7:03d}", weight))
    return people
