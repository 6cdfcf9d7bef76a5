"""Demo organizations, academic years, accounts and officer posts (people are linked by members.seed)."""

from datetime import date

from django.contrib.auth.models import Group, User

from .models import AcademicYear, Election, Officer, Organization, OrgKind, Post, Semester, SemesterTerm
from .permissions import Role

DEMO_ACCOUNTS = [
    ("admin", "School administrator (all rights) / 学校管理员"),
    ("party", "Party general branch secretary / 党总支书记"),
    ("league", "Youth League committee secretary / 校团委书记"),
    ("branch1", "Secretary of the First Party branch / 第一党支部书记"),
    ("branch2", "Secretary of the Second Party branch / 第二党支部书记"),
    ("class", "Class League branch secretary, 高一(1)班 / 团支部书记"),
    ("leader", "School leader, read-only / 校领导（只读）"),
]

GRADE_NAMES = {0: "高一", 1: "高二", 2: "高三"}


def _org(name, kind, parent=None, **extra):
    return Organization.objects.create(name=name, kind=kind, parent=parent, **extra)


def _user(ctx, username, full_name, role):
    username = ctx.prefix() + username
    user = User.objects.create_user(username, password=ctx.password, first_name=full_name)
    if role == Role.ADMINISTRATOR and ctx.school_index == 0:
        # The first school's administrator is the superuser (in a county database: of every school); a
        # further school's administrator administers that school only (branches.permissions).
        user.is_staff = user.is_superuser = True
        user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    ctx.users[username] = user
    return user


def seed(ctx):
    school_names = ["城南中学", "城北中学", "东山中学", "西湖中学", "丰顺县实验中学"]
    name = school_names[ctx.school_index % len(school_names)]
    if ctx.school_index >= len(school_names):
        name = f"第{ctx.school_index + 1}中学"
    today = ctx.today
    school = _org(name, OrgKind.SCHOOL, founded_on=date(1952, 9, 1))
    ctx.school = school
    general = _org(f"中共{name}总支部委员会", OrgKind.PARTY_GENERAL_BRANCH, school, short_name="党总支")
    b1 = _org("第一党支部（高中部）", OrgKind.PARTY_BRANCH, general, short_name="第一党支部")
    b2 = _org("第二党支部（行政后勤）", OrgKind.PARTY_BRANCH, general, short_name="第二党支部")
    league = _org(f"共青团{name}委员会", OrgKind.LEAGUE_COMMITTEE, school, short_name="校团委")
    # The young teachers who are League members have their League life here (members.seed moves them in).
    staff_league = _org(
        "教工团支部",
        OrgKind.LEAGUE_BRANCH,
        league,
        short_name="教工团支部",
        for_staff=True,
        founded_on=date(2015, 9, 1),
    )
    ctx.orgs.update({"general": general, "branch1": b1, "branch2": b2, "league": league, "staff_league": staff_league})
    group_names = [
        (b1, "语文数学党小组"),
        (b1, "理科党小组"),
        (b1, "文科党小组"),
        (b2, "行政党小组"),
        (b2, "后勤党小组"),
    ]
    for parent, gname in group_names:
        ctx.party_groups.append(_org(gname, OrgKind.PARTY_GROUP, parent))

    classes_per_grade = 20 if ctx.large else 4
    first_grade = today.year if today.month >= 9 else today.year - 1
    for g in range(3):
        entry_year = first_grade - g
        for c in range(1, classes_per_grade + 1):
            ctx.class_branches.append(
                _org(
                    f"{GRADE_NAMES[g]}（{c}）班团支部",
                    OrgKind.LEAGUE_BRANCH,
                    league,
                    grade=entry_year,
                    class_number=c,
                    short_name=f"{GRADE_NAMES[g]}{c}班",
                )
            )

    years = 5 if ctx.large else 3
    if ctx.full_history:
        _graduated_classes(ctx, league, first_grade, classes_per_grade, 5)
    if ctx.school_index == 0:
        for i in range(years):
            y = first_grade - i
            ay = AcademicYear.objects.create(name=f"{y}-{y + 1}", starts_on=date(y, 9, 1), ends_on=date(y + 1, 8, 31))
            Semester.objects.create(
                academic_year=ay, term=SemesterTerm.AUTUMN, starts_on=date(y, 9, 1), ends_on=date(y + 1, 1, 31)
            )
            Semester.objects.create(
                academic_year=ay, term=SemesterTerm.SPRING, starts_on=date(y + 1, 2, 1), ends_on=date(y + 1, 7, 31)
            )

    term_start = date(first_grade - 1, 9, 1)
    election = Election.objects.create(organization=general, held_on=term_start, title="党总支换届选举", posts_filled=5)
    Election.objects.create(
        organization=league, held_on=date(first_grade, 10, 12), title="第二十三次团员代表大会", posts_filled=7
    )

    users = {
        "admin": _user(ctx, "admin", "管理员", Role.ADMINISTRATOR),
        "party": _user(ctx, "party", "陈明静", Role.PARTY_SECRETARY),
        "league": _user(ctx, "league", "李晓红", Role.LEAGUE_SECRETARY),
        "branch1": _user(ctx, "branch1", "王建国", Role.BRANCH_SECRETARY),
        "branch2": _user(ctx, "branch2", "赵志刚", Role.BRANCH_SECRETARY),
        "class": _user(ctx, "class", "刘思雨", Role.BRANCH_SECRETARY),
        "leader": _user(ctx, "leader", "周校长", Role.VIEWER),
    }
    posts = [
        (general, users["party"], Post.SECRETARY, election),
        (b1, users["branch1"], Post.SECRETARY, None),
        (b2, users["branch2"], Post.SECRETARY, None),
        (league, users["league"], Post.SECRETARY, None),
        (ctx.class_branches[0], users["class"], Post.SECRETARY, None),
    ]
    for org, user, post, elec in posts:
        Officer.objects.create(organization=org, user=user, post=post, started_on=term_start, election=elec)


def _graduated_classes(ctx, league, first_grade: int, classes_per_grade: int, years: int) -> None:
    """The classes of the cohorts that graduated within the seeded academic years: their League branches
    stay in the tree (their meetings and people are history) but are inactive — a class League branch is
    dissolved when its cohort graduates in July (docs/decisions.md). Bulk: no audit rows for history."""
    from .models import PATH_STEP

    rows = []
    last = Organization.objects.filter(path__startswith=league.path, depth=league.depth + 1).order_by("-path")
    number = int(last.values_list("path", flat=True).first()[-PATH_STEP:])
    # Cohorts that sat in school during at least one of the seeded years, oldest last.
    for entry_year in range(first_grade - 3, first_grade - 3 - years + 1, -1):
        graduated = entry_year + 3
        for c in range(1, classes_per_grade + 1):
            number += 1
            rows.append(
                Organization(
                    name=f"{graduated}届高三（{c}）班团支部",
                    short_name=f"{graduated}届{c}班",
                    kind=OrgKind.LEAGUE_BRANCH,
                    parent=league,
                    path=f"{league.path}{number:0{PATH_STEP}d}",
                    depth=league.depth + 1,
                    grade=entry_year,
                    class_number=c,
                    founded_on=date(entry_year, 9, 1),
                    is_active=False,
                    dissolved_on=date(graduated, 7, 1),
                    notes=f"{graduated}年7月毕业，团支部撤销。",
                )
            )
    ctx.graduated_branches = Organization.objects.bulk_create(rows)
