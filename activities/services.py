"""Writes of the activities app: participants (whole classes with exceptions, head counts, Excel import)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.models import PATH_STEP, Organization
from core import spreadsheets
from members.models import Person

from .models import Activity, HeadCount, Participation

MAX_IMPORT_ROWS = 2000


def school_people(activity: Activity):
    """People who may take part in an activity: the active people of the lead organizer's school."""
    school_path = activity.organization.path[:PATH_STEP]
    return Person.objects.active().filter(organization__path__startswith=school_path)


@transaction.atomic
def activity_update(*, form) -> Activity:
    """Save an edited activity (a valid `ActivityForm`) and recount its totals: participants without hours
    of their own count the activity's hours."""
    activity = form.save()
    activity.recount()
    return activity


@transaction.atomic
def participation_remove(*, activity: Activity, pk: int) -> None:
    """Remove one named participant of `activity` (a pk of another activity removes nothing)."""
    Participation.objects.filter(activity=activity, pk=pk).delete()
    activity.recount()


@transaction.atomic
def head_count_remove(*, activity: Activity, pk: int) -> None:
    """Remove one head count of `activity` (a pk of another activity removes nothing)."""
    HeadCount.objects.filter(activity=activity, pk=pk).delete()
    activity.recount()


@transaction.atomic
def participants_add(*, activity: Activity, people, hours: Decimal | None = None, by=None) -> list[Participation]:
    """Add named participants; people already taking part are skipped (their hours are kept). `hours`
    None means the activity's hours. Returns the participations created."""
    people = list(people)
    already = set(activity.participations.filter(person__in=[p.pk for p in people]).values_list("person_id", flat=True))
    seen: set[int] = set()
    new = []
    for person in people:
        if person.pk in already or person.pk in seen:
            continue
        seen.add(person.pk)
        new.append(Participation(activity=activity, person=person, hours=hours))
    if not new:
        return []
    created = bulk_create_with_history(new, Participation, batch_size=500, default_user=by)
    activity.recount()
    return created


@transaction.atomic
def participants_add_from_organizations(
    *, activity: Activity, organizations, exclude=(), hours: Decimal | None = None, by=None
) -> list[Participation]:
    """Add every active member of `organizations` (their whole subtrees: a class, a grade's League
    branches, a Party branch) except the people in `exclude` — "高一(1)班 and 高一(2)班 but not these two"."""
    organizations = list(organizations)
    if not organizations:
        return []
    members = (
        school_people(activity)
        .filter(pk__in=Person.objects.filter(organization__in=Organization.objects.within(organizations)).values("pk"))
        .exclude(pk__in=[getattr(p, "pk", p) for p in exclude])
        .order_by("organization__path", "pinyin")
    )
    return participants_add(activity=activity, people=members, hours=hours, by=by)


@transaction.atomic
def head_count_set(
    *, activity: Activity, organization: Organization, count: int, hours_per_head: Decimal | None = None
) -> HeadCount:
    """Record (or correct) how many people of `organization` took part without being named."""
    if count < 1:
        raise ValidationError(_("The head count must be at least 1."), code="count")
    head, created = HeadCount.objects.get_or_create(
        activity=activity, organization=organization, defaults={"count": count, "hours_per_head": hours_per_head}
    )
    if not created:
        head.count, head.hours_per_head = count, hours_per_head
        head.version += 1
        head.save()
    activity.recount()
    return head


# --- Excel import ---------------------------------------------------------------------------------

HEADERS = {
    "name": {"姓名", "name", "名字"},
    "klass": {"班级", "class", "组织", "organization", "班级/组织"},
    "id_number": {"身份证号", "身份证号码", "身份证", "id number", "id", "id_number"},
    "hours": {"时长", "服务时长", "小时", "hours", "志愿时长"},
}


@dataclass
class ImportRow:
    line: int
    name: str = ""
    klass: str = ""
    id_number: str = ""
    hours: Decimal | None = None
    person: Person | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[str] = field(default_factory=list)  # file-level errors

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(1 for r in self.rows if r.errors)


def _norm(text: str) -> str:
    text = str(text or "").strip().replace("（", "(").replace("）", ")").replace(" ", "")
    return re.sub(r"(团支部|党支部|党小组)$", "", text)


IMPORT_LIMITS = spreadsheets.Limits(rows=MAX_IMPORT_ROWS, columns=40, cell_chars=500)


def _read_sheet(upload) -> list[tuple]:
    """The first sheet's rows, read within `IMPORT_LIMITS` (`core.spreadsheets`), empty cells as ""."""
    rows = spreadsheets.read_upload(upload, limits=IMPORT_LIMITS, formats=("xlsx",))
    return [tuple("" if v is None else v for v in row) for row in rows]


