"""Loads the demo data through the same write functions the screens use.

Idempotent: every organization's code is derived from its key in `data.py`, and
accounts are found by username, so a second run creates nothing and changes nothing
that a user may have edited since.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hienmau.demo import data
from hienmau.orgs import geography, services
from hienmau.orgs.models import Membership, Organization

NAMESPACE = uuid.UUID("6f1c7a52-3c1e-4a8e-9d53-1b0f3f1f7e21")
ACTOR = "Dữ liệu mẫu"


def demo_code(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


def _commune_code(province_code: int, name: str) -> int:
    for code, commune in geography.communes(province_code):
        if commune == name:
            return code
    raise LookupError(f"{name} is not in the official list for province {province_code}")


def _fields(name, short_name, kind, extra) -> dict:
    fields = {"name": name, "short_name": short_name, "kind": kind, **extra}
    commune = fields.pop("commune_name", None)
    if commune:
        fields["commune_code"] = _commune_code(fields["province_code"], commune)
    return fields


@transaction.atomic
def load_organizations() -> int:
    created = 0
    by_key: dict[str, Organization] = {}
    existing = {o.code: o for o in Organization.objects.filter(
        code__in=[demo_code(k) for k, *_rest in data.ORGANIZATIONS])}
    for key, parent_key, name, short_name, kind, extra in data.ORGANIZATIONS:
        org = existing.get(demo_code(key))
        if org is None:
            org = services.create_organization(
                actor=ACTOR, parent=by_key[parent_key] if parent_key else None,
                code=demo_code(key), **_fields(name, short_name, kind, extra))
            created += 1
        by_key[key] = org
    for old_key, new_key in data.SUCCESSORS:
        old = Organization.objects.get(pk=by_key[old_key].pk)
        if old.successor_id is None:
            services.merge_into_successor(
                old, successor=by_key[new_key], last_day=data.REFORM_LAST_DAY,
                move_children=False, actor=ACTOR)
    return created


@transaction.atomic
def load_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts; returns (username, role label, organization) rows."""
    User = get_user_model()
    rows = []
    for username, full_name, email, org_key, role in data.ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": email})
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role is None
            user.save()
        if role is None:
            rows.append((username, "Quản trị hệ thống (superuser)", "—"))
            continue
        org = Organization.objects.get(code=demo_code(org_key))
        if not Membership.objects.filter(user=user, organization=org).exists():
            services.add_membership(actor=ACTOR, organization=org, user=user, role=role)
        membership = Membership.objects.get(user=user, organization=org)
        rows.append((username, str(membership.get_role_display()), org.name))
    return rows


@transaction.atomic
def load_plan_2024() -> bool:
    """Seed 002's plan with every quota and drive; False when it is already there."""
    from hienmau.demo import plan2024
    from hienmau.plans import services as plans
    from hienmau.plans.models import Plan

    province = Organization.objects.get(code=demo_code("hy"))
    if Plan.objects.filter(committee=province, starts_on=plan2024.PLAN["starts_on"]).exists():
        return False
    national = Organization.objects.get(code=demo_code("national"))
    campaigns = {key: plans.save_campaign(actor=ACTOR, owner=national, name=name,
                                          usual_month=month)
                 for key, name, month in plan2024.CAMPAIGNS}
    plan = plans.create_plan(actor=ACTOR, committee=province, **plan2024.PLAN)

    def org(key):
        return Organization.objects.get(code=demo_code(key))

    for position, (number, title, rows) in enumerate(plan2024.SECTIONS):
        section = plans.save_section(plan, actor=ACTOR, number=number, title=title,
                                     position=position)
        for key, units in rows:
            plans.save_quota(plan, actor=ACTOR, organization=org(key), units=units,
                             section=section)
    office = org("hy.redcross")
    for key, day, units, venue, institution, campaign, extra in plan2024.DRIVES:
        extra = dict(extra)
        shares = [(org(k), n) for k, n in extra.pop("shares", [])] or None
        organizer = org(key)
        coordinating = [province] + ([s for s, _n in shares] if shares else [organizer])
        plans.create_drive(
            actor=ACTOR, plan=plan, date=plan2024.d(day), expected_units=units, venue=venue,
            organizer=organizer, receiving_institution=org(institution),
            campaign=campaigns[campaign] if campaign else None,
            target_group=plan2024.KCN_GROUP if key == "hy.kcn" else "",
            coordinating=list(dict.fromkeys(coordinating)),
            executing=list(dict.fromkeys([organizer, org(institution), office])),
            shares=shares, **extra)
    return True


