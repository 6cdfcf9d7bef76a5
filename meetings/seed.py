"""Demo meetings: a multi-year history of 三会一课, League meetings and Party–League joint meetings, with
attendance. Most organizations keep the rules; the Second Party branch, one Party group and a few class
League branches fall behind, so the frequency table and the Due list have something to show. A few
meetings are planned in the coming weeks (calendar, phone feed).

The pipeline's votes come first: the members seed, which runs before this one, walks demo people through the
pipeline and takes each admission, conversion and 推优 to a vote held here (`PipelineVotes`, handed down to it
by `meetings.apps`): a branch general meeting or League members' meeting with its attendance and the vote.
Quarters and semesters that have one are not given another."""

import calendar
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from branches.models import Officer, OrgKind
from members.models import PARTY_MEMBER_STATUSES, Category, Person, PoliticalStatus

from .decisions import VOTE_KIND_OF_STEP
from .frequency import is_top_party_org
from .models import VOTE_MEETING_KIND, Attendance, AttendanceStatus, JointPhase, Meeting, MeetingKind, Vote, majority_of

SHANGHAI = ZoneInfo("Asia/Shanghai")

TOPICS = {
    MeetingKind.BRANCH_COMMITTEE: [
        "研究本月党员教育计划",
        "讨论发展党员工作安排",
        "研究主题党日活动方案",
        "分析党员思想动态",
        "部署党费收缴工作",
        "研究入党积极分子培养考察",
        "讨论支部工作计划落实情况",
    ],
    MeetingKind.THEME_PARTY_DAY: [
        "重温入党誓词",
        "参观革命烈士纪念馆",
        "学雷锋志愿服务进社区",
        "观看红色电影《长津湖》",
        "走访慰问困难老党员",
        "敬老院志愿服务",
        "学习党章党规知识竞赛",
        "清明祭扫烈士陵园",
    ],
    MeetingKind.BRANCH_GENERAL: [
        "通报支部季度工作，部署下阶段任务",
        "学习贯彻党的二十大精神",
        "讨论支部年度工作计划",
        "学习《中国共产党纪律处分条例》",
    ],
    MeetingKind.PARTY_CLASS: [
        ("踔厉奋发 勇毅前行", "学习党的二十大报告"),
        ("不忘初心 立德树人", "新时代教师的使命与担当"),
        ("百年党史中的青年力量", "党史学习教育专题党课"),
        ("以教育家精神铸魂强师", "师德师风专题党课"),
        ("全面从严治党永远在路上", "廉洁从教专题党课"),
    ],
    MeetingKind.PARTY_GROUP: [
        "学习习近平新时代中国特色社会主义思想",
        "交流教育教学工作体会",
        "学习《习近平谈治国理政》",
        "开展批评与自我批评",
        "学习先进典型事迹",
    ],
    MeetingKind.ORG_LIFE: ["年度组织生活会暨民主评议党员"],
    MeetingKind.LEAGUE_GENERAL: [
        "团员大会：学习团章，开展团员教育评议",
        "团员大会：团籍注册与团费收缴",
        "主题团日：青春心向党",
    ],
    MeetingKind.LEAGUE_COMMITTEE: [
        "团支委会：研究本学期团支部工作计划",
        "团支委会：讨论推优入党人选",
        "团支委会：筹备主题团日活动",
    ],
    MeetingKind.LEAGUE_CLASS: [
        ("传承五四精神", "五四青年节主题团课"),
        ("请党放心 强国有我", "青年学生理想信念教育"),
        ("学习雷锋好榜样", "学雷锋主题团课"),
        ("做新时代好青年", "团员先进性教育"),
    ],
}
THEME_LEAGUE_DAY_TOPICS = [
    "主题团日：青春心向党，建功新时代",
    "主题团日：学雷锋志愿服务进社区",
    "主题团日：清明缅怀革命先烈",
    "主题团日：弘扬五四精神，争做时代新人",
    "主题团日：国家安全教育",
    "主题团日：垃圾分类，从我做起",
    "主题团日：参观爱国主义教育基地",
    "主题团日：重温入团誓词",
]
LEAGUE_GENERAL_TOPICS = {  # month -> the League members' meeting's business that month
    10: "团员大会：选举团支部委员会",
    12: "团员大会：学习团章，开展团员教育评议",
    4: "团员大会：学习习近平总书记给青年的回信",
    6: "团员大会：收缴团费，总结本学期团支部工作",
}
JOINT_TOPICS = {
    JointPhase.PLAN: "党团联席会议：研究本学期党建带团建工作计划",
    JointPhase.PROGRESS: "党团联席会议：通报推优入党与志愿服务推进情况",
    JointPhase.SUMMARY: "党团联席会议：总结本学期党团工作",
}
LEAVE_REASONS = ["出差", "外出培训", "病假", "事假", "监考", "带学生参加比赛", "家中有事"]
PLACES = {"party": ["党员活动室", "会议室", "图书馆报告厅"], "league": ["本班教室", "团委活动室", "学校报告厅"]}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _weekday_in(rng, y: int, m: int, lo: int = 1, hi: int | None = None) -> date:
    """A random school day (Mon–Fri) of month m between days lo and hi."""
    hi = min(hi or 28, calendar.monthrange(y, m)[1])
    for _ in range(20):
        d = date(y, m, rng.randint(lo, hi))
        if d.weekday() < 5:
            return d
    return date(y, m, lo)