def participants_import_parse(*, activity: Activity, upload, people=None) -> ImportResult:
    """Read a workbook (first sheet; a header row with 姓名/name and 班级/class or 身份证号/ID number,
    optionally 时长/hours) and match every row to one person among `people` (default: the school's; views
    pass only the people the user may see, so an import reveals nobody else). Writes nothing: the caller
    shows the result and, only if every row is valid, calls `participants_import`."""
    try:
        raw = _read_sheet(upload)
    except ValidationError as exc:
        return ImportResult(rows=[], errors=list(exc.messages))
    if not raw:
        return ImportResult(rows=[], errors=[_("The workbook is empty.")])
    header = [str(h).strip().lower() for h in raw[0]]
    cols = {key: next((i for i, h in enumerate(header) if h in names), None) for key, names in HEADERS.items()}
    if cols["name"] is None or (cols["klass"] is None and cols["id_number"] is None):
        return ImportResult(
            rows=[],
            errors=[_("The first row must name the columns: 姓名 (name) and 班级 (class) or 身份证号 (ID number).")],
        )

    def cell(row, key):
        i = cols[key]
        return str(row[i]).strip() if i is not None and i < len(row) else ""

    rows = []
    for line, values in enumerate(raw[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        r = ImportRow(line=line, name=cell(values, "name"), klass=cell(values, "klass"))
        r.id_number = cell(values, "id_number").upper()
        hours = cell(values, "hours")
        if hours:
            try:
                r.hours = Decimal(hours).quantize(Decimal("0.1"))
                if r.hours < 0 or r.hours > Decimal("9999"):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                r.errors.append(_("Hours “%(value)s” is not a number of hours.") % {"value": hours})
        if not r.name:
            r.errors.append(_("The name is missing."))
        elif not r.klass and not r.id_number:
            r.errors.append(_("Give the class or the ID number."))
        rows.append(r)
    _match_people(school_people(activity) if people is None else people, rows)
    seen: dict[int, int] = {}
    for r in rows:
        if r.person is None:
            continue
        if r.person.pk in seen:
            r.errors.append(_("Same person as row %(line)s.") % {"line": seen[r.person.pk]})
        else:
            seen[r.person.pk] = r.line
    if not rows:
        return ImportResult(rows=[], errors=[_("The workbook has no participant rows.")])
    return ImportResult(rows=rows)


def _match_people(people, rows: list[ImportRow]) -> None:
    """Two queries: the candidate people by ID number or name, then match in Python."""
    wanted = [r for r in rows if r.name and not r.errors]
    if not wanted:
        return
    names = {r.name for r in wanted}
    ids = {r.id_number for r in wanted if r.id_number}
    candidates = list(people.filter(Q(name__in=names) | Q(id_number__in=ids)).select_related("organization"))
    by_id = {p.id_number: p for p in candidates if p.id_number}
    for r in wanted:
        if r.id_number:
            person = by_id.get(r.id_number)
            if person is None:
                r.errors.append(_("No one you may add has this ID number."))
            elif person.name != r.name:
                r.errors.append(_("The ID number does not match this name."))
            else:
                r.person = person
            continue
        klass = _norm(r.klass)
        same_name = [p for p in candidates if p.name == r.name]
        matches = [
            p for p in same_name if klass in {_norm(p.organization.name), _norm(p.organization.short_name)} and klass
        ]
        if len(matches) == 1:
            r.person = matches[0]
        elif len(matches) > 1:
            r.errors.append(_("Several people with this name in this class: give the ID number."))
        elif same_name:
            r.errors.append(_("%(name)s is not in class “%(klass)s”.") % {"name": r.name, "klass": r.klass})
        else:
            r.errors.append(_("No one you may add has this name."))


@transaction.atomic
def participants_import(*, activity: Activity, result: ImportResult, by=None) -> list[Participation]:
    """Write a parsed import: all rows or nothing. Rows for people already taking part are skipped."""
    if not result.ok:
        raise ValidationError(_("The import has errors; nothing was written."), code="import_errors")
    created = []
    for hours in {r.hours for r in result.rows}:
        people = [r.person for r in result.rows if r.hours == hours]
        created += participants_add(activity=activity, people=people, hours=hours, by=by)
    return created


def import_payload(result: ImportResult) -> list[list]:
    """What the confirm step carries (signed): [person id, hours or ""] per row."""
    return [[r.person.pk, "" if r.hours is None else str(r.hours)] for r in result.rows]


def import_from_payload(*, activity: Activity, payload: list[list]) -> ImportResult:
    """Rebuild a result from a signed payload, re-checking that every person is still of the school."""
    people = school_people(activity).in_bulk([pk for pk, _h in payload])
    rows = []
    for i, (pk, hours) in enumerate(payload, start=2):
        r = ImportRow(line=i, person=people.get(pk), hours=Decimal(hours) if hours else None)
        if r.person is None:
            r.errors.append(_("This person is no longer in the school."))
        rows.append(r)
    return ImportResult(rows=rows)