def history_code(key: str, day: datetime.date) -> uuid.UUID:
    """The fixed code of a past drive of `history.py` (organizer key and date)."""
    return demo_code(f"demo.history.{key}.{day:%Y-%m-%d}")


@transaction.atomic
def load_history() -> bool:
    """The seeds' past results (`history.py`): the province's plans of 2022 and 2023 with
    their quotas and drives, and Dương Kinh's drive of 03/11/2022, each drive closed with
    typed totals, and the finished plans closed; False when they are already there."""
    from hienmau.demo import history, plan2024
    from hienmau.drives import drive_day
    from hienmau.plans import services as plans
    from hienmau.plans.models import Campaign, Drive, Plan, PlanStatus

    def org(key):
        return Organization.objects.get(code=demo_code(key))

    province = org("hy")
    rows = history.DRIVES_2022 + history.DRIVES_2023
    codes = [history_code(key, history.d(day)) for key, day, *_rest in rows]
    codes.append(history_code(history.DUONG_KINH["organizer"], history.DUONG_KINH["date"]))
    if Plan.objects.filter(committee=province, starts_on__in=[
            history.PLAN_2022["starts_on"], history.PLAN_2023["starts_on"]]).exists() or \
            Drive.objects.filter(code__in=codes).exists():
        return False

    national = org("national")
    months = {key: (name, month) for key, name, month in plan2024.CAMPAIGNS}

    def campaign(key):
        name, month = months[key]
        return (Campaign.objects.filter(owner=national, name=name).first()
                or plans.save_campaign(actor=ACTOR, owner=national, name=name,
                                       usual_month=month))

    def close_with_totals(drive, key, units, n, note="", **people):
        Drive.objects.filter(pk=drive.pk).update(code=history_code(key, drive.date))
        drive_day.close(drive, actor=None, units_collected=units, note=note,
                        totals=history.totals(units, n, **people))

    # The finished plans, as an office enters them: plan, sections, quotas.
    finished = []
    for fields, sections in [(history.PLAN_2022, history.SECTIONS_2022),
                             (history.PLAN_2023, history.SECTIONS_2023)]:
        plan = plans.create_plan(actor=ACTOR, committee=province, status=PlanStatus.APPROVED,
                                 **fields)
        for position, (number, title, quotas) in enumerate(sections):
            section = plans.save_section(plan, actor=ACTOR, number=number, title=title,
                                         position=position)
            for key, units in quotas:
                plans.save_quota(plan, actor=ACTOR, organization=org(key), units=units,
                                 section=section)
        finished.append(plan)

    # Their drives, each joining the plan that covers it, closed with the totals.
    office, zones = org("hy.redcross"), org("hy.kcn")
    for n, (key, day, expected, units, venue, institution, campaign_key, extra) in \
            enumerate(rows):
        extra = dict(extra)
        shares = [(org(k), u) for k, u in extra.pop("shares", [])] or None
        organizer, date = org(key), history.d(day)
        place = history.PLACES.get(key) or organizer.name
        extra.setdefault("title", history.title(place, campaign_key, date))
        coordinating = [province] + ([zones] if organizer.is_within(zones) else []) + (
            [s for s, _u in shares] if shares else [organizer])
        drive = plans.create_drive(
            actor=ACTOR, plan=None, date=date, expected_units=expected,
            venue=venue or organizer.name, organizer=organizer,
            receiving_institution=org(institution),
            campaign=campaign(campaign_key) if campaign_key else None,
            coordinating=list(dict.fromkeys(coordinating)),
            executing=list(dict.fromkeys([organizer, org(institution), office])),
            shares=shares, **extra)
        close_with_totals(drive, key, units, n)

    fields = dict(history.DUONG_KINH)
    key = fields.pop("organizer")
    committee = org(key)
    drive = plans.create_drive(actor=ACTOR, plan=None, organizer=committee,
                               coordinating=[committee], executing=[committee], **fields)
    result = dict(history.DUONG_KINH_RESULT)
    close_with_totals(drive, key, result.pop("units"), len(rows), **result)

    for plan in finished:
        plans.update_plan(plan, actor=ACTOR, status=PlanStatus.CLOSED)
    return True


