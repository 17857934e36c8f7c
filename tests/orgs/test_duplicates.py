from hienmau.orgs import services
from hienmau.orgs.duplicates import names_look_alike, probable_duplicate_pairs
from hienmau.orgs.models import Kind, Organization


def test_seed_002_spelling_of_my_hao_is_a_probable_duplicate():
    assert names_look_alike("BCĐ vận động HMTN thị xã Mỹ Hào", "BCĐ vận động HMTN thị xã Mỹ Hòa")


def test_names_differing_only_by_diacritics_spacing_or_case_look_alike():
    assert names_look_alike("Huyện Ân Thi", "huyen  an thi")
    assert names_look_alike("Công ty Điện lực Hưng Yên", "CÔNG TY ĐIỆN LỰC HƯNG YÊN ")
    assert names_look_alike("Trường ĐH SPKT", "Truong DH SPKT")


def test_different_units_do_not_look_alike():
    assert not names_look_alike("Phường Móng Cái 1", "Phường Móng Cái 2")
    assert not names_look_alike("BCĐ huyện Khoái Châu", "BCĐ huyện Yên Mỹ")
    assert not names_look_alike("BCĐ huyện Tiên Lữ", "BCĐ huyện Tiên Lãng")
    assert not names_look_alike("Cơ sở 1", "Cơ sở 2")
    assert not names_look_alike("Xã A", "Xã B")  # too short to call it a typo


def test_one_typo_letter_added_dropped_or_replaced_looks_alike():
    assert names_look_alike("Công ty Kyocera", "Công ty Kyoceera")
    assert names_look_alike("Công ty Kyocera", "Công ty Kyocra")
    assert names_look_alike("Công ty Kyocera", "Công ty Kyocena")


def test_pairs_are_found_among_siblings_only(db):
    root = services.create_organization(actor=None, parent=None, name="Tỉnh",
                                        kind=Kind.PROVINCIAL_COMMITTEE)
    a = services.create_organization(actor=None, parent=root, name="Thị xã Mỹ Hào",
                                     kind=Kind.COMMUNE_COMMITTEE)
    b = services.create_organization(actor=None, parent=root, name="Thị xã Mỹ Hòa",
                                     kind=Kind.COMMUNE_COMMITTEE)
    services.create_organization(actor=None, parent=a, name="Thị xã Mỹ Hào",
                                 kind=Kind.COMMUNE_COMMITTEE)  # a child, not a sibling
    pairs = probable_duplicate_pairs(Organization.objects.all())
    assert [(x.pk, y.pk) for x, y in pairs] == [(a.pk, b.pk)]
