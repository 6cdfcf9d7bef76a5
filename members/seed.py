"""Demo people: staff in the Party groups, students in the class League branches; officer posts get
their person. Every status comes with its history: Party and League membership brought from the file
(before arrival) for most, and a living Party development pipeline at the school — applicants, activists
with contacts and quarterly assessments (some overdue), 推优 with the League meetings that voted,
development targets, probationary members admitted at branch general meetings, a conversion, an
extension — plus last year's democratic appraisal and League registration, and two transfers.

The pipeline is built through `members.services`, so the demo obeys the same rules as the pages. The meetings
and votes that decide its steps are the meetings app's records: its seed code holds them, handed down to this
one (`set_pipeline_votes`)."""

import random
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from branches.models import Officer, OrgKind, Post

from . import services
from .dates import add_months, add_years, quarter_bounds, quarter_of
from .idnumber import make_id_number
from .models import (
    AppraisalRating,
    AssessmentRating,
    Category,
    EventKind,
    Gender,
    LeagueRegistration,
    Membership,
    MembershipEnd,
    MembershipStart,
    PartyAppraisal,
    Person,
    PoliticalStatus,
    RecommendationTarget,
    StatusEvent,
    TargetYear,
)
from .pinyin import initials, sort_key


def _birth(ctx, age_years: int) -> date:
    today = ctx.today
    return date(today.year - age_years, ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))


def _days_ago(ctx, n: int) -> date:
    return ctx.today - timedelta(days=n)


class _Ids:
    """Valid, unique demo ID numbers (GB 11643 checksum) and phone numbers."""

    def __init__(self, ctx):
        self.ctx, self.n = ctx, 0

    def id_number(self, born: date) -> str:
        self.n += 1
        region = f"44{14 + self.ctx.school_index % 80:02d}{21 + self.n // 1000:02d}"
        return make_id_number(region, born, self.n % 1000)

    def phone(self) -> str:
        return "1" + self.ctx.rng.choice("3589") + "".join(self.ctx.rng.choice("0123456789") for _ in range(9))


def seed(ctx):
    rng = ctx.rng
    ids = _Ids(ctx)
    staff_count = 250 if ctx.large else 40
    students_per_class = 60 if ctx.large else 12
    staff, plan = [], {}
    for i in range(staff_count):
        group = ctx.party_groups[i % len(ctx.party_groups)]
        status = rng.choices(
            [PoliticalStatus.FULL_MEMBER, PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER],
            weights=[55, 35, 10],
        )[0]
        age = rng.randint(24, 27) if status == PoliticalStatus.LEAGUE_MEMBER else rng.randint(24, 58)
        born = _birth(ctx, age)
        person = Person(
            name=ctx.chinese_name(),
            gender=rng.choice(Gender.values),
            birth_date=born,
            category=Category.TEACHER if i % 6 else Category.STAFF,
            organization=group,
            id_number=ids.id_number(born),
            phone=ids.phone(),
        )
        staff.append(person)
        plan[id(person)] = status
    students = []
    for branch in ctx.class_branches:
        for _ in range(students_per_class):
            born = date(branch.grade - 15, rng.randint(1, 12), rng.randint(1, 28))
            person = Person(
                name=ctx.chinese_name(),
                gender=rng.choice(Gender.values),
                birth_date=born,
                category=Category.STUDENT,
                organization=branch,
                id_number=ids.id_number(born),
                phone=ids.phone() if rng.random() < 0.3 else "",
            )
            students.append(person)
            plan[id(person)] = PoliticalStatus.LEAGUE_MEMBER if rng.random() < 0.7 else PoliticalStatus.MASSES
    # bulk_create bypasses save(), which computes the pinyin keys: set them here.
    for p in staff + students:
        p.pinyin = sort_key(p.name).replace(" ", "")
        p.pinyin_initials = initials(p.name)
    ctx.staff = Person.objects.bulk_create(staff, batch_size=1000)
    ctx.students = Person.objects.bulk_create(students, batch_size=1000)
    _history_from_file(ctx, ctx.staff + ctx.students, plan)

    # Give every officer post held through an account a person of its own, in a Party group of the
    # organization they lead (the Second branch's secretary belongs to the Second branch).
    for officer in Officer.objects.filter(
        person__isnull=True, organization__path__startswith=ctx.school.path
    ).select_related("user", "organization"):
        is_student_branch = officer.organization.kind == "league_branch"
        officer.person = _account_person(
            ctx,
            ids,
            officer.user,
            age=16 if is_student_branch else rng.randint(30, 55),
            category=Category.STUDENT if is_student_branch else Category.TEACHER,
            organization=officer.organization if is_student_branch else _home_group(ctx, officer.organization),
            status=PoliticalStatus.LEAGUE_MEMBER if is_student_branch else PoliticalStatus.FULL_MEMBER,
        )
        officer.save()

    _account_people(ctx, ids)

    with services.as_of(ctx.today):
        _pipeline(ctx, ids)
        _transfers(ctx, ids)
    _appraisals(ctx)
    if ctx.graduated_branches:
        _graduates(ctx, ids, students_per_class)
    _staff_league_branch(ctx)