@transaction.atomic
def load_donors() -> int:
    """The invented donors of `demo/donors.py` and their donations; 0 when already there."""
    from hienmau.demo import donors
    from hienmau.donors import services as registry
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Donation
    from hienmau.plans.models import Drive

    created = 0
    for index, (key, name, born, sex, phone, blood, weight, visits) in enumerate(donors.DONORS):
        home, born = Organization.objects.get(code=demo_code(key)), donors.day(born)
        number = donors.cccd(index, born, sex)
        if Donor.objects.filter(id_type="cccd", id_number=number).exists():
            continue
        donor = registry.create_donor(
            actor=ACTOR, full_name=name, birth_date=born, sex=sex, id_type="cccd",
            id_number=number, phone=phone, home=home, workplace=home, blood_group=blood[:-1],
            rh=blood[-1], weight_kg=weight, province_code=home.province_code)
        for date, volume, outcome in visits:
            drive = Drive.objects.filter(date=donors.day(date), organizer=home).first()
            deferred = outcome == "deferred"
            Donation.objects.create(
                donor=donor, date=donors.day(date), volume_ml=volume, outcome=outcome,
                drive=drive, receiving_institution=drive.receiving_institution if drive else None,
                deferral_reason="Hemoglobin thấp" if deferred else "",
                deferred_until=donors.day(date) + datetime.timedelta(
                    days=donors.DEFERRED_DAYS) if deferred else None,
                source="Dữ liệu mẫu")
        created += 1
    return created


HONOR_ROUND = "Tôn vinh người hiến máu tiêu biểu năm 2024 (mẫu)"
# Donations before HienMau of some demo donors, as an office would record them, so that
# the 2024 round has milestones to propose: Hùng reaches 20, Huy 30, Hà 5; Hà's family
# with Hoàng Văn Nam passes 5.
PRIOR = {"Nguyễn Văn Hùng": 18, "Đỗ Quang Huy": 28, "Vũ Thị Thu Hà": 3}
FAMILY = ("Vũ Thị Thu Hà", "Hoàng Văn Nam")


@transaction.atomic
def load_honors() -> bool:
    """A 14/6-style round of the province for plan year 2024, its lists proposed from the
    demo donors (some with donations before HienMau, and a family); False when there."""
    from hienmau.donors import services as registry
    from hienmau.donors.models import Donor
    from hienmau.honors import services as honors
    from hienmau.honors.models import HonorRound

    province = Organization.objects.get(code=demo_code("hy"))
    if HonorRound.objects.filter(committee=province, title=HONOR_ROUND).exists():
        return False
    people = {d.full_name: d for d in Donor.objects.filter(
        full_name__in=[*PRIOR, *FAMILY], home__path__startswith=province.path)}
    if len(people) < len(set(PRIOR) | set(FAMILY)):
        return False  # the demo donors are not there
    for name, count in PRIOR.items():
        registry.record_prior_donations(people[name], actor=ACTOR, count=count,
                                        source="Sổ theo dõi người hiến máu của Hội CTĐ tỉnh "
                                               "(dữ liệu mẫu)")
    registry.join_household(people[FAMILY[1]], people[FAMILY[0]], actor=ACTOR)
    honor_round = honors.create_round(
        actor=ACTOR, committee=province, title=HONOR_ROUND,
        period_start=datetime.date(2023, 12, 1), period_end=datetime.date(2024, 11, 30),
        ceremony_date=datetime.date(2025, 6, 14), individual_from=5, family_from=3,
        collective_percent=100)
    honors.propose(honor_round, actor=ACTOR)
    return True


UPCOMING_DRIVE = "demo.drive.upcoming"


@transaction.atomic
def load_upcoming_drive(today: datetime.date | None = None) -> bool:
    """A drive of the industrial-zone committee on a Sunday a few weeks ahead, with some
    of the demo donors registered, so that registration pages have something to show.
    Made once (its code is fixed): later loads leave it as it is."""
    from hienmau.donors.models import Donor
    from hienmau.drives import registrations
    from hienmau.plans import services as plans
    from hienmau.plans.models import Drive

    if Drive.objects.filter(code=demo_code(UPCOMING_DRIVE)).exists():
        return False
    today = today or timezone.localdate()
    day = today + datetime.timedelta(days=21 + (6 - today.weekday()) % 7)  # a Sunday
    organizer = Organization.objects.get(code=demo_code("hy.kcn"))
    drive = plans.create_drive(
        actor=ACTOR, plan=None, date=day, venue="Nhà văn hóa Khu công nghiệp Phố Nối A",
        title="Ngày hội hiến máu Khu công nghiệp (dữ liệu mẫu)", organizer=organizer,
        receiving_institution=Organization.objects.get(code=demo_code("nihbt")),
        expected_units=250, registration_target=300, start_time=datetime.time(7, 30),
        end_time=datetime.time(11, 30))
    Drive.objects.filter(pk=drive.pk).update(code=demo_code(UPCOMING_DRIVE))
    drive.refresh_from_db()
    people = Donor.objects.filter(home__path__startswith=organizer.path).order_by("pk")[:12]
    for donor in people:
        registrations.register(drive, donor, source="coordinator", actor=ACTOR, today=today,
                               mobilized_by=donor.home)
    return True


