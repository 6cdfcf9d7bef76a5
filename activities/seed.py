"""Demo activities: the standing places, the yearly theme series, hundreds of activities (3,000 with
~150,000 participations for `--size large`) with named and head-count participants, and honors."""

from datetime import date, timedelta
from decimal import Decimal

from .models import Activity, Category, HeadCount, Honor, HonorLevel, Participation, Place, PlaceKind, Series

PLACES = [
    ("丰顺县儿童福利院", PlaceKind.CHILDREN_WELFARE, "丰顺县汤坑镇建桥路", date(2012, 3, 1)),
    ("县老年人活动中心", PlaceKind.ELDERLY_HOME, "丰顺县汤坑镇新城大道", date(2010, 9, 1)),
    ("汤坑镇敬老院", PlaceKind.ELDERLY_HOME, "丰顺县汤坑镇东山路", date(2015, 10, 1)),
    ("城南社区服务站", PlaceKind.COMMUNITY, "城南街道城南社区", date(2018, 3, 5)),
    ("丰顺县革命烈士纪念碑", PlaceKind.MEMORIAL, "丰顺县汤坑镇烈士陵园", date(2008, 4, 1)),
    ("李坚真纪念馆", PlaceKind.MEMORIAL_HALL, "丰顺县小胜镇", date(2016, 6, 1)),
    ("叶剑英纪念园", PlaceKind.EDUCATION_BASE, "梅县区雁洋镇", date(2014, 5, 1)),
]

SERIES_TITLES = {
    "三月文明礼貌月": ["文明礼仪主题班会", "文明班级评比", "礼仪知识竞赛", "“文明用语”宣传周"],
    "学雷锋志愿服务": ["{place}学雷锋志愿服务", "学雷锋义务清扫街道", "走进{place}献爱心"],
    "清明缅怀革命先烈": ["清明祭扫{place}", "参观{place}", "“缅怀先烈”主题团课"],
    "五四青年节系列活动": ["新团员入团仪式", "十八岁成人礼", "五四评优表彰大会", "“青春心向党”歌咏比赛"],
    "科技活动月": ["科技创新大赛", "科普讲座：走进航天", "航模与机器人展示", "创客作品展"],
    "一二·九爱国主义教育": ["一二·九诗歌朗诵会", "“一二·九”主题团课", "爱国主义知识竞赛"],
}

# (name, month, category, description)
SERIES = [
    ("三月文明礼貌月", 3, Category.THEME_EDUCATION, "文明礼仪宣传、文明班级评比、礼仪知识竞赛。"),
    ("学雷锋志愿服务", 3, Category.VOLUNTEER, "走进福利院、敬老院和社区，开展学雷锋志愿服务。"),
    ("清明缅怀革命先烈", 4, Category.THEME_EDUCATION, "祭扫烈士纪念碑，参观纪念馆，开展革命传统教育。"),
    ("五四青年节系列活动", 5, Category.CEREMONY, "新团员入团仪式、十八岁成人礼、五四表彰。"),
    ("科技活动月", 11, Category.SCIENCE, "科技创新大赛、科普讲座、航模与机器人展示。"),
    ("一二·九爱国主义教育", 12, Category.THEME_EDUCATION, "纪念一二·九运动，诗歌朗诵和主题团课。"),
]

TITLES = {
    Category.THEME_EDUCATION: [
        "“强国有我”主题团日",
        "学习二十大精神主题班会",
        "观看红色电影《长津湖》",
        "国家安全教育日宣讲",
    ],
    Category.VOLUNTEER: ["{place}志愿服务", "走进{place}献爱心", "{place}义务劳动", "关爱孤寡老人志愿服务"],
    Category.SOCIAL_PRACTICE: ["参观{place}", "{place}红色研学", "社区社会调查实践", "“三下乡”社会实践"],
    Category.CAMPUS_CULTURE: ["校园文化艺术节", "经典诵读比赛", "班级合唱比赛", "读书分享会"],
    Category.SPORTS: ["校运会", "篮球联赛", "拔河比赛", "冬季长跑"],
    Category.SCIENCE: ["科技创新作品展", "机器人编程体验", "科普讲座：走进航天", "创客工作坊"],
    Category.CLUB: ["文学社活动", "书法社作品展", "志愿者协会例会", "英语角"],
    Category.COMPETITION: ["演讲比赛", "团史知识竞赛", "辩论赛", "征文比赛"],
    Category.CEREMONY: ["新团员入团仪式", "十八岁成人礼", "开学升旗仪式", "国庆升旗仪式"],
    Category.OTHER: ["校园环境整治", "安全疏散演练", "家长开放日服务", "团干部培训"],
}
CATEGORY_WEIGHTS = {
    Category.THEME_EDUCATION: 18,
    Category.VOLUNTEER: 22,
    Category.SOCIAL_PRACTICE: 10,
    Category.CAMPUS_CULTURE: 10,
    Category.SPORTS: 8,
    Category.SCIENCE: 6,
    Category.CLUB: 8,
    Category.COMPETITION: 8,
    Category.CEREMONY: 5,
    Category.OTHER: 5,
}
HOURS = {Category.VOLUNTEER: (2, 4), Category.SOCIAL_PRACTICE: (3, 6), Category.THEME_EDUCATION: (1, 2)}
SERVICE_PLACE_KINDS = {
    Category.VOLUNTEER: {PlaceKind.CHILDREN_WELFARE, PlaceKind.ELDERLY_HOME, PlaceKind.COMMUNITY},
    Category.SOCIAL_PRACTICE: {PlaceKind.MEMORIAL, PlaceKind.MEMORIAL_HALL, PlaceKind.EDUCATION_BASE},
    Category.THEME_EDUCATION: {PlaceKind.MEMORIAL, PlaceKind.MEMORIAL_HALL},
}