def _account_people(ctx, ids):
    """An account without a post belongs to its school through a person of its own (the headmaster, a
    further school's administrator): in a county database a role reaches only the account's schools.
    Drawn from a generator of their own, so the rest of the demo is the same with or without them."""
    main_rng, ctx.rng = ctx.rng, random.Random(f"accounts-{ctx.school_index}")
    try:
        users = User.objects.filter(pk__in=[u.pk for u in ctx.users.values()], is_superuser=False)
        for user in users.filter(person__isnull=True, officer_posts__isnull=True):
            _account_person(
                ctx,
                ids,
                user,
                age=ctx.rng.randint(40, 55),
                category=Category.TEACHER,
                organization=ctx.party_groups[0],
                status=PoliticalStatus.FULL_MEMBER,
            )
    finally:
        ctx.rng = main_rng


def _account_person(ctx, ids, user, *, age, category, organization, status) -> Person:
    """The person behind a demo account, with the statuses of their file."""
    born = _birth(ctx, age)
    person = Person.objects.create(
        name=user.first_name,
        gender=ctx.rng.choice(Gender.values),
        birth_date=born,
        category=category,
        organization=organization,
        id_number=ids.id_number(born),
        phone=ids.phone(),
        user=user,
    )
    _history_from_file(ctx, [person], {id(person): status})
    ctx.people[user.username] = person
    return person


# --- Statuses brought from the file ------------------------------------------------------------------


def _arrival(ctx, person: Person) -> date:
    if person.category == Category.STUDENT:
        return date(person.organization.grade, 9, 1)
    hired = add_years(person.birth_date, ctx.rng.randint(22, 26))
    return min(hired, _days_ago(ctx, 400))


def _history_from_file(ctx, people, plan):
    """Memberships and the League / Party steps taken before arrival, in bulk (consistent by
    construction: the same dates the services would accept)."""
    rng = ctx.rng
    memberships, events, changed = [], [], []
    for p in people:
        arrival = _arrival(ctx, p)
        memberships.append(Membership(person=p, organization=p.organization, started_on=arrival))
        status = plan[id(p)]
        if status in (PoliticalStatus.LEAGUE_MEMBER, PoliticalStatus.FULL_MEMBER) or (
            p.category == Category.STUDENT and status != PoliticalStatus.MASSES
        ):
            joined = add_years(p.birth_date, 14) + timedelta(days=rng.randint(30, 500))
            joined = min(joined, arrival) if p.category != Category.STUDENT or rng.random() < 0.8 else joined
            joined = min(joined, _days_ago(ctx, 30))
            if status == PoliticalStatus.LEAGUE_MEMBER or p.age_on(ctx.today) < 28:
                p.league_joined_on = joined
                p.league_number = f"{joined.year}{rng.randint(100000, 999999)}"
                from_file = joined <= arrival
                events.append(
                    StatusEvent(
                        person=p,
                        kind=EventKind.LEAGUE_JOINED,
                        date=joined,
                        status=PoliticalStatus.LEAGUE_MEMBER,
                        from_file=from_file,
                        organization=None if from_file else p.organization,
                    )
                )
                p.political_status, p.status_since = PoliticalStatus.LEAGUE_MEMBER, joined
        if status == PoliticalStatus.FULL_MEMBER:
            admitted = min(add_years(p.birth_date, rng.randint(20, 23)) + timedelta(days=rng.randint(0, 200)), arrival)
            admitted = min(admitted, add_years(arrival, -1))
            full = add_years(admitted, 1) + timedelta(days=rng.randint(0, 20))
            full = min(full, arrival)
            if full < add_years(admitted, 1):
                admitted = add_years(full, -1)
            events.append(
                StatusEvent(
                    person=p,
                    kind=EventKind.ADMISSION,
                    date=admitted,
                    status=PoliticalStatus.PROBATIONARY,
                    from_file=True,
                )
            )
            events.append(
                StatusEvent(
                    person=p, kind=EventKind.CONVERSION, date=full, status=PoliticalStatus.FULL_MEMBER, from_file=True
                )
            )
            p.political_status, p.status_since = PoliticalStatus.FULL_MEMBER, full
        changed.append(p)
    Membership.objects.bulk_create(memberships, batch_size=1000)
    StatusEvent.objects.bulk_create(events, batch_size=1000)
    Person.objects.bulk_update(
        changed, ["political_status", "status_since", "league_joined_on", "league_number"], batch_size=1000
    )


