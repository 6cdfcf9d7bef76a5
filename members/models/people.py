from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import audit_history
from core.models import DomainModel

from ..idnumber import mask_id_number
from ..pinyin import initials, sort_key


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Category(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    STAFF = "staff", _("Staff")
    STUDENT = "student", _("Student")


class PoliticalStatus(models.TextChoices):
    """The stages of DESIGN §2, in order. A person's current status is the latest recorded event; it is
    kept on `Person.political_status` by the members services only."""

    MASSES = "masses", _("Masses")
    LEAGUE_MEMBER = "league_member", _("League member")
    APPLICANT = "applicant", _("Party applicant")
    ACTIVIST = "activist", _("Activist")
    DEVELOPMENT_TARGET = "development_target", _("Development target")
    PROBATIONARY = "probationary", _("Probationary Party member")
    FULL_MEMBER = "full_member", _("Party member")


PARTY_MEMBER_STATUSES = frozenset({PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL_MEMBER})
# The Party development pipeline proper (DESIGN §2, five stages; full members are its end).
PIPELINE_STATUSES = (
    PoliticalStatus.APPLICANT,
    PoliticalStatus.ACTIVIST,
    PoliticalStatus.DEVELOPMENT_TARGET,
    PoliticalStatus.PROBATIONARY,
)
PARTY_ORG_KINDS = frozenset({"party_general_branch", "party_branch", "party_group"})
# A League member (团员): League membership (团籍) is recorded by its dates, not by `political_status`, so an
# applicant, activist or development target who joined the League and has not left is still a League member
# (the rule of `Person.is_league_member`, as a filter).
IN_LEAGUE = Q(league_joined_on__isnull=False, league_left_on__isnull=True)


def in_league_q(on: date | None = None, prefix: str = "") -> Q:
    """`IN_LEAGUE` as of a day: joined by `on` and not left by then (the day of leaving is no longer a League
    member's). `on=None`: today's membership, `IN_LEAGUE`. `prefix` reaches a person through a relation."""
    if on is None:
        return Q(**{f"{prefix}league_joined_on__isnull": False, f"{prefix}league_left_on__isnull": True})
    return Q(**{f"{prefix}league_joined_on__lte": on}) & (
        Q(**{f"{prefix}league_left_on__isnull": True}) | Q(**{f"{prefix}league_left_on__gt": on})
    )


PHONE_DIGITS = 3  # what a masked phone keeps: 138********


def mask(value, keep: int = 0) -> str:
    """A sensitive value with only its first `keep` characters left, the rest starred: mask("13800001234", 3)
    is "138********". The tail is never kept (docs/privacy.md: with the birth date on the same page, the last
    digits of an ID number let it be rebuilt)."""
    value = str(value or "")
    keep = max(0, min(keep, len(value)))
    return value[:keep] + "*" * (len(value) - keep)


def mask_phone(value) -> str:
    """A phone as shown to those who may not read it: the first three digits (the carrier's prefix), the rest
    starred; a number too short to hide anything after them is starred in full."""
    value = str(value or "")
    return mask(value, PHONE_DIGITS if len(value) >= 7 else 0)


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def students(self):
        return self.filter(category=Category.STUDENT)

    def staff(self):
        return self.exclude(category=Category.STUDENT)

    def party_members(self):
        return self.filter(political_status__in=PARTY_MEMBER_STATUSES)

    def full_members(self):
        return self.filter(political_status=PoliticalStatus.FULL_MEMBER)

    def league_members(self, on: date | None = None):
        """League members today (see `IN_LEAGUE`), or on the day `on` by their League joining and leaving dates
        (`in_league_q`), whatever their political status."""
        return self.filter(in_league_q(on))

    def present_on(self, on: date):
        """The people who belonged to the school on `on`: a membership of one of its organizations covered
        that day (`Membership.objects.current(on)`), so people who left later still count and people who came
        later do not. A person with no membership recorded at all counts while active."""
        from .records import Membership

        memberships = Membership.objects.filter(person=OuterRef("pk"))
        return self.filter(Exists(memberships.current(on)) | (Q(is_active=True) & ~Exists(memberships)))

    def with_status_on(self, on: date):
        """Annotate `status_on`: the political status on `on`, from the dated status history (the latest
        event that set a status by then). A person with no status history keeps the recorded status; one whose
        history starts later was masses."""
        from .pipeline import StatusEvent

        events = StatusEvent.objects.filter(person=OuterRef("pk")).exclude(status="")
        latest = events.filter(date__lte=on).order_by("-date", "-pk").values("status")[:1]
        return self.annotate(
            status_on=Coalesce(
                Subquery(latest),
                Case(When(Exists(events), then=Value(PoliticalStatus.MASSES)), default=F("political_status")),
                output_field=models.CharField(),
            )
        )

    def search(self, text: str, *, id_numbers: Q | None = None):
        """Name as written, full pinyin ("zhangwei"), pinyin prefix ("zhangw"), initials ("zw"), or the last
        digits of the ID number — the last only among the people `id_numbers` selects (`members.access.
        sensitive_q`: those whose number the searching user may read; None: no search by number), else the
        search would tell anyone a masked number digit by digit."""
        text = (text or "").strip()
        if not text:
            return self
        low = text.lower().replace(" ", "")
        q = Q(name__icontains=text) | Q(pinyin__startswith=low) | Q(pinyin_initials__startswith=low)
        if id_numbers is not None and (text.isdigit() or text[:-1].isdigit()):
            q |= Q(id_number__endswith=text.upper()) & id_numbers
        return self.filter(q)


class Person(DomainModel):
    """A teacher, staff member or student. `organization` is where the person belongs day to day: the
    class League branch for a student, the Party group (or branch) for staff."""

    name = models.CharField(pgettext_lazy("of a person", "name"), max_length=50)
    pinyin = models.CharField(_("pinyin"), max_length=200, editable=False, db_index=True)
    pinyin_initials = models.CharField(max_length=50, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="people"
    )
    political_status = models.CharField(
        _("political status"),
        max_length=30,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
        editable=False,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, null=True, blank=True, unique=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(pgettext_lazy("of a person", "active"), default=True)
    # The Party organization that develops a student in the Party pipeline (students belong day to day
    # to their class League branch); staff need none: their organization is already a Party one.
    party_organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("Party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="developed_people",
        help_text=_("For students in the Party pipeline: the Party branch that develops them."),
    )
    # League membership (团籍), kept by the League services (league_join / league_leave) with their events.
    league_joined_on = models.DateField(_("joined the League on"), null=True, blank=True, editable=False)
    league_number = models.CharField(_("League member number"), max_length=30, blank=True)
    league_left_on = models.DateField(_("left the League on"), null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["pinyin", "pk"]
        indexes = [models.Index(fields=["organization", "pinyin"]), models.Index(fields=["political_status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(league_left_on__isnull=True) | Q(league_joined_on__isnull=False),
                name="person_league_left_after_joined",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Derived search keys, kept with the name so no write can leave them stale.
        self.pinyin = sort_key(self.name).replace(" ", "")
        self.pinyin_initials = initials(self.name)
        if self.id_number == "":
            self.id_number = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def age_on(self, day: date) -> int | None:
        """Completed years on `day`. A birthday counts on the day itself; someone born on 29 February
        has their birthday on 1 March in common years (so turns 18 on 1 March, not 28 February)."""
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def turns(self, years: int) -> date | None:
        """The day the person reaches `years` of age (29 February births: 1 March in common years)."""
        if not self.birth_date:
            return None
        from ..dates import add_years

        return add_years(self.birth_date, years)

    @property
    def is_student(self) -> bool:
        return self.category == Category.STUDENT

    @property
    def is_league_member(self) -> bool:
        return self.league_joined_on is not None and self.league_left_on is None

    @property
    def party_org(self):
        """The Party organization responsible for this person's Party life and development."""
        if self.organization.kind in PARTY_ORG_KINDS:
            return self.organization
        return self.party_organization

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_party_member(self) -> bool:
        return self.political_status in PARTY_MEMBER_STATUSES

    def history_organization(self):
        return self.organization