def seed(ctx):
    rng = ctx.rng
    today = ctx.today
    school, league = ctx.school, ctx.orgs["league"]
    first_year = (today.year if today.month >= 9 else today.year - 1) - (5 if ctx.large else 3) + 1
    start = date(first_year, 9, 1)

    places = Place.objects.bulk_create(
        [
            Place(organization=school, name=n, kind=k, address=a, since=s, notes="学校长期共建单位。")
            for n, k, a, s in PLACES
        ]
    )
    series = {}
    for year in range(first_year, today.year + 1):
        for name, month, category, text in SERIES:
            if date(year, month, 1) < start or date(year, month, 1) > today:
                continue
            series[(year, month, category)] = Series(organization=league, name=name, year=year, description=text)
    Series.objects.bulk_create(list(series.values()))

    students_by_class: dict[int, list] = {}
    for s in ctx.students:
        students_by_class.setdefault(s.organization_id, []).append(s)
    staff_by_group: dict[int, list] = {}
    for s in ctx.staff:
        staff_by_group.setdefault(s.organization_id, []).append(s)
    classes = ctx.class_branches
    branches = [ctx.orgs["branch1"], ctx.orgs["branch2"]]
    groups_of = {b.pk: [g for g in ctx.party_groups if g.parent_id == b.pk] for b in branches}

    count = 2600 if ctx.large else 260  # plus the series activities: ~3,000 and ~300
    days = max((today - start).days, 1)
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    activities, plans = [], []
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(days))
        if day.month in (7, 8) and rng.random() < 0.7:  # fewer activities in the summer holiday
            day = day.replace(month=rng.choice((6, 9)), day=min(day.day, 30))
            day = min(day, today)
        category = rng.choices(categories, weights)[0]
        roll = rng.random()
        if roll < 0.55:
            lead, scope = rng.choice(classes), "class"
        elif roll < 0.85:
            lead, scope = league, "league"
        else:
            lead, scope = rng.choice(branches), "party"
            category = rng.choice([Category.THEME_EDUCATION, Category.VOLUNTEER, Category.SOCIAL_PRACTICE])
        place = None
        if category in SERVICE_PLACE_KINDS and rng.random() < 0.85:
            place = rng.choice([p for p in places if p.kind in SERVICE_PLACE_KINDS[category]])
        title = rng.choice(TITLES[category]).format(place=place.name if place else "社区")
        low, high = HOURS.get(category, (0, 0))
        hours = Decimal(rng.randint(low * 2, high * 2)) / 2 if high else Decimal("0")
        s = next((v for (y, m, c), v in series.items() if y == day.year and m == day.month and c == category), None)
        activities.append(
            Activity(
                title=title,
                category=category,
                series=s,
                organization=lead,
                starts_on=day,
                ends_on=day + timedelta(days=1)
                if category == Category.SOCIAL_PRACTICE and rng.random() < 0.3
                else None,
                place=place,
                service_hours=hours,
                description=f"{lead.short_name or lead.name}组织开展{title}活动。",
                outcome=rng.choice(["活动有序开展，反响良好。", "同学们表示收获很大。", "获得服务对象好评。", ""]),
            )
        )
        plans.append(scope)
    # Every series gets its own activities in its month.
    for (year, month, category), one in series.items():
        for _ in range(rng.randint(10, 20) if ctx.large else rng.randint(3, 6)):
            day = date(year, month, rng.randint(1, 28))
            if day > today:
                continue
            kinds = SERVICE_PLACE_KINDS.get(category) or SERVICE_PLACE_KINDS[Category.SOCIAL_PRACTICE]
            place = rng.choice([p for p in places if p.kind in kinds])
            title = rng.choice(SERIES_TITLES[one.name])
            roll = rng.random()
            lead, scope = (rng.choice(classes), "class") if roll < 0.6 else (league, "league")
            low, high = HOURS.get(category, (0, 0))
            activities.append(
                Activity(
                    title=title.format(place=place.name),
                    category=category,
                    series=one,
                    organization=lead,
                    starts_on=day,
                    place=place if "{place}" in title else None,
                    service_hours=Decimal(rng.randint(low * 2, high * 2)) / 2 if high else Decimal("0"),
                    description=f"{one.name}：{one.description}",
                    outcome="活动有序开展，反响良好。",
                )
            )
            plans.append(scope)
    Activity.objects.bulk_create(activities, batch_size=1000)

    participations, heads, co_rows = [], [], []
    through = Activity.co_organizers.through
    target = 95 if ctx.large else 10  # named participations per activity, on average
    for activity, scope in zip(activities, plans, strict=True):
        if scope == "party":
            members = [p for g in groups_of[activity.organization_id] for p in staff_by_group.get(g.pk, [])]
            for p in rng.sample(members, min(len(members), rng.randint(5, 20))):
                participations.append(Participation(activity=activity, person=p))
            continue
        if scope == "class":
            taking_part = [activity.organization]
        else:
            taking_part = rng.sample(classes, min(len(classes), rng.randint(2, 6)))
            if rng.random() < 0.3:
                co_rows.append(through(activity_id=activity.pk, organization_id=taking_part[0].pk))
        if rng.random() < (0.15 if ctx.large else 0.25):
            for c in taking_part:
                h = rng.choice(
                    [
                        None,
                        None,
                        (activity.service_hours / 2).quantize(Decimal("0.1")) if activity.service_hours else None,
                    ]
                )
                heads.append(HeadCount(activity=activity, organization=c, count=rng.randint(20, 50), hours_per_head=h))
            continue
        pool = [p for c in taking_part for p in students_by_class.get(c.pk, [])]
        k = min(len(pool), max(1, int(rng.gauss(target, target / 3))))
        for p in rng.sample(pool, k):
            own = None
            if activity.service_hours and rng.random() < 0.05:
                own = activity.service_hours + Decimal("1")
            participations.append(Participation(activity=activity, person=p, hours=own))
    through.objects.bulk_create(co_rows, batch_size=2000)
    HeadCount.objects.bulk_create(heads, batch_size=2000)
    Participation.objects.bulk_create(participations, batch_size=5000)
    Activity.objects.filter(pk__in=[a.pk for a in activities]).recount()  # one UPDATE for them all

    _seed_honors(ctx, first_year)