# --- The living pipeline ------------------------------------------------------------------------------


# The votes that decide admissions, conversions and 推优 are meetings' records: a branch general meeting or a
# League members' meeting with its attendance, and the vote taken there. The meetings app holds them for the
# demo and hands that down when it is ready (`meetings.apps` sets `meetings.seed.PipelineVotes`): the
# pipeline below takes each vote to its step's service, as a secretary picks it on the step's page.
_pipeline_votes = None


def set_pipeline_votes(factory) -> None:
    """`factory(ctx)` returns the demo's vote holder: its `vote(org, day, subject, step, *, entitled,
    attendees)` returns a vote about `subject` that decides `step`, taken at `org`'s meeting on `day`."""
    global _pipeline_votes
    _pipeline_votes = factory


def _votes(ctx):
    if _pipeline_votes is None:
        raise ImproperlyConfigured("No app set up the demo pipeline's votes (members.seed.set_pipeline_votes).")
    return _pipeline_votes(ctx)


def _refresh(p: Person) -> Person:
    p.refresh_from_db()
    return p


class _Pipeline:
    """Walks demo people through the pipeline with the real services."""

    def __init__(self, ctx, ids):
        self.ctx, self.rng, self.today, self.ids = ctx, ctx.rng, ctx.today, ids
        self.general = ctx.orgs["general"]
        self.branch_of = {g.pk: g.parent for g in ctx.party_groups}
        self.full = [p for p in ctx.staff if p.political_status == PoliticalStatus.FULL_MEMBER and p.is_active]
        self.votes = _votes(ctx)

    def branch_for(self, p: Person):
        return p.party_organization or self.branch_of[p.organization_id]

    def voters(self, branch) -> list[int]:
        """The full Party members of `branch` (the demo's; probationary members have no vote)."""
        return [m.pk for m in self.full if self.branch_of[m.organization_id].pk == branch.pk]

    def entitled(self, branch) -> int:
        return max(5, len(self.voters(branch)))

    def mentors_for(self, p: Person) -> list:
        branch = self.branch_for(p)
        pool = [m for m in self.full if self.branch_of[m.organization_id].pk == branch.pk and m.pk != p.pk]
        return self.rng.sample(pool if len(pool) >= 2 else self.full, 2)

    def assess(self, p, contacts, since: date, until: date, *, skip_last: bool = False):
        rng, today = self.rng, self.today
        y, q = quarter_of(since)
        cy, cq = quarter_of(today)
        last_full = (cy, cq - 1) if cq > 1 else (cy - 1, 4)
        while (y, q) <= (cy, cq):
            start, end = quarter_bounds(y, q)
            day = min(max(start, since) + timedelta(days=rng.randint(20, 60)), end, today)
            skip = (skip_last and (y, q) == last_full) or ((y, q) == (cy, cq) and rng.random() < 0.5)
            if not skip and since <= day <= until:
                services.assessment_record(
                    person=p,
                    on=day,
                    contact=rng.choice(contacts),
                    rating=rng.choices(AssessmentRating.values, weights=[3, 5, 2, 0.3])[0],
                    thought_report=rng.random() < 0.85,
                    comments=rng.choice(
                        [
                            "思想上积极要求进步，按时递交思想汇报。",
                            "工作认真负责，能主动承担急难险重任务。",
                            "理论学习还需加强，已提醒多读原著、多写体会。",
                            "积极参加志愿服务，群众基础好。",
                        ]
                    ),
                )
            y, q = (y, q + 1) if q < 4 else (y + 1, 1)

    def journey(
        self,
        p: Person,
        *,
        applied: date,
        talk: bool = True,
        activist: date | None = None,
        recommendation=None,
        skip_last: bool = False,
        target: date | None = None,
        trained: bool = True,
        admitted: date | None = None,
        approved: bool = True,
        extended_on: date | None = None,
        converted: date | None = None,
    ) -> Person:
        rng, branch = self.rng, self.branch_for(p)
        if p.political_status in (PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER):
            services.application_record(person=p, on=applied, organization=branch, notes="递交入党申请书")
            if talk:
                services.talk_record(
                    person=p, on=applied + timedelta(days=rng.randint(7, 25)), organization=branch, notes="支部书记谈话"
                )
        if activist is None:
            return _refresh(p)
        contacts = self.mentors_for(p)
        services.activist_record(
            person=_refresh(p),
            on=activist,
            organization=branch,
            contacts=contacts,
            recommendation=recommendation,
            notes="党员推荐，支委会研究确定" if recommendation is None else "经团组织推优，支委会研究确定",
        )
        self.assess(_refresh(p), contacts, activist, admitted or self.today, skip_last=skip_last)
        if target is None:
            return _refresh(p)
        services.development_target_record(
            person=p, on=target, organization=branch, introducers=contacts, notes="支委会研究确定，报党总支备案"
        )
        if trained:
            services.political_review_record(
                person=p, on=target + timedelta(days=20), organization=branch, notes="政审合格"
            )
            services.training_record(
                person=p,
                on=target + timedelta(days=30),
                hours=24,
                organization=self.general,
                notes="县委党校发展对象培训班",
            )
        if admitted is None:
            return _refresh(p)
        vote = self.votes.vote(
            branch, admitted, p, "admission", entitled=self.entitled(branch), attendees=self.voters(branch)
        )
        services.admission_record(person=_refresh(p), vote=vote, notes="填写入党志愿书，支部大会逐个表决")
        if approved:
            services.higher_approval_record(
                person=p,
                on=admitted + timedelta(days=rng.randint(30, 70)),
                organization=self.general,
                notes="党总支谈话并审批",
            )
            services.oath_record(person=p, on=admitted + timedelta(days=80), organization=branch, notes="集体入党宣誓")
        if extended_on:
            services.extension_record(
                person=p, on=extended_on, months=6, organization=branch, notes="理论学习不够深入，延长预备期半年"
            )
        if converted:
            vote = self.votes.vote(
                branch, converted, p, "conversion", entitled=self.entitled(branch), attendees=self.voters(branch)
            )
            services.conversion_record(person=_refresh(p), vote=vote, notes="按期转正")
        return _refresh(p)

    def new_teacher(self, group) -> Person:
        """A teacher of 31–40 who came some years ago, outside the Party so far."""
        rng = self.rng
        born = _birth(self.ctx, rng.randint(31, 40))
        p = Person.objects.create(
            name=self.ctx.chinese_name(),
            gender=rng.choice(Gender.values),
            birth_date=born,
            category=Category.TEACHER,
            organization=group,
            id_number=self.ids.id_number(born),
            phone=self.ids.phone(),
        )
        Membership.objects.create(person=p, organization=group, started_on=add_years(born, 24))
        self.ctx.staff.append(p)
        return p


