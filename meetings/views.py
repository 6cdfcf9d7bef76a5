import calendar as pycalendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.periods import Period
from branches.permissions import (
    access,
    can_edit,
    editable_organizations,
    get_for_user_or_404,
    viewable_organizations,
)
from core.dates import in_range
from core.forms import parse_pk
from core.pagination import paginate

from . import ical, selectors, services
from .forms import AttachmentForm, AttendanceForm, MeetingCreateForm, MeetingForm, VoteForm
from .frequency import frequency_table
from .models import CalendarToken, Meeting, MeetingAttachment, MeetingKind, Vote, kinds_for


def _require_access(user):
    if not access(user).has_any_access:
        raise PermissionDenied


def _get_meeting(request, pk, *, edit=False) -> Meeting:
    return get_for_user_or_404(request.user, Meeting.objects.select_related("organization"), edit=edit, pk=pk)


def _org_filter(request, param="org"):
    value = request.GET.get(param, "")
    if not value.isdecimal():  # isdigit() lets "²" through, which int() refuses
        return None
    return viewable_organizations(request.user).filter(pk=value).first()


def _attendance_form(request, meeting: Meeting, data=None) -> AttendanceForm:
    existing = {a.person_id: a for a in meeting.attendances.select_related("person")} if meeting.pk else {}
    expected = list(selectors.expected_attendees(meeting.organization, meeting.kind))
    known = {p.pk for p in expected}
    expected += [a.person for a in existing.values() if not a.is_visitor and a.person_id not in known]
    visitors = selectors.visitor_candidates(request.user, meeting.organization)
    version = meeting.version if meeting.pk else None
    form = AttendanceForm(data, people=expected, existing=existing, visitor_queryset=visitors, version=version)
    form.organization, form.kind = meeting.organization, meeting.kind
    return form


# --- Lists ------------------------------------------------------------------------------------------


def meeting_list(request):
    _require_access(request.user)
    period = Period.parse(request.GET.get("period"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    org = _org_filter(request)
    qs = selectors.meeting_list(request.user, period=period, kind=kind, org=org, text=request.GET.get("q", ""))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page_obj": paginate(request, qs),
            "totals": selectors.meeting_totals(qs),
            "period": period,
            "kinds": MeetingKind.choices,
            "kind": kind,
            "org": org,
            "orgs": viewable_organizations(request.user).filter(is_active=True).order_by("path"),
            "q": request.GET.get("q", ""),
            "can_create": access(request.user).can_edit_anything,
        },
    )


def meeting_calendar(request):
    _require_access(request.user)
    today = timezone.localdate()
    try:
        y, m = (int(x) for x in request.GET.get("month", "").split("-"))
        first = date(y, m, 1)
        if not in_range(first):  # around 0001-01 or 9999-12 its weeks and next month overflow
            raise ValueError(first)
    except ValueError:
        first = today.replace(day=1)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    org = _org_filter(request)
    by_day = selectors.meetings_for_calendar(request.user, start=weeks[0][0], end=weeks[-1][-1], org=org)
    prev_month = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    next_month = (first.replace(day=28) + timedelta(days=7)).replace(day=1)
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "first": first,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "today": today,
            "prev_month": prev_month,
            "next_month": next_month,
            "org": org,
            "orgs": viewable_organizations(request.user).filter(is_active=True).order_by("path"),
        },
    )


def frequency(request):
    _require_access(request.user)
    period = Period.parse(request.GET.get("period"))
    org = _org_filter(request)
    orgs = selectors.checked_organizations(request.user, period=period)
    if org is not None:
        orgs = orgs.filter(path__startswith=org.path)
    rows = frequency_table(orgs=list(orgs), period=period)
    return render(
        request,
        "meetings/frequency.html",
        {
            "rows": rows,
            "period": period,
            "months": period.months(),
            "org": org,
            "orgs": viewable_organizations(request.user).filter(is_active=True).order_by("path"),
        },
    )


# --- One meeting ------------------------------------------------------------------------------------


def meeting_detail(request, pk):
    meeting = selectors.meeting_detail(_get_meeting(request, pk).pk)
    editable = can_edit(request.user, meeting.organization)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "can_edit": editable,
            "vote_form": VoteForm(meeting=meeting, initial=selectors.vote_defaults(meeting)) if editable else None,
            "attachment_form": AttachmentForm() if editable else None,
        },
    )


def meeting_print(request, pk):
    meeting = selectors.meeting_detail(_get_meeting(request, pk).pk)
    return render(request, "meetings/meeting_print.html", {"meeting": meeting})


def _choose_org_and_kind(request):
    orgs = editable_organizations(request.user).filter(is_active=True).order_by("path")
    if not orgs.exists():
        raise PermissionDenied
    org_id = parse_pk(request.GET.get("org"))
    org = orgs.filter(pk=org_id).first() if org_id is not None else None
    if org is None and orgs.count() == 1:
        org = orgs.first()
    if org_id is not None and org is None:
        raise Http404
    kind = request.GET.get("kind", "")
    kind = kind if org is not None and kind in kinds_for(org) else ""
    return orgs, org, kind


