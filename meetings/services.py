"""Writes of the meetings app. Each is one transaction and validates before it saves anything."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.forms import VersionedModelForm
from core.uploads import DOCUMENT_TYPES, validate_upload
from members.models import Person

from .models import (
    ATTENDANCE_COUNTS,
    Attendance,
    AttendanceStatus,
    CalendarToken,
    Meeting,
    MeetingAttachment,
    Vote,
    _new_token,
)
from .selectors import expected_attendees


@dataclass(frozen=True)
class AttendanceEntry:
    person_id: int
    status: str = AttendanceStatus.PRESENT
    reason: str = ""
    is_visitor: bool = False


def _check_entries(meeting: Meeting, entries: list[AttendanceEntry], existing: dict[int, Attendance]):
    if not meeting.is_past:
        raise ValidationError(
            _("This meeting has not taken place yet: attendance can be recorded once it has started."),
            code="future",
        )
    seen: set[int] = set()
    for e in entries:
        if e.person_id in seen:
            raise ValidationError(_("A person is listed twice."), code="duplicate")
        seen.add(e.person_id)
        if e.status not in AttendanceStatus.values:
            raise ValidationError(_("Unknown attendance status."), code="bad_status")
        if e.status == AttendanceStatus.LEAVE and not e.reason.strip():
            raise ValidationError(_("Give the reason for each leave of absence."), code="reason_missing")
    members = [e.person_id for e in entries if not e.is_visitor]
    allowed = set(
        expected_attendees(meeting.organization, meeting.kind).filter(pk__in=members).values_list("pk", flat=True)
    )
    allowed |= {pid for pid, a in existing.items() if not a.is_visitor}
    strangers = [pid for pid in members if pid not in allowed]
    if strangers:
        names = Person.objects.filter(pk__in=strangers).values_list("name", flat=True)
        raise ValidationError(
            _("%(names)s do(es) not belong to %(org)s: add them as visitors instead.")
            % {"names": "、".join(names) or _("Unknown person"), "org": meeting.organization},
            code="not_member",
        )
    visitors = [e.person_id for e in entries if e.is_visitor]
    if visitors and Person.objects.filter(pk__in=visitors).count() != len(visitors):
        raise ValidationError(_("Unknown person."), code="unknown_person")


@transaction.atomic
def meeting_record_attendance(
    *, meeting: Meeting, entries: list[AttendanceEntry], by=None, version: int | None = None
) -> Meeting:
    """Replace the meeting's attendance with `entries` and recompute its counts, in one transaction.

    Refused (ValidationError, nothing saved) when the meeting has not started yet, a non-visitor is not an
    expected attendee of the meeting's organization (see `selectors.expected_attendees`; people already on
    the record stay allowed), a leave has no reason, or a person appears twice.

    `version` is the meeting's version the attendance form was opened at: when someone saved the meeting
    since (its attendance, or the record itself, whose type decides who is expected), the save is refused
    (code "stale") instead of silently replacing theirs. Every save bumps the version, checked and bumped
    under the meeting's row lock; None (a meeting being created) skips the check.

    Counts: stored by `Meeting.recount` from the rows just written (visitors excluded)."""
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    if version is not None and meeting.version != version:
        raise ValidationError(VersionedModelForm.stale_message, code="stale")
    existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    _check_entries(meeting, entries, existing)

    wanted = {e.person_id: e for e in entries}
    to_create, to_update = [], []
    for e in entries:
        row = existing.get(e.person_id)
        reason = "" if e.status == AttendanceStatus.PRESENT else e.reason.strip()[:200]
        if row is None:
            to_create.append(
                Attendance(
                    meeting=meeting, person_id=e.person_id, status=e.status, reason=reason, is_visitor=e.is_visitor
                )
            )
        elif (row.status, row.reason, row.is_visitor) != (e.status, reason, e.is_visitor):
            row.status, row.reason, row.is_visitor = e.status, reason, e.is_visitor
            to_update.append(row)
    for pid, row in existing.items():
        if pid not in wanted:
            row.delete()  # one by one, so the audit trail records each removal
    if to_create:
        bulk_create_with_history(to_create, Attendance, default_user=by)
    if to_update:
        bulk_update_with_history(to_update, Attendance, ["status", "reason", "is_visitor"], default_user=by)

    meeting.recount(save=False)  # stored with the new version, in one save (and one audit record)
    meeting.version += 1
    meeting.save(update_fields=[*ATTENDANCE_COUNTS, "version", "updated_at"])
    return meeting


@transaction.atomic
def meeting_create(*, meeting: Meeting, attendance: list[AttendanceEntry] | None = None, by=None) -> Meeting:
    """Save a new (validated) meeting and, when given, its attendance — all or nothing."""
    meeting.full_clean()
    meeting.save()
    if attendance is not None:
        meeting_record_attendance(meeting=meeting, entries=attendance, by=by)
        meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting) -> None:
    """Delete a meeting with its attendance, votes and attachments (the audit trail keeps them). Refused
    when another record (e.g. a member's pipeline step) relies on one of its votes."""
    files = [a.file for a in meeting.attachments.all()]
    try:
        for att in meeting.attachments.all():
            att.delete()
        meeting.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("A member's record refers to a vote of this meeting: change that record first."), code="protected"
        ) from exc
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f.name])


@transaction.atomic
def vote_record(*, vote: Vote) -> Vote:
    """Save a vote after checking it (numbers add up, the right meeting type, a subject where needed)."""
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def vote_delete(*, vote: Vote) -> None:
    try:
        vote.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("A member's record refers to this vote: change that record first."), code="protected"
        ) from exc


@transaction.atomic
def attachment_add(*, meeting: Meeting, upload, caption: str = "", by=None) -> MeetingAttachment:
    """Store an uploaded file with the meeting after checking its size and its type by content."""
    mime = validate_upload(upload, DOCUMENT_TYPES)
    att = MeetingAttachment(
        meeting=meeting,
        original_name=upload.name[:200],
        content_type=mime,
        size=upload.size,
        caption=caption,
        uploaded_by=by,
    )
    att.file.save(upload.name, upload, save=False)
    att.save()
    return att


@transaction.atomic
def attachment_delete(*, attachment: MeetingAttachment) -> None:
    f = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: f.storage.delete(f.name) if f.name else None)


@transaction.atomic
def calendar_token_regenerate(*, user) -> CalendarToken:
    """Give `user` a new feed token; the old feed URL stops working."""
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = _new_token()
        token.save(update_fields=["token"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    CalendarToken.objects.filter(user=user).delete()