def _pipeline(ctx, ids):
    pl = _Pipeline(ctx, ids)
    ago = lambda n: _days_ago(ctx, n)  # noqa: E731
    groups = ctx.party_groups
    for round_ in range(3 if ctx.large else 1):

        def teacher(i, _r=round_):
            return pl.new_teacher(groups[(i + _r) % len(groups)])

        # Applicants: one talked with, one whose talk is overdue, one fresh.
        pl.journey(teacher(0), applied=ago(120))
        pl.journey(teacher(1), applied=ago(45), talk=False)
        pl.journey(teacher(2), applied=ago(10), talk=False)
        # Activists: one year just reached, one who missed last quarter's assessment, two in training.
        for i, (start, skip) in enumerate(((400, False), (250, True), (160, False), (75, False))):
            pl.journey(teacher(3 + i), applied=ago(start + 60), activist=ago(start), skip_last=skip)
        # Development targets: one ready for the admission vote, one still in training.
        for i, (start, trained) in enumerate(((60, True), (20, False))):
            pl.journey(
                teacher(7 + i), applied=ago(start + 460), activist=ago(start + 400), target=ago(start), trained=trained
            )
        # Probationary: probation ending within 60 days, mid-way, just admitted (approval pending).
        for i, (admitted, approved) in enumerate(((330, True), (150, True), (20, False))):
            pl.journey(
                teacher(9 + i),
                applied=ago(admitted + 900),
                activist=ago(admitted + 820),
                target=ago(admitted + 400),
                admitted=ago(admitted),
                approved=approved,
            )
        # Extended once; and a conversion last year with the whole path on record.
        pl.journey(
            teacher(12), applied=ago(1500), activist=ago(1430), target=ago(1000), admitted=ago(420), extended_on=ago(55)
        )
        admitted = ago(700)
        pl.journey(
            teacher(13),
            applied=ago(1300),
            activist=ago(1230),
            target=ago(820),
            admitted=admitted,
            converted=add_years(admitted, 1) + timedelta(days=10),
        )
    _students(ctx, pl)


