"""Roster import: students (by grade and class) and staff from Excel (.xlsx) or CSV (UTF-8, or GBK /
GB18030 as Chinese Excel saves it).

The file is read once, on upload, within `LIMITS` (`core.spreadsheets`: rows, columns, cell length, size);
the batch (`RosterImport`) keeps the cells it holds, not the file, and every preview is checked from
them. `check(cells, user)` checks every row without writing anything and returns a `RosterPreview`
(`parse(filename, content, user)` reads and checks a file in one call); `apply(preview, by)` writes it
in one transaction, and only when no row has an error. Every value is checked against the length of
the field it fills, so a preview that says "valid" is one the database accepts.

A person already on file is matched only inside the organizations the importer may edit: by ID number,
else by name within the same class / Party group, and updated — a second import of the same file
changes nothing and never duplicates anyone. An ID number held by someone outside them is refused in
words that say nothing about that person (neither where they are nor what is on file), as an
unusable number.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from branches.models import PARTY_KINDS, Organization, OrgKind
from branches.permissions import editable_organizations
from core import spreadsheets

from .dates import add_years
from .idnumber import id_number_birth_date, validate_id_number
from .models import Category, Gender, Membership, MembershipStart, Person, PoliticalStatus, RosterImport
from .services import membership_move, status_record_from_file

# One file holds at most this many people (a large school imports grade by grade).
MAX_ROWS = 5000
LIMITS = spreadsheets.Limits(rows=MAX_ROWS, columns=40, cell_chars=1000)
# What a batch keeps: {"format": CELLS_FORMAT, "cells": [...]} or, for a refused file, {"format": ...,
# "refusal": {"code": ..., "params": {...}}} (worded again in the reader's language).
CELLS_FORMAT = "partyleague.roster-cells/1"

# (key, Chinese header, required)
COLUMNS = [
    ("name", "姓名", True),
    ("gender", "性别", False),
    ("birth_date", "出生日期", False),
    ("ethnicity", "民族", False),
    ("category", "类别", True),
    ("grade", "年级", False),
    ("class_number", "班级", False),
    ("party_group", "党组织", False),
    ("id_number", "身份证号", False),
    ("phone", "手机", False),
    ("status", "政治面貌", False),
    ("league_joined_on", "入团时间", False),
    ("league_number", "团员编号", False),
    ("party_admitted_on", "入党时间", False),
    ("party_full_on", "转正时间", False),
    ("notes", "备注", False),
]
HEADERS = {h: k for k, h, _r in COLUMNS}
LABELS = {k: h for k, h, _r in COLUMNS}
CATEGORIES = {"学生": Category.STUDENT, "教师": Category.TEACHER, "职工": Category.STAFF, "教职工": Category.STAFF}
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}
STATUSES = {
    "": PoliticalStatus.MASSES,
    "群众": PoliticalStatus.MASSES,
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "团员": PoliticalStatus.LEAGUE_MEMBER,
    "预备党员": PoliticalStatus.PROBATIONARY,
    "中共预备党员": PoliticalStatus.PROBATIONARY,
    "中共党员": PoliticalStatus.FULL_MEMBER,
    "党员": PoliticalStatus.FULL_MEMBER,
}
GRADE_WORDS = {"高一": 0, "高二": 1, "高三": 2, "初一": 0, "初二": 1, "初三": 2}


@dataclass
class RosterRow:
    line: int
    data: dict
    errors: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    organization: Organization | None = None
    person: Person | None = None  # the match, for an update
    values: dict = field(default_factory=dict)  # cleaned person fields

    @property
    def action(self) -> str:
        return "update" if self.person else "create"


@dataclass
class RosterPreview:
    rows: list
    errors: list = field(default_factory=list)  # file-level errors
    scope: frozenset = frozenset()  # ids of the organizations the importer may edit

    @property
    def valid(self) -> bool:
        return not self.errors and all(not r.errors for r in self.rows) and bool(self.rows)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def creates(self) -> int:
        return sum(1 for r in self.rows if not r.errors and not r.person)

    @property
    def updates(self) -> int:
        return sum(1 for r in self.rows if not r.errors and r.person)


def template_bytes() -> bytes:
    """The downloadable template: Chinese headers and two example rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append([h + ("*" if req else "") for _k, h, req in COLUMNS])
    ws.append(
        ["张三", "男", "2009-03-15", "汉族", "学生", "高一", "1", "", "", "", "共青团员", "2023-05-04", "", "", "", ""]
    )
    ws.append(
        [
            "李老师",
            "女",
            "1985-10-01",
            "汉族",
            "教师",
            "",
            "",
            "语文数学党小组",
            "",
            "",
            "中共党员",
            "",
            "",
            "2008-06-20",
            "2009-06-25",
            "",
        ]
    )
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_file(filename: str, content: bytes) -> list[list]:
    """The cells of a roster file, read within `LIMITS`. Raises ValidationError (`core.spreadsheets`)."""
    return spreadsheets.read_table(filename, content, limits=LIMITS)


