from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_history
from core.models import DomainModel


class OrgKind(models.TextChoices):
    SCHOOL = "school", _("School")
    PARTY_GENERAL_BRANCH = "party_general_branch", _("Party general branch")
    PARTY_BRANCH = "party_branch", _("Party branch")
    PARTY_GROUP = "party_group", _("Party group")
    LEAGUE_COMMITTEE = "league_committee", _("Youth League committee")
    LEAGUE_BRANCH = "league_branch", _("League branch")
    LEAGUE_GROUP = "league_group", _("League group")


PARTY_KINDS = frozenset({OrgKind.PARTY_GENERAL_BRANCH, OrgKind.PARTY_BRANCH, OrgKind.PARTY_GROUP})
LEAGUE_KINDS = frozenset({OrgKind.LEAGUE_COMMITTEE, OrgKind.LEAGUE_BRANCH, OrgKind.LEAGUE_GROUP})

# Which kinds may sit directly under which: the tree of DESIGN §1.
ALLOWED_CHILDREN = {
    OrgKind.SCHOOL: {OrgKind.PARTY_GENERAL_BRANCH, OrgKind.PARTY_BRANCH, OrgKind.LEAGUE_COMMITTEE},
    OrgKind.PARTY_GENERAL_BRANCH: {OrgKind.PARTY_BRANCH},
    OrgKind.PARTY_BRANCH: {OrgKind.PARTY_GROUP},
    OrgKind.PARTY_GROUP: set(),
    OrgKind.LEAGUE_COMMITTEE: {OrgKind.LEAGUE_BRANCH},
    OrgKind.LEAGUE_BRANCH: {OrgKind.LEAGUE_GROUP},
    OrgKind.LEAGUE_GROUP: set(),
}

PATH_STEP = 6  # digits per level in the materialized path


