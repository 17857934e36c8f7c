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


def test_the_movements_acronyms_and_their_typos_are_the_words_they_stand_for():
    full = "Ban Chỉ đạo vận động hiến máu tình nguyện phường Hiến Nam"
    for short in ("BCĐ vận động HMTN phường Hiến Nam", "BCĐ vận động HMTM phường Hiến Nam",
                  "BCĐ VĐ HMTN phường Hiến Nam", "BCĐ VĐHMTN phường Hiến Nam",
                  "Ban chỉ đạo vận động H.M.T.N phường Hiến Nam",
                  "BCĐ vận động hiến máu tình nguyện phường Hiến Nan"):  # and one typo
        assert names_look_alike(full, short), short
    assert names_look_alike("Hội Chữ thập đỏ tỉnh Hưng Yên", "Hội CTĐ tỉnh Hưng Yên")
    assert names_look_alike("CLB hiến máu KCN Phố Nối A", "Câu lạc bộ hiến máu khu công "
                                                          "nghiệp Phố Nối A")
    # Still different units.
    assert not names_look_alike(full, "BCĐ vận động HMTN phường Minh Khai")
    assert not names_look_alike("BCĐ HMTN phường Móng Cái 1",
                                "Ban Chỉ đạo hiến máu tình nguyện phường Móng Cái 2")
    assert not names_look_alike("BCĐ HMTN phường Hiến Nam", "BCĐ HMNĐ phường Hiến Nam")


def test_an_acronym_spelling_is_found_among_the_siblings(db):
    root = services.create_organization(actor=None, parent=None, name="Tỉnh",
                                        kind=Kind.PROVINCIAL_COMMITTEE)
    full = services.create_organization(
        actor=None, parent=root, kind=Kind.COMMUNE_COMMITTEE,
        name="Ban Chỉ đạo vận động hiến máu tình nguyện phường Hiến Nam")
    short = services.create_organization(actor=None, parent=root, kind=Kind.COMMUNE_COMMITTEE,
                                         name="BCĐ vận động HMTM phường Hiến Nam")
    pairs = probable_duplicate_pairs(Organization.objects.all())
    assert [(x.pk, y.pk) for x, y in pairs] == [(full.pk, short.pk)]


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


def test_candidate_search_finds_exactly_what_comparing_every_pair_finds():
    import random
    from types import SimpleNamespace

    from hienmau.orgs.duplicates import keys_look_alike

    rng = random.Random(7)
    words = ["an", "hoa", "hao", "my", "binh", "tan", "lap", "phu", "cu", "xa", "thi"]
    names = set()
    while len(names) < 300:
        name = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.3:  # add a typo
            i = rng.randrange(len(name))
            name = name[:i] + rng.choice("aohn ") + name[i + 1:]
        names.add(name)
    orgs = [SimpleNamespace(path=f"0001{i:04d}", steplen=4, name_key=n)
            for i, n in enumerate(sorted(names))]
    brute = [(a.name_key, b.name_key) for i, a in enumerate(orgs) for b in orgs[i + 1:]
             if keys_look_alike(a.name_key, b.name_key)]
    found = [(a.name_key, b.name_key) for a, b in probable_duplicate_pairs(orgs)]
    assert found == brute and len(found) > 10
