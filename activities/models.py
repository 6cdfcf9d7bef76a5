"""Activities, their series and places, participations (named or head counts) and honors.

Access rule (decided through `branches.permissions`, see `activities.selectors`):
- An activity has one required **lead organizer** (`organization`) and optional **co-organizers**. A user may
  *view* it if they may view the lead or any co-organizer; they may *edit* it (and its participants and
  photos) only if they may edit the lead organizer.
- A series and a place are kept by an organization (usually the League committee or the school). The
  activities of that organization's subtree may use them, so their pages are visible to who may view the
  keeping organization or any organization beneath it (a class secretary sees the school's places, with
  only the activities they may see); they are editable by who may edit the keeping organization.
- An honor belongs to `organization`: the organization honored, or — for a person's honor — the person's
  organization, which then decides access.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import audit_history
from core.models import DomainModel
from core.uploads import validate_document, validate_image

HOURS = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0"))]}


class Category(models.TextChoices):
    THEME_EDUCATION = "theme_education", _("Theme education")
    VOLUNTEER = "volunteer", _("Volunteer service")
    SOCIAL_PRACTICE = "social_practice", _("Social practice")
    CAMPUS_CULTURE = "campus_culture", _("Campus culture")
    SPORTS = "sports", _("Sports")
    SCIENCE = "science", _("Science and technology")
    CLUB = "club", _("Club")
    COMPETITION = "competition", _("Competition")
    CEREMONY = "ceremony", _("Ceremony")
    OTHER = "other", _("Other")


SERVICE_CATEGORIES = (Category.VOLUNTEER, Category.SOCIAL_PRACTICE)
# Volunteer service (志愿服务) and social practice (社会实践) are two things the summary counts apart; an activity
# is one or the other by its category, wherever it was held (a visit to an education base is social practice,
# or theme education, never volunteer service).
VOLUNTEER_SERVICE = Q(category=Category.VOLUNTEER)
SOCIAL_PRACTICE = Q(category=Category.SOCIAL_PRACTICE)
# Held at one of the school's places (community assistance point, education base …), whatever the category.
AT_A_PLACE = Q(place__isnull=False)


class PlaceKind(models.TextChoices):
    ELDERLY_HOME = "elderly_home", _("Home for the elderly")
    CHILDREN_WELFARE = "children_welfare", _("Children's welfare centre")
    COMMUNITY = "community", _("Community assistance point")
    MEMORIAL = "memorial", _("Martyrs' memorial")
    MEMORIAL_HALL = "memorial_hall", _("Memorial hall")
    EDUCATION_BASE = "education_base", _("Patriotic education base")
    OTHER = "other", _("Other")


class HonorLevel(models.TextChoices):
    SCHOOL = "school", pgettext_lazy("honor level", "School")
    COUNTY = "county", pgettext_lazy("honor level", "District / county")
    CITY = "city", pgettext_lazy("honor level", "City")
    PROVINCE = "province", pgettext_lazy("honor level", "Province")
    NATIONAL = "national", pgettext_lazy("honor level", "National")


class Place(DomainModel):
    """A standing community assistance point or patriotic education base the school works with."""

    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="activity_places",
        help_text=_("Usually the school or the League committee; its whole subtree may use the place."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=PlaceKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    since = models.DateField(_("working with us since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(pgettext_lazy("of a place", "active"), default=True)

    history = audit_history()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_place_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:place_detail", args=[self.pk])

    def history_organization(self):
        return self.organization


class Series(DomainModel):
    """A theme series of one year, e.g. 三月文明礼貌月 2026 or 学雷锋志愿服务 2026."""

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("organized by"), on_delete=models.PROTECT, related_name="series"
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name", "year"], name="unique_series_per_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def get_absolute_url(self):
        return reverse("activities:series_detail", args=[self.pk])

    def history_organization(self):
        return self.organization


class ActivityQuerySet(models.QuerySet):
    """Person-times and hours of activities are the stored `person_times` and `total_hours` (see
    `activities.selectors`: named participations plus head counts), summed."""

    def started_in(self, period):
        """Activities starting on a day of `period` (anything with `.start` and `.end`)."""
        return self.filter(starts_on__range=(period.start, period.end))

    def organized_within(self, org):
        """Activities whose lead organizer or one of whose co-organizers lies in `org`'s subtree."""
        co = Activity.co_organizers.through.objects.filter(
            activity=models.OuterRef("pk"), organization__path__startswith=org.path
        )
        return self.filter(Q(organization__path__startswith=org.path) | models.Exists(co))

    def volunteer_service(self):
        return self.filter(VOLUNTEER_SERVICE)

    def social_practice(self):
        return self.filter(SOCIAL_PRACTICE)

    def at_places(self):
        return self.filter(AT_A_PLACE)

    def with_live_totals(self):
        """Annotate `live_person_times` and `live_hours` computed from the participations and head counts
        (correlated subqueries): what the stored `person_times` / `total_hours` must equal."""
        from .selectors import annotate_live_totals

        return annotate_live_totals(self)

    def recount(self) -> int:
        """Store the person-times and hours of these activities, counted from their participations and head
        counts: one UPDATE with correlated subqueries, however many activities (the seeds). Returns the rows
        updated. `Activity.recount` is the one-activity form."""
        from .selectors import live_totals_expressions

        return self.order_by().update(**live_totals_expressions())