def _students(ctx, pl: "_Pipeline"):
    """Grade-three League members aged 18 apply; their League branches push the best (推优): a
    nomination, the League members' meeting vote, the League committee's approval — and the First
    Party branch (senior high) makes them activists."""
    rng, today = ctx.rng, ctx.today
    league, b1 = ctx.orgs["league"], ctx.orgs["branch1"]
    senior_grade = min(b.grade for b in ctx.class_branches)
    pool = [
        p
        for p in ctx.students
        if p.organization.grade == senior_grade and p.political_status == PoliticalStatus.LEAGUE_MEMBER
    ]
    rng.shuffle(pool)
    for index, p in enumerate(pool[: 21 if ctx.large else 7]):
        k = index % 7
        # Late-born seniors: 18 about ten months ago (the age rule needs 18 on the day of application).
        born = add_years(today, -18) - timedelta(days=rng.randint(300, 330))
        joined = min(p.league_joined_on, date(senior_grade, 8, 1))
        Person.objects.filter(pk=p.pk).update(
            birth_date=born, id_number=pl.ids.id_number(born), league_joined_on=joined, party_organization=b1
        )
        StatusEvent.objects.filter(person=p, kind=EventKind.LEAGUE_JOINED).update(
            date=joined, from_file=True, organization=None
        )
        p = _refresh(p)
        applied = add_years(born, 18) + timedelta(days=rng.randint(3, 12))
        pl.journey(p, applied=applied, talk=k != 6)
        if k == 6:
            continue  # an applicant not yet nominated, whose talk is overdue
        branch = p.organization
        nominated = add_months(applied, 6) + timedelta(days=rng.randint(1, 6))
        rec = services.recommendation_nominate(
            person=_refresh(p), on=nominated, league_branch=branch, notes="团支委会提名"
        )
        if k == 5:
            continue  # nominated, waiting for the League members' meeting
        vote_day = nominated + timedelta(days=7)
        voters = list(
            Person.objects.filter(organization=branch, league_joined_on__isnull=False).values_list("pk", flat=True)
        )
        vote = pl.votes.vote(branch, vote_day, p, "recommendation", entitled=max(8, len(voters)), attendees=voters)
        rec = services.recommendation_vote(recommendation=rec, vote=vote)
        if k == 4:
            continue  # passed by the meeting; the League committee has not decided yet
        approved = k != 3
        rec = services.recommendation_decide(
            recommendation=rec,
            on=vote_day + timedelta(days=5),
            committee=league,
            approved=approved,
            notes="" if approved else "本批次名额已满，下一批次再推",
        )
        if approved and k < 2:
            pl.journey(_refresh(p), applied=applied, activist=vote_day + timedelta(days=20), recommendation=rec)
    for year in (today.year - 1, today.year):
        RecommendationTarget.objects.create(school=ctx.school, year=year, target=30 if ctx.large else 8)
    # The League committee also sets its target for the current academic year (named by its first year).
    RecommendationTarget.objects.create(
        school=ctx.school,
        kind=TargetYear.ACADEMIC,
        year=today.year if today.month >= 9 else today.year - 1,
        target=30 if ctx.large else 8,
    )


