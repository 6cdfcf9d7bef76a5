"""Factories for the shared models. App-specific factories live in tests/<app>/factories.py."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import Group, User

from branches.models import Officer, Organization, OrgKind, Post
from meetings.models import Meeting, MeetingKind, Vote, VoteKind
from members.models import Category, Gender, Person, PoliticalStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=role)[0])
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"组织{n}")
    kind = OrgKind.SCHOOL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞"])
    gender = Gender.MALE
    birth_date = date(1985, 5, 20)
    category = Category.TEACHER
    organization = factory.SubFactory(OrganizationFactory)
    political_status = PoliticalStatus.MASSES


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    post = Post.SECRETARY
    started_on = date(2020, 9, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    organization = factory.SubFactory(OrganizationFactory)
    kind = MeetingKind.BRANCH_COMMITTEE
    topic = factory.Sequence(lambda n: f"会议议题{n}")
    starts_at = factory.LazyFunction(lambda: datetime(2026, 3, 10, 15, 0, tzinfo=SHANGHAI))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    place = "会议室"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    meeting = factory.SubFactory(MeetingFactory)
    kind = VoteKind.ADMISSION
    entitled = 10
    present = 9
    yes = 8
    no = 1
    abstain = 0