def stored_cells(filename: str, content: bytes) -> bytes:
    """What a batch keeps of an uploaded file: its cells, or why it was refused (JSON)."""
    try:
        kept = {"cells": read_file(filename, content)}
    except ValidationError as exc:
        kept = {"refusal": {"code": exc.code, "params": exc.params or {}}}
    return json.dumps({"format": CELLS_FORMAT, **kept}, ensure_ascii=False).encode()


def _refusal_text(code: str | None, params: dict | None) -> str:
    if code in ("bad_xlsx", "bad_csv", None):  # a broken or disguised file
        return _("The file cannot be read as a roster.")
    return spreadsheets.error_text(code, params)


def roster_import_create(*, user, filename: str, content: bytes) -> RosterImport:
    """Read an uploaded roster (once, within `LIMITS`) and keep its cells as a batch waiting for the
    preview and the confirmation."""
    return RosterImport.objects.create(user=user, filename=filename[:200], content=stored_cells(filename, content))


def preview_for(batch: RosterImport, user) -> RosterPreview:
    """The preview of a batch, checked from the cells it keeps (the file is not read again)."""
    content = bytes(batch.content)
    try:
        kept = json.loads(content)
    except ValueError:  # not JSON: the file itself, as kept by earlier versions
        kept = None
    if not isinstance(kept, dict) or kept.get("format") != CELLS_FORMAT:
        kept = json.loads(stored_cells(batch.filename, content))
    if "refusal" in kept:
        refusal = kept["refusal"]
        return RosterPreview(rows=[], errors=[_refusal_text(refusal.get("code"), refusal.get("params"))])
    return check(kept.get("cells") or [], user)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(text)
    return date(int(m[1]), int(m[2]), int(m[3]))


def _grade(text: str, today: date) -> int | None:
    if not text:
        return None
    if text in GRADE_WORDS:
        first_grade = today.year if today.month >= 9 else today.year - 1
        return first_grade - GRADE_WORDS[text]
    digits = re.sub(r"\D", "", text)
    return int(digits) if len(digits) == 4 else None


def parse(filename: str, content: bytes, user) -> RosterPreview:
    """Read and check a roster file; writes nothing."""
    try:
        cells = read_file(filename, content)
    except ValidationError as exc:
        return RosterPreview(rows=[], errors=[_refusal_text(exc.code, exc.params)])
    return check(cells, user)


def check(cells: list[list], user) -> RosterPreview:
    """Check every row of a roster's cells for `user` (the header is the first row with text); writes
    nothing. Lines are the sheet's own line numbers."""
    lines = [(line, row) for line, row in enumerate(cells, start=1) if any(_text(c) for c in row)]
    if not lines:
        return RosterPreview(rows=[], errors=[_("The file is empty.")])
    header = [_text(c).rstrip("*") for c in lines[0][1]]
    keys = [HEADERS.get(h) for h in header]
    missing = [h for k, h, req in COLUMNS if req and k not in keys]
    if missing:
        return RosterPreview(
            rows=[], errors=[_("Missing columns: %(cols)s. Use the template.") % {"cols": "、".join(missing)}]
        )
    today = timezone.localdate()
    editable = list(editable_organizations(user))
    orgs = [o for o in editable if o.is_active]
    classes = {(o.grade, o.class_number): o for o in orgs if o.kind == OrgKind.LEAGUE_BRANCH}
    groups = {}
    for o in orgs:
        if o.kind in PARTY_KINDS:
            groups.setdefault(o.name, o)
            if o.short_name:
                groups.setdefault(o.short_name, o)
    rows = []
    for line, values in lines[1:]:
        data = {k: values[i] if i < len(values) else None for i, k in enumerate(keys) if k}
        rows.append(_check_row(RosterRow(line=line, data=data), classes, groups, today))
    scope = frozenset(o.pk for o in editable)
    _match(rows, scope)
    return RosterPreview(rows=rows, scope=scope)