TODAYS_DRIVE = "demo.drive.today"


@transaction.atomic
def load_todays_drive(today: datetime.date | None = None) -> bool:
    """A drive on the day the demo is loaded, half-way through its morning: people
    checked in, two deferred, some bags collected, so that the check-in desk, the live
    tally and the certificates have something to show. Made once (its code is fixed)."""
    from decimal import Decimal

    from hienmau.demo import donors
    from hienmau.donors import services as registry
    from hienmau.donors.history import donor_history
    from hienmau.donors.models import Donor
    from hienmau.drives import drive_day, registrations
    from hienmau.plans import services as plans
    from hienmau.plans.models import Drive

    if Drive.objects.filter(code=demo_code(TODAYS_DRIVE)).exists():
        return False
    today = today or timezone.localdate()
    organizer = Organization.objects.get(code=demo_code("hy.kcn"))
    staff = get_user_model().objects.get(username="vienhuyethoc")
    coordinator = get_user_model().objects.get(username="dieuphoi")
    drive = plans.create_drive(
        actor=ACTOR, plan=None, date=today, venue="Hội trường Công ty May Phố Nối",
        title="Ngày hội hiến máu hôm nay (dữ liệu mẫu)", organizer=organizer,
        receiving_institution=Organization.objects.get(code=demo_code("nihbt")),
        expected_units=40, registration_target=50, start_time=datetime.time(7, 0),
        end_time=datetime.time(11, 30))
    Drive.objects.filter(pk=drive.pk).update(code=demo_code(TODAYS_DRIVE))
    drive.refresh_from_db()
    people = []
    for n, (name, born, sex, phone, weight) in enumerate(donors.workers()):
        number = donors.cccd(100 + n, born, sex)
        people.append(Donor.objects.filter(id_type="cccd", id_number=number).first()
                      or registry.create_donor(
                          actor=ACTOR, full_name=name, birth_date=born, sex=sex,
                          id_type="cccd", id_number=number, phone=phone, home=organizer,
                          weight_kg=weight, province_code=organizer.province_code))
    for n, donor in enumerate(people):
        registration = registrations.register(drive, donor, source="coordinator",
                                              actor=coordinator, today=today,
                                              mobilized_by=donor.home)[0]
        if n >= 14 or not donor_history(donor, today).assessment.eligible:
            continue  # still to come, or not eligible by their record
        drive_day.check_in(registration, actor=coordinator)
        weight = donor.weight_kg or Decimal("58")
        if n % 6 == 5:
            drive_day.screen(registration, drive_day.ScreeningInput(
                accepted=False, weight_kg=weight, hemoglobin_g_l=112,
                deferral_reason="hemoglobin",
                deferred_until=today + datetime.timedelta(days=28)), actor=staff)
        elif n < 10:
            drive_day.screen(registration, drive_day.ScreeningInput(
                accepted=True, weight_kg=weight, hemoglobin_g_l=138, systolic_mm_hg=118,
                diastolic_mm_hg=76, pulse_bpm=74), actor=staff)
            volumes = drive_day.volumes_for(registration)
            if volumes and n < 8:
                # Mostly the largest bag the person may give; some give 350 ml.
                volume = volumes[-1] if n % 3 else volumes[max(0, len(volumes) - 2)]
                drive_day.collect(registration, volume_ml=volume, actor=staff,
                                  bag=f"PN-{today:%y%m%d}-{n + 1:03d}")
    return True


DEMO_CLUB = "hy.kcn.clb"


@transaction.atomic
def load_outreach() -> bool:
    """The demo club's members (its leader is the `truongclb` account) and the demo
    donors' consent to be messaged (SMS and Zalo on their phones), so that the mailing,
    club and appeal pages have people to reach. Made once: False when the club has
    members already."""
    from hienmau.donors import services as registry
    from hienmau.donors.models import Consent, Donor

    club = Organization.objects.get(code=demo_code(DEMO_CLUB))
    if club.club_donors.exists():
        return False
    zone = club.parent_org()
    donors = list(Donor.objects.filter(merged_into__isnull=True).order_by("pk"))
    for index, donor in enumerate(donors):
        if index % 5 == 4:
            continue  # some people never agreed to messages: the previews show them
        for purpose in (Consent.Purpose.SMS, Consent.Purpose.ZALO):
            registry.give_consent(donor, actor=ACTOR, purpose=purpose,
                                  channel=Consent.Channel.PAPER)
    members = [d for d in donors if d.home.path.startswith(zone.path)][:8]
    club.club_donors.add(*members)
    return True
