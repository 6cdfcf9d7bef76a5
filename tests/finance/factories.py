from datetime import date
from decimal import Decimal

import factory

from finance.models import AidFund, Drive, DuesAccount, DuesBasis, DuesKind
from members.models import Category, PoliticalStatus
from tests.factories import OrganizationFactory, PersonFactory


class AidFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidFund

    organization = factory.SubFactory(OrganizationFactory)
    name = "爱心助学基金"
    started_on = date(2020, 1, 1)


class DriveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drive

    fund = factory.SubFactory(AidFundFactory)
    title = factory.Sequence(lambda n: f"第{n}期爱心募捐")
    starts_on = date(2024, 9, 1)
    ends_on = date(2024, 9, 30)


def StudentFactory(**kwargs):  # noqa: N802 - reads like a factory
    kwargs.setdefault("category", Category.STUDENT)
    kwargs.setdefault("political_status", PoliticalStatus.LEAGUE_MEMBER)
    kwargs.setdefault("birth_date", date(2010, 3, 1))
    if kwargs["political_status"] == PoliticalStatus.LEAGUE_MEMBER:
        kwargs.setdefault("league_joined_on", date(2023, 9, 1))  # League membership is recorded by its dates
    return PersonFactory(**kwargs)


class DuesAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesAccount

    person = factory.SubFactory(PersonFactory, political_status=PoliticalStatus.FULL_MEMBER)
    kind = DuesKind.PARTY
    organization = factory.LazyAttribute(lambda o: o.person.organization)
    basis = DuesBasis.SALARIED
    base_pay = Decimal("6000.00")
    starts_on = date(2024, 1, 1)