def _check_row(row: RosterRow, classes, groups, today) -> RosterRow:
    d, v, err = row.data, row.values, row.errors
    v["name"] = _text(d.get("name"))
    if not v["name"]:
        err.append(_("Name missing."))
    category = CATEGORIES.get(_text(d.get("category")))
    if not category:
        err.append(_("Category must be 学生, 教师 or 职工."))
    v["category"] = category
    gender = _text(d.get("gender"))
    v["gender"] = GENDERS.get(gender, "")
    if gender and not v["gender"]:
        err.append(_("Gender must be 男 or 女."))
    v["ethnicity"] = _text(d.get("ethnicity")) or "汉族"
    for key, label in (
        ("birth_date", "出生日期"),
        ("league_joined_on", "入团时间"),
        ("party_admitted_on", "入党时间"),
        ("party_full_on", "转正时间"),
    ):
        try:
            v[key] = _date(d.get(key))
        except (ValueError, TypeError):
            err.append(_("Bad date in %(col)s: “%(value)s”.") % {"col": label, "value": _text(d.get(key))})
            v[key] = None
    id_number = _text(d.get("id_number")).upper()
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            err.extend(exc.messages)
        else:
            born = id_number_birth_date(id_number) if len(id_number) == 18 else None
            if born and v["birth_date"] and born != v["birth_date"]:
                err.append(_("The birth date differs from the ID number's (%(date)s).") % {"date": born.isoformat()})
            v["birth_date"] = v["birth_date"] or born
    v["id_number"] = id_number or None
    v["phone"] = _text(d.get("phone"))
    v["notes"] = _text(d.get("notes"))
    v["league_number"] = _text(d.get("league_number"))
    status = STATUSES.get(_text(d.get("status")))
    if status is None:
        err.append(
            _(
                "Political status must be 群众, 共青团员, 预备党员 or 中共党员 (record later stages on the person's page)."
            )
        )
    v["status"] = status
    if status == PoliticalStatus.LEAGUE_MEMBER and not v["league_joined_on"]:
        err.append(_("A League member needs 入团时间."))
    if status in (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL_MEMBER) and not v["party_admitted_on"]:
        err.append(_("A Party member needs 入党时间."))
    if status == PoliticalStatus.FULL_MEMBER and not v["party_full_on"]:
        err.append(_("A full Party member needs 转正时间."))
    for key in ("league_joined_on", "party_admitted_on", "party_full_on"):
        if v.get(key) and v[key] > today:
            err.append(_("A date lies in the future."))
            break
    if status == PoliticalStatus.FULL_MEMBER and v["party_admitted_on"] and v["party_full_on"]:
        if v["party_full_on"] < add_years(v["party_admitted_on"], 1):
            err.append(_("转正时间 comes at least one year after 入党时间."))
    err.extend(_too_long(v))
    if category == Category.STUDENT:
        grade = _grade(_text(d.get("grade")), today)
        number = re.sub(r"\D", "", _text(d.get("class_number")))
        row.organization = classes.get((grade, int(number))) if grade and number else None
        if row.organization is None:
            err.append(
                _("Unknown class: grade “%(grade)s”, class “%(cls)s”.")
                % {"grade": _text(d.get("grade")), "cls": _text(d.get("class_number"))}
            )
    elif category:
        name = _text(d.get("party_group"))
        row.organization = groups.get(name)
        if row.organization is None:
            err.append(_("Unknown Party group: “%(name)s”.") % {"name": name})
    return row