def _transfers(ctx, ids):
    """One teacher transferred out last summer (history kept), one transferred in with their Party
    membership, one young League teacher holding a League post turning 28 this year."""
    rng, today = ctx.rng, ctx.today
    born = date(today.year - 41, 9, 3)
    leaving = Person.objects.create(
        name="司马文静",
        gender=Gender.FEMALE,
        birth_date=born,
        category=Category.TEACHER,
        organization=ctx.party_groups[-1],
        id_number=ids.id_number(born),
        phone="13802401188",
    )
    Membership.objects.create(person=leaving, organization=leaving.organization, started_on=date(born.year + 24, 9, 1))
    services.status_record_from_file(
        person=leaving,
        arrival=date(born.year + 24, 9, 1),
        party_admitted_on=date(born.year + 21, 5, 20),
        party_full_on=date(born.year + 22, 5, 26),
    )
    services.person_transfer_out(
        person=leaving,
        on=_days_ago(ctx, 120),
        reason=MembershipEnd.TRANSFER_OUT,
        counterpart="县第二中学党支部",
        notes="工作调动，组织关系转出",
    )
    born = date(today.year - 35, 4, 18)
    newcomer = Person.objects.create(
        name="欧阳明辉",
        gender=Gender.MALE,
        birth_date=born,
        category=Category.TEACHER,
        organization=ctx.party_groups[1],
        id_number=ids.id_number(born),
        phone="13902401234",
    )
    arrival = _days_ago(ctx, 60)
    Membership.objects.create(
        person=newcomer,
        organization=newcomer.organization,
        started_on=arrival,
        start_reason=MembershipStart.TRANSFER_IN,
        counterpart="市第一中学党支部",
    )
    services.status_record_from_file(
        person=newcomer,
        arrival=arrival,
        party_admitted_on=date(born.year + 22, 6, 28),
        party_full_on=date(born.year + 23, 7, 1),
    )
    # Young League teachers turning 28 this year: one holds a League post (stays), one leaves.
    young = [
        p
        for p in ctx.staff
        if p.league_joined_on
        and p.league_left_on is None
        and p.is_active
        and not p.user_id
        and p.political_status == PoliticalStatus.LEAGUE_MEMBER
    ][:2]
    for i, p in enumerate(young):
        p.birth_date = date(today.year - 28, 3 + 7 * i, rng.randint(1, 28))
        p.id_number = ids.id_number(p.birth_date)
        p.save(update_fields=["birth_date", "id_number"])
    Officer.objects.create(
        organization=ctx.orgs["league"],
        person=young[0],
        post=Post.YOUTH,
        started_on=date(today.year - 1, 10, 12),
    )


