"""Factories for the activities app."""

from datetime import date
from decimal import Decimal

import factory

from activities.models import Activity, Category, HeadCount, Honor, HonorLevel, Participation, Place, PlaceKind, Series
from tests.factories import OrganizationFactory, PersonFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"敬老院{n}")
    kind = PlaceKind.ELDERLY_HOME
    address = "城南路1号"


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"学雷锋志愿服务{n}")
    year = 2026


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"志愿服务活动{n}")
    category = Category.VOLUNTEER
    organization = factory.SubFactory(OrganizationFactory)
    starts_on = date(2026, 3, 5)
    service_hours = Decimal("2.0")

    @factory.post_generation
    def co_organizers(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_organizers.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.activity.recount()  # as the services do: the stored totals count the new row


class HeadCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeadCount

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SubFactory(OrganizationFactory)
    count = 10

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.activity.recount()  # as the services do: the stored totals count the new row


class HonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honor

    organization = factory.SubFactory(OrganizationFactory)
    title = "五四红旗团支部"
    level = HonorLevel.COUNTY
    awarding_body = "共青团丰顺县委员会"
    awarded_on = date(2026, 5, 4)
