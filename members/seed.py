"""Demo people: staff in the Party groups, students in the class League branches; officer posts get
their person. (Extended by the members work with the pipeline.)"""

from datetime import date

from branches.models import Officer

from .models import Category, Gender, Person, PoliticalStatus
from .pinyin import initials, sort_key


def _birth(ctx, age_years: int) -> date:
    today = ctx.today
    return date(today.year - age_years, ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))


def seed(ctx):
    rng = ctx.rng
    staff_count = 250 if ctx.large else 40
    students_per_class = 60 if ctx.large else 12
    staff = []
    for i in range(staff_count):
        group = ctx.party_groups[i % len(ctx.party_groups)]
        status = rng.choices(
            [PoliticalStatus.FULL_MEMBER, PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER],
            weights=[55, 35, 10],
        )[0]
        staff.append(
            Person(
                name=ctx.chinese_name(),
                gender=rng.choice(Gender.values),
                birth_date=_birth(ctx, rng.randint(24, 58)),
                category=Category.TEACHER if i % 6 else Category.STAFF,
                organization=group,
                political_status=status,
            )
        )
    students = []
    for branch in ctx.class_branches:
        age = 15 + (ctx.today.year - branch.grade) - (0 if ctx.today.month >= 9 else 1)
        for _ in range(students_per_class):
            students.append(
                Person(
                    name=ctx.chinese_name(),
                    gender=rng.choice(Gender.values),
                    birth_date=_birth(ctx, age),
                    category=Category.STUDENT,
                    organization=branch,
                    political_status=PoliticalStatus.LEAGUE_MEMBER if rng.random() < 0.7 else PoliticalStatus.MASSES,
                )
            )
    # bulk_create bypasses save(), which computes the pinyin keys: set them here.
    for p in staff + students:
        p.pinyin = sort_key(p.name).replace(" ", "")
        p.pinyin_initials = initials(p.name)
    ctx.staff = Person.objects.bulk_create(staff, batch_size=1000)
    ctx.students = Person.objects.bulk_create(students, batch_size=1000)

    # Give every officer post held through an account a person of its own.
    for officer in Officer.objects.filter(
        person__isnull=True, organization__path__startswith=ctx.school.path
    ).select_related("user", "organization"):
        user = officer.user
        is_student_branch = officer.organization.kind == "league_branch"
        person = Person.objects.create(
            name=user.first_name,
            gender=rng.choice(Gender.values),
            birth_date=_birth(ctx, 16 if is_student_branch else rng.randint(30, 55)),
            category=Category.STUDENT if is_student_branch else Category.TEACHER,
            organization=officer.organization if is_student_branch else ctx.party_groups[0],
            political_status=PoliticalStatus.LEAGUE_MEMBER if is_student_branch else PoliticalStatus.FULL_MEMBER,
            user=user,
        )
        officer.person = person
        officer.save()
        ctx.people[user.username] = person