def _appraisals(ctx):
    """Last year's democratic appraisal of every Party member and League registration of every
    League member (mostly qualified; a few excellent; one basically qualified; one unqualified League
    member not registered)."""
    rng = ctx.rng
    year = ctx.today.year - 1
    branch_of = {g.pk: g.parent for g in ctx.party_groups}
    # Party members (full and probationary) who were members here by the end of that year.
    members = (
        Person.objects.filter(
            political_status__in=[PoliticalStatus.FULL_MEMBER, PoliticalStatus.PROBATIONARY],
            organization__in=ctx.party_groups,
            is_active=True,
            memberships__started_on__lte=date(year, 12, 31),
            status_events__kind=EventKind.ADMISSION,
            status_events__date__lte=date(year, 12, 31),
        )
        .distinct()
        .only("pk", "organization_id")
    )
    rows = []
    for p in members:
        rating = rng.choices(
            [AppraisalRating.EXCELLENT, AppraisalRating.QUALIFIED, AppraisalRating.BASIC], weights=[20, 78, 2]
        )[0]
        rows.append(PartyAppraisal(person=p, year=year, rating=rating, organization=branch_of[p.organization_id]))
    PartyAppraisal.objects.bulk_create(rows, batch_size=1000)
    league_rows = []
    league_members = Person.objects.filter(
        category=Category.STUDENT,
        organization__kind=OrgKind.LEAGUE_BRANCH,
        organization__path__startswith=ctx.school.path,
        league_joined_on__lte=date(year, 9, 1),
        league_left_on__isnull=True,
    ).only("pk", "organization_id")
    for i, p in enumerate(league_members):
        rating = (
            AppraisalRating.UNQUALIFIED
            if i == 7
            else rng.choices(
                [AppraisalRating.EXCELLENT, AppraisalRating.QUALIFIED, AppraisalRating.BASIC], weights=[15, 80, 5]
            )[0]
        )
        league_rows.append(
            LeagueRegistration(
                person=p,
                year=year,
                rating=rating,
                registered=rating != AppraisalRating.UNQUALIFIED,
                organization_id=p.organization_id,
            )
        )
    LeagueRegistration.objects.bulk_create(league_rows, batch_size=1000)


def _graduates(ctx, ids, per_class: int) -> None:
    """The students of the graduated classes (large set): inactive, their class membership closed on
    graduation day, their political status as it was when they left — League member or not, joined
    before or during senior high (history brought from the file as for the current students)."""
    rng = ctx.rng
    people, plan = [], {}
    for branch in ctx.graduated_branches:
        for _ in range(per_class):
            born = date(branch.grade - 15, rng.randint(1, 12), rng.randint(1, 28))
            name = ctx.chinese_name()
            person = Person(
                name=name,
                gender=rng.choice(Gender.values),
                birth_date=born,
                category=Category.STUDENT,
                organization=branch,
                id_number=ids.id_number(born),
                phone="",
                is_active=False,
                pinyin=sort_key(name).replace(" ", ""),
                pinyin_initials=initials(name),
            )
            people.append(person)
            plan[id(person)] = PoliticalStatus.LEAGUE_MEMBER if rng.random() < 0.75 else PoliticalStatus.MASSES
    people = Person.objects.bulk_create(people, batch_size=1000)
    _history_from_file(ctx, people, plan)
    for entry_year in sorted({b.grade for b in ctx.graduated_branches}):
        Membership.objects.filter(
            organization__in=[b for b in ctx.graduated_branches if b.grade == entry_year], ended_on__isnull=True
        ).update(
            ended_on=date(entry_year + 3, 7, 1),
            end_reason=MembershipEnd.GRADUATED,
            counterpart="高中毕业",
            notes="毕业离校，团组织关系转至升入学校",
        )


def _home_group(ctx, org):
    inside = [g for g in ctx.party_groups if g.path.startswith(org.path)]
    return inside[0] if inside else ctx.party_groups[0]


def _staff_league_branch(ctx) -> None:
    """The young teachers and staff who are League members (and not Party members) have their League life in
    the school's staff League branch (教工团支部): it is their organization, since they were hired."""
    branch = ctx.orgs.get("staff_league")
    if branch is None:
        return
    young = Person.objects.league_members().filter(
        organization__in=ctx.party_groups,
        political_status=PoliticalStatus.LEAGUE_MEMBER,
        is_active=True,
        user__isnull=True,
    )
    ids = set(young.values_list("pk", flat=True))
    Person.objects.filter(pk__in=ids).update(organization=branch)
    Membership.objects.filter(person__in=ids).update(organization=branch)
    for p in ctx.staff:
        if p.pk in ids:
            p.organization = branch