# --- The pipeline's votes ---------------------------------------------------------------------------


def _vote_meeting(org, kind, day: date, topic: str, *, attendees: list[int], present: int) -> Meeting:
    """A meeting with its attendance: the first `present` attendees present, the others on leave."""
    meeting = Meeting.objects.create(
        organization=org,
        kind=kind,
        topic=topic,
        starts_at=_at(day, 15, 30),
        ends_at=_at(day, 17),
        place="党员活动室" if kind in (MeetingKind.BRANCH_GENERAL, MeetingKind.BRANCH_COMMITTEE) else "本班教室",
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person_id=pk, status=AttendanceStatus.PRESENT)
        if i < present
        else Attendance(meeting=meeting, person_id=pk, status=AttendanceStatus.LEAVE, reason="事假")
        for i, pk in enumerate(attendees)
    )
    meeting.recount()
    return meeting


class PipelineVotes:
    """The votes of the demo pipeline (`members.seed.set_pipeline_votes`): one branch general meeting (or
    League members' meeting) per organization and date, holding the votes on several people, each voted on
    separately."""

    def __init__(self, ctx):
        self.ctx, self.cache = ctx, {}

    def vote(self, org, day: date, subject: Person, step: str, *, entitled: int, attendees: list[int]) -> Vote:
        """A vote about `subject` deciding `step`, at the meeting of `org` on `day` (made, with `attendees`, for
        the first vote of that day) of the type that takes it. `entitled` may exceed the attendees: a demo
        branch votes with at least a handful."""
        vote_kind = VOTE_KIND_OF_STEP[step]
        kind = VOTE_MEETING_KIND[vote_kind]
        key = (org.pk, kind, day)
        present = max(majority_of(entitled), entitled - self.ctx.rng.randint(0, 2))
        if key not in self.cache:
            topic = {
                MeetingKind.BRANCH_GENERAL: "支部党员大会：讨论接收预备党员和预备党员转正",
                MeetingKind.LEAGUE_GENERAL: "团员大会：推荐优秀团员作为党的发展对象人选（推优）",
            }[kind]
            meeting = _vote_meeting(org, kind, day, topic, attendees=attendees, present=present)
            self.cache[key] = (meeting, present)
        meeting, present = self.cache[key]
        no = self.ctx.rng.randint(0, 1)
        abstain = self.ctx.rng.randint(0, 1)
        yes = max(majority_of(entitled), present - no - abstain)
        no = min(no, present - yes)
        abstain = max(0, min(abstain, present - yes - no))
        return Vote.objects.create(
            meeting=meeting,
            kind=vote_kind,
            subject=subject,
            entitled=entitled,
            present=present,
            yes=yes,
            no=no,
            abstain=abstain,
            motion=f"关于{subject.name}同志的表决",
        )


# --- The history of 三会一课 -------------------------------------------------------------------------