class Activity(DomainModel):
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("lead organizer"),
        on_delete=models.PROTECT,
        related_name="led_activities",
        help_text=_("Decides who may edit the activity."),
    )
    co_organizers = models.ManyToManyField(
        "branches.Organization",
        verbose_name=_("co-organizers"),
        blank=True,
        related_name="co_organized_activities",
        help_text=_("Their officers may also see the activity."),
    )
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    description = models.TextField(_("description"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    service_hours = models.DecimalField(
        _("service hours per participant"),
        default=Decimal("0"),
        help_text=_("The default for every participant; a participant may have their own."),
        **HOURS,
    )
    # Stored by `recount`, which every write of participants, head counts or the activity's hours calls
    # (the services, the Django admin, the seeds): lists, tables and the annual summary sum these columns
    # instead of counting 150,000 participations per request.
    person_times = models.PositiveIntegerField(_("person-times"), default=0, editable=False)
    total_hours = models.DecimalField(
        _("total hours"), max_digits=12, decimal_places=1, default=Decimal("0"), editable=False
    )

    objects = ActivityQuerySet.as_manager()
    history = audit_history(excluded_fields=["person_times", "total_hours"])  # derived, not edited

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "starts_on"]),
            models.Index(fields=["category", "starts_on"]),
            models.Index(fields=["place", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="activity_date_order"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    def recount(self) -> None:
        """Store this activity's person-times and hours, counted from its participations and head counts
        (participants without hours of their own count the activity's). Called explicitly by every write
        that changes them; never by a signal."""
        Activity.objects.filter(pk=self.pk).recount()
        self.refresh_from_db(fields=["person_times", "total_hours"])

    def history_organization(self):
        return self.organization


class Participation(DomainModel):
    """A named participant. `hours` empty means the activity's hours (they follow if the activity changes)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    hours = models.DecimalField(_("service hours"), null=True, blank=True, **HOURS)

    history = audit_history()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["person__organization__path", "person__pinyin"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="unique_participation")]

    def __str__(self):
        return f"{self.activity} · {self.person}"

    def effective_hours(self) -> Decimal:
        return self.hours if self.hours is not None else self.activity.service_hours

    def after_restore(self) -> None:
        """Restored from the audit trail (core.views.restore_record): the activity's totals count it again."""
        self.activity.recount()

    def history_organization(self):
        return self.activity.organization


class HeadCount(DomainModel):
    """Participants counted, not named: `count` people of one class (or organization)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="head_counts"
    )
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("class or organization"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("head count"), validators=[MinValueValidator(1)])
    hours_per_head = models.DecimalField(
        _("hours per head"), null=True, blank=True, help_text=_("Empty: the activity's hours."), **HOURS
    )

    history = audit_history()

    class Meta:
        verbose_name = _("head count")
        verbose_name_plural = _("head counts")
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "organization"], name="unique_head_count"),
            models.CheckConstraint(condition=Q(count__gte=1), name="head_count_positive"),
        ]

    def __str__(self):
        return f"{self.organization} × {self.count}"

    def effective_hours(self) -> Decimal:
        return self.hours_per_head if self.hours_per_head is not None else self.activity.service_hours

    def after_restore(self) -> None:
        """Restored from the audit trail (core.views.restore_record): the activity's totals count it again."""
        self.activity.recount()

    def history_organization(self):
        return self.organization


def _photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"activities/photos/{instance.activity_id}/{instance.activity_id}-{instance.uid}.{ext}"


def _certificate_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "pdf"
    return f"activities/certificates/{instance.awarded_on:%Y}/{instance.uid}.{ext}"


def _uid():
    import uuid

    return uuid.uuid4().hex


class Photo(DomainModel):
    """A photo of an activity, stored under MEDIA_ROOT and served only through `activities:photo`."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    uid = models.CharField(max_length=32, default=_uid, editable=False, unique=True)
    image = models.FileField(_("photo"), upload_to=_photo_path, validators=[validate_image])
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]

    def history_organization(self):
        return self.activity.organization


class Honor(DomainModel):
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="honors",
        help_text=_("The organization honored (the school itself included), or the person's organization."),
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honors",
        help_text=_("Leave empty when the organization itself is honored."),
    )
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=HonorLevel.choices)
    awarding_body = models.CharField(_("awarded by"), max_length=200)
    awarded_on = models.DateField(_("date"), db_index=True)
    uid = models.CharField(max_length=32, default=_uid, editable=False, unique=True)
    certificate = models.FileField(
        _("certificate scan"), upload_to=_certificate_path, blank=True, validators=[validate_document]
    )
    notes = models.TextField(_("notes"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("honor")
        verbose_name_plural = _("honors")
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["organization", "awarded_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.person_id:
            return reverse("activities:honors_for_person", args=[self.person_id])
        return reverse("activities:honors_for_org", args=[self.organization_id])

    @property
    def recipient(self):
        return self.person or self.organization

    def history_organization(self):
        return self.organization