def _seed_honors(ctx, first_year):
    rng, today = ctx.rng, ctx.today
    league, general = ctx.orgs["league"], ctx.orgs["general"]
    years = list(range(first_year + 1, today.year + 1))
    honors = []

    def add(org, title, level, body, day, person=None):
        if day <= today:
            honors.append(
                Honor(organization=org, person=person, title=title, level=level, awarding_body=body, awarded_on=day)
            )

    ladder = [
        (HonorLevel.COUNTY, "共青团丰顺县委员会"),
        (HonorLevel.CITY, "共青团梅州市委员会"),
        (HonorLevel.PROVINCE, "共青团广东省委员会"),
    ]
    for i, year in enumerate(years):
        # Climbing the ladder: the latest year is the provincial one.
        level, body = ladder[max(0, len(ladder) - (len(years) - i))]
        add(league, "五四红旗团委", level, body, date(year, 5, 4))
        add(general, "先进基层党组织", HonorLevel.COUNTY, "中共丰顺县委", date(year, 7, 1))
        add(ctx.school, "文明校园", HonorLevel.CITY, "梅州市精神文明建设委员会", date(year, 12, 20))
        for c in rng.sample(ctx.class_branches, min(3, len(ctx.class_branches))):
            add(
                c,
                "五四红旗团支部",
                rng.choice([HonorLevel.SCHOOL, HonorLevel.COUNTY]),
                "共青团丰顺县委员会",
                date(year, 5, 4),
            )
        for s in rng.sample(ctx.students, min(8, len(ctx.students))):
            title = rng.choice(["优秀共青团员", "优秀团干部", "优秀青年志愿者", "三好学生"])
            add(
                s.organization,
                title,
                rng.choice([HonorLevel.SCHOOL, HonorLevel.COUNTY, HonorLevel.CITY]),
                "共青团丰顺县委员会",
                date(year, 5, 4),
                person=s,
            )
        for s in rng.sample(ctx.staff, min(3, len(ctx.staff))):
            add(s.organization, "优秀共产党员", HonorLevel.COUNTY, "中共丰顺县委", date(year, 7, 1), person=s)
    if years:
        add(ctx.orgs["league"], "全国青年志愿服务优秀组织", HonorLevel.NATIONAL, "共青团中央", date(years[-1], 3, 5))
    Honor.objects.bulk_create(honors)