def existed_q(start: date, end: date, prefix: str = "") -> Q:
    """The one rule of "an organization existed" in [start, end], as a filter: founded on or before `end` (or
    of no known founding date), and dissolved after `start` (or never). `dissolved_on` is the first day the
    organization no longer exists, so a class branch dissolved on 1 July existed until 30 June. An organization
    made inactive before dissolution dates were recorded (inactive, no date) counts for no period.
    `Organization.existed_between` is the same rule for one organization."""
    return (
        (Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": end}))
        & (Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": start}))
        & (Q(**{f"{prefix}is_active": True}) | Q(**{f"{prefix}dissolved_on__isnull": False}))
    )


class OrganizationQuerySet(models.QuerySet):
    def party(self):
        return self.filter(kind__in=PARTY_KINDS)

    def league(self):
        return self.filter(kind__in=LEAGUE_KINDS)

    def active(self):
        return self.filter(is_active=True)

    def existing_on(self, day: date):
        """The organizations that existed on `day`: founded by then (or of no known founding date) and not
        yet dissolved (`existed_q`). Dissolved organizations keep their history for the days they existed."""
        return self.filter(existed_q(day, day))

    def existing_during(self, start: date, end: date):
        """The organizations that existed on at least one day of [start, end] (`existed_q`)."""
        return self.filter(existed_q(start, end))

    def subtree_of(self, org: "Organization"):
        return self.filter(path__startswith=org.path)

    def within(self, orgs):
        """All organizations in the subtrees of `orgs` (an iterable of organizations)."""
        q = Q(pk__in=[])
        for org in orgs:
            q |= Q(path__startswith=org.path)
        return self.filter(q)


class Organization(DomainModel):
    """A node of the organization tree: school, Party (general) branch, Party group, League committee,
    class League branch, League group. `path` is a materialized path ("000001000004") so that a subtree
    is one indexed prefix query."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    grade = models.PositiveSmallIntegerField(
        _("grade"), null=True, blank=True, help_text=_("Year of entry, e.g. 2024, for class League branches.")
    )
    class_number = models.PositiveSmallIntegerField(_("class"), null=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    # The first day the organization no longer exists (a class League branch: the day its cohort graduates).
    # `is_active` is kept in step by `dissolve` and `clean` (a constraint holds them together): the pickers
    # and filters of today use `is_active`, the figures of a period use the dates (`existed_q`).
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A League branch of the school's young teachers and staff (教工团支部): no grade and class.
    for_staff = models.BooleanField(
        _("staff League branch"),
        default=False,
        help_text=_("A League branch of the teachers and staff who are League members: it has no grade or class."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    objects = OrganizationQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "grade", "class_number"],
                condition=Q(kind="league_branch"),
                name="unique_class_league_branch",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(is_active=False), name="organization_dissolved_inactive"
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gt=models.F("founded_on")),
                name="organization_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is structure, not business logic: keeping it here means no write can forget it.
        old_path = self.path
        if not self.path or self._parent_changed():
            self._assign_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def get_absolute_url(self):
        return reverse("branches:detail", args=[self.pk])

    def _parent_changed(self) -> bool:
        expected_prefix = self.parent.path if self.parent_id else ""
        return not self.path.startswith(expected_prefix) or len(self.path) != len(expected_prefix) + PATH_STEP

    def _assign_path(self):
        prefix = self.parent.path if self.parent_id else ""
        siblings = Organization.objects.filter(path__startswith=prefix, depth=len(prefix) // PATH_STEP)
        if self.pk:
            siblings = siblings.exclude(pk=self.pk)
        last = siblings.order_by("-path").values_list("path", flat=True).first()
        number = int(last[-PATH_STEP:]) + 1 if last else 1
        self.path = f"{prefix}{number:0{PATH_STEP}d}"
        self.depth = len(prefix) // PATH_STEP

    def _move_descendants(self, old_path: str):
        for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            child.path = self.path + child.path[len(old_path) :]
            child.depth = len(child.path) // PATH_STEP - 1
            Organization.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def clean(self):
        if self.parent_id:
            allowed = ALLOWED_CHILDREN.get(self.parent.kind, set())
            if self.kind not in allowed:
                raise ValidationError(
                    {
                        "kind": _("A %(kind)s cannot be placed under a %(parent)s.")
                        % {"kind": self.get_kind_display(), "parent": self.parent.get_kind_display()}
                    },
                    code="bad_parent",
                )
            if self.pk and self.parent.path.startswith(self.path or "-"):
                raise ValidationError({"parent": _("An organization cannot be placed under itself.")}, code="cycle")
        elif self.kind != OrgKind.SCHOOL:
            raise ValidationError({"parent": _("Only a school has no parent.")}, code="no_parent")
        if self.kind == OrgKind.LEAGUE_BRANCH and not self.for_staff and (not self.grade or not self.class_number):
            raise ValidationError(_("A class League branch needs its grade and class."), code="class_missing")
        if self.kind != OrgKind.LEAGUE_BRANCH:
            self.for_staff = False  # only a League branch can be a staff League branch
        if self.for_staff:
            self.grade = self.class_number = None
        if self.dissolved_on and self.founded_on and self.dissolved_on <= self.founded_on:
            raise ValidationError(
                {"dissolved_on": _("An organization is dissolved after it was founded.")}, code="dissolved_order"
            )
        # Made inactive without a date (the admin's checkbox): dissolved today; a dissolution date: inactive.
        if not self.is_active and not self.dissolved_on:
            self.dissolved_on = timezone.localdate()
        if self.dissolved_on:
            self.is_active = False

    def dissolve(self, on: date) -> None:
        """Dissolve the organization on `on` (its first day of no longer existing): inactive from now on,
        kept with its history, and counted by every period for the days before `on`. Saves."""
        if self.founded_on and on <= self.founded_on:
            raise ValidationError(
                {"dissolved_on": _("An organization is dissolved after it was founded.")}, code="dissolved_order"
            )
        self.dissolved_on, self.is_active = on, False
        self.version += 1
        self.save(update_fields=["dissolved_on", "is_active", "version", "updated_at"])

    def existed_between(self, start: date, end: date) -> bool:
        """Whether the organization existed on a day of [start, end] (the rule of `existed_q`)."""
        if self.founded_on and self.founded_on > end:
            return False
        if self.dissolved_on:
            return self.dissolved_on > start
        return self.is_active

    @property
    def is_party(self) -> bool:
        return self.kind in PARTY_KINDS

    @property
    def is_league(self) -> bool:
        return self.kind in LEAGUE_KINDS

    def ancestors(self):
        paths = [self.path[: i * PATH_STEP] for i in range(1, self.depth + 1)]
        return Organization.objects.filter(path__in=paths).order_by("depth")

    def descendants(self, include_self: bool = False):
        qs = Organization.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def school(self) -> "Organization":
        if self.depth == 0:
            return self
        return Organization.objects.get(path=self.path[:PATH_STEP])

    def history_organization(self):
        """An organization owns its own history while it exists; a deleted one's is for administrators."""
        return Organization.objects.filter(pk=self.pk).first()


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization committee member")
    PROPAGANDA = "propaganda", _("Propaganda committee member")
    DISCIPLINE = "discipline", _("Discipline committee member")
    YOUTH = "youth", _("Youth work committee member")
    MEMBER = "member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Group leader")


LEADING_POSTS = frozenset({Post.SECRETARY, Post.DEPUTY_SECRETARY})


class OfficerQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class Officer(DomainModel):
    """A person holding a post in an organization for a term. `user` ties the post to a login account;
    that tie is what lets a branch secretary edit their own organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="officers"
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_posts",
    )
    post = models.CharField(_("post"), max_length=30, choices=Post.choices)
    started_on = models.DateField(_("term starts"))
    ended_on = models.DateField(_("term ends"), null=True, blank=True)
    election = models.ForeignKey(
        "Election",
        verbose_name=_("election"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
    )

    objects = OfficerQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["organization__path", "post", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="officer_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(user__isnull=False), name="officer_has_person_or_user"
            ),
        ]

    def __str__(self):
        who = self.person or self.user
        return f"{self.organization} · {self.get_post_display()} · {who}"

    def clean(self):
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The term cannot end before it starts.")}, code="term_order")
        if not self.person_id and not self.user_id:
            raise ValidationError(_("Choose the person or the user account holding the post."), code="no_holder")

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)

    def history_organization(self):
        return self.organization


class Election(DomainModel):
    """An election (换届选举) of an organization's committee."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="elections"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    posts_filled = models.PositiveSmallIntegerField(_("posts filled"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.organization} · {self.held_on:%Y-%m-%d}"

    def history_organization(self):
        return self.organization


class AcademicYear(DomainModel):
    """September to August, e.g. 2026–2027."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    history = audit_history()

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="academic_year_order"),
        ]

    def __str__(self):
        return self.name


class SemesterTerm(models.TextChoices):
    AUTUMN = "autumn", _("Autumn semester")
    SPRING = "spring", _("Spring semester")


class Semester(DomainModel):
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.CASCADE, related_name="semesters"
    )
    term = models.CharField(_("term"), max_length=10, choices=SemesterTerm.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    history = audit_history()

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "term"], name="unique_semester_term"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="semester_order"),
        ]

    def __str__(self):
        return f"{self.academic_year} {self.get_term_display()}"