def _person_field(key: str):
    try:
        return Person._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _too_long(values: dict) -> list[str]:
    """An error for every text longer than the person's field it fills."""
    errors = []
    for key, value in values.items():
        limit = getattr(_person_field(key), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errors.append(_("%(col)s is longer than %(n)s characters.") % {"col": LABELS.get(key, key), "n": limit})
    return errors


def unusable_id_number() -> str:
    """The refusal of an ID number held by someone the importer may not edit: the same words wherever
    that person is, and nothing about them."""
    return _("This ID number cannot be used.")


def _match(rows: list[RosterRow], scope: frozenset) -> None:
    """Find the people already on file among those in `scope` (the importer's editable organizations):
    by ID number, else by name within the organization. Flag ID numbers repeated in the file or held by
    anyone outside `scope` (`unusable_id_number`)."""
    ids = [r.values["id_number"] for r in rows if r.values.get("id_number")]
    seen: dict[str, int] = {}
    for r in rows:
        number = r.values.get("id_number")
        if number:
            if number in seen:
                r.errors.append(_("Duplicate ID number: also on line %(line)s.") % {"line": seen[number]})
            seen.setdefault(number, r.line)
    holders = {p.id_number: p for p in Person.objects.filter(id_number__in=ids).select_related("organization")}
    org_ids = {r.organization.pk for r in rows if r.organization}
    names = {r.values["name"] for r in rows}
    by_name: dict[tuple, list] = {}
    for p in Person.objects.filter(organization_id__in=org_ids, name__in=names).select_related("organization"):
        by_name.setdefault((p.name, p.organization_id), []).append(p)
    for r in rows:
        if r.errors:
            continue
        number = r.values.get("id_number")
        person = holders.get(number) if number else None
        if person is not None and person.organization_id not in scope:
            r.errors.append(unusable_id_number())
            continue
        if person is None and r.organization:
            candidates = by_name.get((r.values["name"], r.organization.pk), [])
            candidates = [p for p in candidates if not p.id_number or p.id_number == number]
            if len(candidates) > 1:
                r.errors.append(_("Two people of this name are in this class or group: add the ID number."))
                continue
            person = candidates[0] if candidates else None
        if person is not None and number and person.id_number and person.id_number != number:
            person = None
        if person is not None and person.organization.kind != r.organization.kind:
            r.errors.append(_("This ID number belongs to someone registered elsewhere."))
            continue
        r.person = person
        if person and r.values["status"] != person.political_status and r.values["status"] != PoliticalStatus.MASSES:
            r.notices.append(
                _("Status on file is %(status)s; an import does not change it (use the person's page).")
                % {"status": person.get_political_status_display()}
            )


UPDATABLE = ("gender", "birth_date", "ethnicity", "category", "id_number", "phone", "league_number", "notes")


@transaction.atomic
def apply(preview: RosterPreview, *, by=None) -> tuple[int, int]:
    """Write a valid preview: (created, updated). Refuses an invalid one whole, and refuses it whole too,
    naming the line, when a row is refused on writing (someone changed the records since the check)."""
    if not preview.valid:
        raise ValidationError(_("Correct the rows with errors first: nothing was imported."), code="invalid")
    today = timezone.localdate()
    created = updated = 0
    for r in preview.rows:
        try:
            if r.person is None:
                _create(r, today=today, by=by)
                created += 1
            elif _update(r, today=today, scope=preview.scope):
                updated += 1
        except ValidationError as exc:
            raise ValidationError(
                _("Line %(line)s: %(reason)s Nothing was imported.")
                % {"line": r.line, "reason": " ".join(exc.messages)},
                code="row",
            ) from exc
        except (DatabaseError, Person.DoesNotExist) as exc:  # e.g. the ID number was taken meanwhile
            raise ValidationError(
                _("Line %(line)s could not be saved: nothing was imported. Check the line and upload the file again.")
                % {"line": r.line},
                code="row",
            ) from exc
    return created, updated


def _create(r: RosterRow, *, today: date, by) -> Person:
    v = r.values
    person = Person(
        name=v["name"],
        organization=r.organization,
        **{k: v[k] or "" for k in UPDATABLE if k not in ("birth_date", "id_number")},
    )
    person.birth_date = v["birth_date"]
    person.id_number = v["id_number"]
    person.save()
    Membership.objects.create(
        person=person, organization=r.organization, started_on=today, start_reason=MembershipStart.JOINED
    )
    status_record_from_file(
        person=person,
        arrival=today,
        by=by,
        league_joined_on=v["league_joined_on"] if v["status"] != PoliticalStatus.MASSES else None,
        league_number=v["league_number"],
        party_admitted_on=v["party_admitted_on"]
        if v["status"] in (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL_MEMBER)
        else None,
        party_full_on=v["party_full_on"] if v["status"] == PoliticalStatus.FULL_MEMBER else None,
    )
    return person


def _update(r: RosterRow, *, today: date, scope: frozenset) -> bool:
    """Update the matched person; False when nothing changes. The person must still be in `scope`."""
    v = r.values
    person = Person.objects.select_for_update().get(pk=r.person.pk)
    if person.organization_id not in scope:
        raise ValidationError(unusable_id_number(), code="id_number_unusable")
    changes = {k: v[k] for k in UPDATABLE if v[k] not in (None, "") and getattr(person, k) != v[k]}
    moved = person.organization_id != r.organization.pk
    if not changes and not moved:
        return False
    for k, value in changes.items():
        setattr(person, k, value)
    if moved:
        person.organization = r.organization
    person.version += 1
    person.save()
    if moved:
        membership_move(person=person, organization=r.organization, on=today)
    return True


@transaction.atomic
def roster_import_apply(*, batch: RosterImport, preview: RosterPreview, by) -> tuple[int, int]:
    """Apply a batch's preview once (a second confirmation, even a simultaneous one, is refused) and
    record the counts on the batch."""
    batch = RosterImport.objects.select_for_update().get(pk=batch.pk)
    if batch.applied_at is not None:
        raise ValidationError(_("This file has already been imported."), code="applied")
    created, updated = apply(preview, by=by)
    batch.applied_at, batch.created_count, batch.updated_count = timezone.now(), created, updated
    batch.save(update_fields=["applied_at", "created_count", "updated_count"])
    return created, updated