def meeting_create(request):
    orgs, org, kind = _choose_org_and_kind(request)
    if org is None or not kind:
        kinds = [(k, MeetingKind(k).label) for k in kinds_for(org)] if org else []
        return render(request, "meetings/meeting_choose.html", {"orgs": orgs, "org": org, "kinds": kinds})
    meeting = Meeting(organization=org, kind=kind)
    form = MeetingCreateForm(request.POST or None, instance=meeting, organization=org, kind=kind)
    att_form = _attendance_form(request, meeting, request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = form.cleaned_data["record_attendance"]
        if record and not att_form.is_valid():
            pass  # the attendance errors show below the table
        else:
            try:
                meeting = services.meeting_create(
                    meeting=form.save(commit=False), attendance=att_form.entries() if record else None, by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Meeting “%(topic)s” saved.") % {"topic": meeting.topic})
                return redirect(meeting)
    context = {"form": form, "att_form": att_form, "org": org, "kind_label": MeetingKind(kind).label}
    return render(request, "meetings/meeting_form.html", context)


def meeting_edit(request, pk):
    meeting = _get_meeting(request, pk, edit=True)
    form = MeetingForm(request.POST or None, instance=meeting, organization=meeting.organization)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting, "org": meeting.organization}
    )


def meeting_attendance(request, pk):
    meeting = _get_meeting(request, pk, edit=True)
    att_form = _attendance_form(request, meeting, request.POST or None)
    if request.method == "POST" and att_form.is_valid():
        try:
            services.meeting_record_attendance(
                meeting=meeting, entries=att_form.entries(), by=request.user, version=att_form.sent_version
            )
        except ValidationError as exc:
            att_form.show_refusal(exc)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(meeting)
    return render(request, "meetings/meeting_attendance.html", {"meeting": meeting, "att_form": att_form})


def meeting_delete(request, pk):
    meeting = _get_meeting(request, pk, edit=True)
    if request.method == "POST":
        try:
            services.meeting_delete(meeting=meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(meeting)
        messages.success(request, _("Meeting deleted."))
        return redirect("meetings:list")
    context = {
        "object": meeting,
        "cancel_url": meeting.get_absolute_url(),
        "blockers": selectors.meeting_delete_blockers(meeting),
    }
    return render(request, "includes/confirm_delete.html", context)


# --- Votes and attachments --------------------------------------------------------------------------


@require_POST
def vote_create(request, pk):
    meeting = selectors.meeting_detail(_get_meeting(request, pk, edit=True).pk)
    form = VoteForm(request.POST, meeting=meeting)
    if form.is_valid():
        vote = services.vote_record(vote=form.save(commit=False))
        outcome = _("passed") if vote.passed else _("not passed")
        messages.success(request, _("Vote recorded: %(outcome)s.") % {"outcome": outcome})
        return redirect(f"{meeting.get_absolute_url()}?vote={vote.pk}#votes")
    return render(
        request,
        "meetings/meeting_detail.html",
        {"meeting": meeting, "can_edit": True, "vote_form": form, "attachment_form": AttachmentForm()},
        status=400,
    )


@require_POST
def vote_delete(request, pk):
    vote = get_for_user_or_404(
        request.user,
        Vote.objects.select_related("meeting__organization"),
        edit=True,
        org_of=lambda v: v.meeting.organization,
        pk=pk,
    )
    try:
        services.vote_delete(vote=vote)
        messages.success(request, _("Vote deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{vote.meeting.get_absolute_url()}#votes")


@require_POST
def attachment_upload(request, pk):
    meeting = _get_meeting(request, pk, edit=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(
            meeting=meeting, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"], by=request.user
        )
        messages.success(request, _("File added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(f"{meeting.get_absolute_url()}#attachments")


def _get_attachment(request, pk, *, edit=False) -> MeetingAttachment:
    return get_for_user_or_404(
        request.user,
        MeetingAttachment.objects.select_related("meeting__organization"),
        edit=edit,
        org_of=lambda a: a.meeting.organization,
        pk=pk,
    )


def attachment_view(request, pk):
    att = _get_attachment(request, pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=att.content_type, as_attachment=not att.is_image, filename=att.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request, pk):
    att = _get_attachment(request, pk, edit=True)
    services.attachment_delete(attachment=att)
    messages.success(request, _("File deleted."))
    return redirect(f"{att.meeting.get_absolute_url()}#attachments")


def person_search(request):
    """htmx: visitor candidates for the attendance form (not those already expected)."""
    _require_access(request.user)
    text = request.GET.get("visitor_q", "").strip()
    org = _org_filter(request)
    people = []
    if text and org is not None:
        people = selectors.visitor_candidates(request.user, org).select_related("organization").search(text)
        kind = request.GET.get("kind", "")
        if kind in MeetingKind.values:
            people = people.exclude(pk__in=selectors.expected_attendees(org, kind).values("pk"))
        people = people[:10]
    return render(request, "meetings/_visitor_results.html", {"people": people})


# --- Calendar feed ----------------------------------------------------------------------------------


def feed_settings(request):
    _require_access(request.user)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(user=request.user)
            messages.success(request, _("The calendar feed is turned off; the old address no longer works."))
        else:
            services.calendar_token_regenerate(user=request.user)
            messages.success(request, _("A new feed address was made; the old one no longer works."))
        return redirect("meetings:feed")
    token = CalendarToken.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("meetings:ical_feed", args=[token.token])) if token else ""
    return render(request, "meetings/feed_settings.html", {"token": token, "feed_url": url})


@login_not_required
def ical_feed(request, token):
    tok = CalendarToken.objects.select_related("user").filter(token=token).first()
    if tok is None or not tok.user.is_active:
        raise Http404
    meetings = selectors.upcoming_for_feed(tok.user)
    body = ical.calendar(
        meetings,
        name=_("PartyLeague meetings"),
        domain=request.get_host().split(":")[0],
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