class _Builder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.meetings: list[Meeting] = []
        self.rows: list[list[tuple[int, str, str, bool]]] = []  # attendance per meeting
        self.now = _at(self.today, 12)
        school_people = list(
            Person.objects.filter(organization__path__startswith=ctx.school.path, is_active=True).values_list(
                "pk", "organization__path", "political_status", "category"
            )
        )
        self.people = school_people
        self.officers: dict[int, list[int]] = {}
        for org_id, person_id in (
            Officer.objects.current(self.today)
            .filter(organization__path__startswith=ctx.school.path, person__isnull=False)
            .values_list("organization_id", "person_id")
        ):
            self.officers.setdefault(org_id, []).append(person_id)
        self.created = [0, 0]  # meetings, attendance rows saved so far
        self.existing = set()
        for org_id, kind, starts in Meeting.objects.filter(organization__path__startswith=ctx.school.path).values_list(
            "organization_id", "kind", "starts_at"
        ):
            local = starts.astimezone(SHANGHAI).date()
            self.existing.add((org_id, kind, local.year, (local.month - 1) // 3))

    def party_members(self, org) -> list[int]:
        return [pk for pk, path, st, _c in self.people if path.startswith(org.path) and st in PARTY_MEMBER_STATUSES]

    def league_members(self, org) -> list[int]:
        return [
            pk
            for pk, path, st, cat in self.people
            if path.startswith(org.path) and cat == Category.STUDENT and st != PoliticalStatus.MASSES
        ]

    def add(self, org, kind, day: date, *, hour=15, topic=None, expected=(), **extra):
        rng = self.rng
        starts = _at(day, hour, rng.choice((0, 30)))
        pool = TOPICS.get(kind, ["工作会议"])
        choice = topic or rng.choice(pool)
        if isinstance(choice, tuple):
            extra.setdefault("lecture_title", choice[0])
            choice = choice[1]
        side = "league" if org.kind in (OrgKind.LEAGUE_BRANCH, OrgKind.LEAGUE_COMMITTEE) else "party"
        meeting = Meeting(
            organization=org,
            kind=kind,
            topic=str(choice)[:200],
            starts_at=starts,
            ends_at=starts + timedelta(minutes=rng.choice((45, 60, 90))),
            place=rng.choice(PLACES[side]),
            **extra,
        )
        rows = []
        if starts < self.now and expected:
            for pk in expected:
                r = rng.random()
                if r < 0.88:
                    rows.append((pk, AttendanceStatus.PRESENT, "", False))
                elif r < 0.96:
                    rows.append((pk, AttendanceStatus.LEAVE, rng.choice(LEAVE_REASONS), False))
                else:
                    rows.append((pk, AttendanceStatus.ABSENT, "", False))
            ids = [r[0] for r in rows]
            meeting.chair_id = ids[0]
            meeting.recorder_id = ids[-1]
            present_ids = [r[0] for r in rows if r[1] == AttendanceStatus.PRESENT]
            meeting.minutes = _minutes(rng, meeting, expected=len(rows), present=len(present_ids))
        self.meetings.append(meeting)
        self.rows.append(rows)
        return meeting

    def save(self):
        """Write the meetings built so far with their attendance, and start afresh (the large history is
        saved in slices, so memory stays flat). Returns the totals saved so far."""
        created = Meeting.objects.bulk_create(self.meetings, batch_size=500)
        attendance = [
            Attendance(meeting=m, person_id=pk, status=status, reason=reason, is_visitor=visitor)
            for m, rows in zip(created, self.rows, strict=True)
            for pk, status, reason, visitor in rows
        ]
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        if created:  # the stored counts, from the rows just written: one UPDATE for the whole slice
            Meeting.objects.filter(pk__range=(min(m.pk for m in created), max(m.pk for m in created))).recount()
        self.created[0] += len(created)
        self.created[1] += len(attendance)
        self.meetings, self.rows = [], []
        return tuple(self.created)


def _minutes(rng, meeting, *, expected: int, present: int) -> str:
    return (
        f"会议由{meeting.organization}召开，应到{expected}人，实到{present}人。\n"
        f"一、传达学习上级有关文件精神；\n二、围绕“{meeting.topic}”进行讨论，与会同志结合工作实际踊跃发言；\n"
        "三、对下一阶段工作作出安排。"
    )


def _months(start: date, end: date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def seed(ctx):
    b = _Builder(ctx)
    rng, today = ctx.rng, ctx.today
    first_year = today.year if today.month >= 9 else today.year - 1  # the current academic year
    # large: five academic years of history (issue 8); small: two calendar years and this one.
    start = date(first_year - 4, 9, 1) if ctx.full_history else date(today.year - 2, 1, 1)
    horizon = today + timedelta(days=21)  # plan a few meetings ahead
    behind = {ctx.orgs["branch2"].pk: 0.75}
    if ctx.party_groups:
        behind[ctx.party_groups[-1].pk] = 0.6
    for i, branch in enumerate(ctx.class_branches):
        if i % 5 == 3:
            behind[branch.pk] = 0.5

    def keep(org) -> bool:
        return rng.random() < behind.get(org.pk, 0.97)

    party_orgs = [ctx.orgs["general"], ctx.orgs["branch1"], ctx.orgs["branch2"]]
    for org in party_orgs:
        members = b.party_members(org)
        committee = b.officers.get(org.pk, [])
        for y, m in _months(start, horizon):
            first = date(y, m, 1)
            if first > horizon:
                break
            if keep(org):
                day = _weekday_in(rng, y, m, 1, 12)
                if day <= horizon:
                    b.add(org, MeetingKind.BRANCH_COMMITTEE, day, expected=committee or members[:5])
            if org.kind == OrgKind.PARTY_BRANCH:
                if keep(org):
                    day = _weekday_in(rng, y, m, 13, 28)
                    if day <= horizon:
                        b.add(org, MeetingKind.THEME_PARTY_DAY, day, hour=14, expected=members)
                if m in (3, 6, 9, 12):
                    if (org.pk, MeetingKind.BRANCH_GENERAL, y, (m - 1) // 3) not in b.existing and keep(org):
                        day = _weekday_in(rng, y, m, 5, 25)
                        if day <= horizon:
                            b.add(org, MeetingKind.BRANCH_GENERAL, day, expected=members)
                    if keep(org):
                        day = _weekday_in(rng, y, 9 if m == 9 else m - 1, 5, 25)
                        secretary = m == 6  # the secretary's own Party class, once a year
                        lecturer = (
                            (committee[0] if committee and secretary else rng.choice(members)) if members else None
                        )
                        if day <= horizon:
                            b.add(
                                org,
                                MeetingKind.PARTY_CLASS,
                                day,
                                expected=members,
                                lecturer_id=lecturer,
                                given_by_secretary=secretary and bool(committee),
                            )
                if m == 12 and keep(org):
                    day = _weekday_in(rng, y, 12, 15, 28)
                    if day <= horizon:
                        b.add(org, MeetingKind.ORG_LIFE, day, expected=members)
            if is_top_party_org(org) and m in (9, 11, 1, 3, 5, 7):
                phase = {9: JointPhase.PLAN, 3: JointPhase.PLAN, 11: JointPhase.PROGRESS, 5: JointPhase.PROGRESS}.get(
                    m, JointPhase.SUMMARY
                )
                if m == 7 or (phase != JointPhase.PROGRESS or keep(org)):
                    lo, hi = (1, 12) if m == 7 else (5, 25)
                    day = _weekday_in(rng, y, m, lo, hi)
                    if day <= horizon:
                        joint_people = committee + b.officers.get(ctx.orgs["league"].pk, [])
                        b.add(
                            org, MeetingKind.JOINT, day, topic=JOINT_TOPICS[phase], phase=phase, expected=joint_people
                        )

    for group in ctx.party_groups:
        members = b.party_members(group)
        for y, m in _months(start, horizon):
            if not keep(group):
                continue
            day = _weekday_in(rng, y, m, 1, 28)
            if day <= horizon:
                b.add(group, MeetingKind.PARTY_GROUP, day, hour=16, expected=members)

    league = ctx.orgs["league"]
    if ctx.full_history:
        b.save()
        _class_league_history(ctx, b, keep, start, horizon)
    for org in [league] if ctx.full_history else [league, *ctx.class_branches]:
        members = b.league_members(org) if org.kind == OrgKind.LEAGUE_BRANCH else b.officers.get(org.pk, [])
        committee = b.officers.get(org.pk, []) or members[:3]
        for y, m in _months(start, horizon):
            if m in (8,):
                continue
            if org.kind == OrgKind.LEAGUE_BRANCH and date(y, m, 1) < date(org.grade, 9, 1):
                continue  # the class did not exist yet
            if m in (10, 12, 3, 5) and keep(org):  # two committee meetings a semester
                day = _weekday_in(rng, y, m, 1, 20)
                if day <= horizon:
                    b.add(org, MeetingKind.LEAGUE_COMMITTEE, day, hour=12, expected=committee)
            if m in (11, 4) and keep(org):
                day = _weekday_in(rng, y, m, 1, 28)
                if day <= horizon:
                    b.add(org, MeetingKind.LEAGUE_CLASS, day, hour=16, expected=members)
            if m in (12, 6) and org.kind == OrgKind.LEAGUE_BRANCH and keep(org):
                if (org.pk, MeetingKind.LEAGUE_GENERAL, y, (m - 1) // 3) not in b.existing:
                    day = _weekday_in(rng, y, m, 1, 25)
                    if day <= horizon:
                        b.add(org, MeetingKind.LEAGUE_GENERAL, day, hour=16, expected=members)
    _staff_league_meetings(b, ctx.orgs.get("staff_league"), start, horizon)
    b.save()


def _staff_league_meetings(b: _Builder, org, start: date, horizon: date) -> None:
    """The staff League branch (教工团支部) keeps the League branch's rules like a class: two committee
    meetings, a League class and a League members' meeting each semester. Its meetings are drawn from a
    random stream of their own, so the rest of the demo school is the same as without them."""
    if org is None:
        return
    members = [pk for pk, path, _st, _cat in b.people if path.startswith(org.path)]
    committee = b.officers.get(org.pk, []) or members[:3]
    main, b.rng = b.rng, random.Random(f"staff-league-{b.ctx.school_index}")
    try:
        for y, m in _months(start, horizon):
            for months, lo, hi, kind, hour, expected in (
                ((10, 12, 3, 5), 1, 20, MeetingKind.LEAGUE_COMMITTEE, 12, committee),
                ((11, 4), 1, 28, MeetingKind.LEAGUE_CLASS, 16, members),
                ((12, 6), 1, 25, MeetingKind.LEAGUE_GENERAL, 16, members),
            ):
                if m in months:
                    day = _weekday_in(b.rng, y, m, lo, hi)
                    if day <= horizon:
                        b.add(org, kind, day, hour=hour, expected=expected)
    finally:
        b.rng = main


def _class_league_history(ctx, b: _Builder, keep, start: date, horizon: date) -> None:
    """Large set: every class League branch of the seeded years — current classes and the graduated
    cohorts' (inactive) ones — holds its League life in term time, monthly-ish: a theme League day
    (主题团日) most months, League members' meetings (团员大会) and League classes (团课) every other month,
    the branch committee twice a semester. Expected: the class's League members who had joined by
    the day (a graduated class's own students). Saved class by class in slices."""
    rng = b.rng
    members: dict[int, list[tuple[int, date]]] = {}
    branches = [*ctx.class_branches, *ctx.graduated_branches]
    for pk, org_id, joined in Person.objects.filter(
        organization__in=branches, category=Category.STUDENT, league_joined_on__isnull=False
    ).values_list("pk", "organization_id", "league_joined_on"):
        members.setdefault(org_id, []).append((pk, joined))
    schedule = {  # month -> kinds held that month
        9: ("theme", "committee", "class"),
        10: ("theme", "general"),
        11: ("theme", "committee", "class"),
        12: ("theme", "general"),
        1: ("class",),
        3: ("theme", "committee", "class"),
        4: ("theme", "general"),
        5: ("theme", "committee", "class"),
        6: ("theme", "general"),
    }
    for org in branches:
        roll = sorted(members.get(org.pk, []))
        officers = b.officers.get(org.pk, [])
        first = max(start, date(org.grade, 9, 1))
        # Seniors sit the gaokao in June: a class's League life ends in May of its last year.
        last = min(horizon, date(org.grade + 3, 5, 31))
        for y, m in _months(first, last):
            for what in schedule.get(m, ()):
                if not keep(org):
                    continue
                lo, hi = (1, 15) if m == 1 else (1, 28)
                day = _weekday_in(rng, y, m, lo, hi)
                if not first <= day <= last:
                    continue
                expected = [pk for pk, joined in roll if joined <= day]
                if what == "committee":
                    b.add(org, MeetingKind.LEAGUE_COMMITTEE, day, hour=12, expected=officers or expected[:3])
                elif what == "class":
                    b.add(org, MeetingKind.LEAGUE_CLASS, day, hour=16, expected=expected)
                elif what == "theme":
                    topic = rng.choice(THEME_LEAGUE_DAY_TOPICS)
                    b.add(org, MeetingKind.LEAGUE_GENERAL, day, hour=14, topic=topic, expected=expected)
                elif (org.pk, MeetingKind.LEAGUE_GENERAL, y, (m - 1) // 3) not in b.existing:
                    b.add(
                        org, MeetingKind.LEAGUE_GENERAL, day, hour=16, topic=LEAGUE_GENERAL_TOPICS[m], expected=expected
                    )
        if len(b.meetings) > 400:
            b.save()
    b.save()
