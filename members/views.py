import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import LEAGUE_KINDS, PARTY_KINDS, OrgKind
from branches.periods import academic_year
from branches.permissions import access, can_edit, editable_organizations, viewable_organizations
from core.audit import log_export
from core.exports import Sheet, too_many_rows, xlsx_response
from core.forms import errors_text, parse_pk
from core.pagination import paginate

from . import roster, selectors, services
from .access import (
    can_edit_person,
    can_export,
    can_see_sensitive,
    can_view_person,
    deciding_organizations,
    people_for,
    person_for_user_or_404,
    require,
)
from .forms import (
    STEPS,
    STEPS_BY_STATUS,
    ArrivalForm,
    PersonFilterForm,
    PersonForm,
    RecommendationDecisionForm,
    RecommendationTargetForm,
    RecommendationVoteForm,
    RosterUploadForm,
)
from .models import (
    AppraisalRating,
    Assessment,
    Person,
    Recommendation,
    RecommendationTarget,
    RosterImport,
    StatusEvent,
    TargetYear,
)
from .pipeline import Dossier

logger = logging.getLogger("partyleague.members")


def _year(request, default=None) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default or timezone.localdate().year
    return year if 1990 <= year <= 2100 else timezone.localdate().year


def _add_errors(form, exc: ValidationError):
    """Put a service's refusal on the form: on the field it names when the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- List, export, detail ---------------------------------------------------------------------------


def _filtered(request):
    user = request.user
    if not access(user).has_any_access:
        raise PermissionDenied
    orgs = viewable_organizations(user).filter(is_active=True)
    grades = sorted({g for g in orgs.filter(kind=OrgKind.LEAGUE_BRANCH).values_list("grade", flat=True) if g})
    form = PersonFilterForm(request.GET or None, organizations=orgs, grades=grades)
    c = form.cleaned_data if form.is_valid() else {}
    qs = selectors.person_list(
        user,
        text=c.get("q", ""),
        status=c.get("status", ""),
        category=c.get("category", ""),
        organization=c.get("organization"),
        grade=c.get("grade"),
        active=c.get("active") or "1",
        sort=c.get("sort") or "pinyin",
    )
    return form, qs


def person_list(request):
    form, qs = _filtered(request)
    page = paginate(request, qs)
    for p in page:
        p.show_sensitive = can_see_sensitive(request.user, p)
    return render(
        request,
        "members/person_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_export": can_export(request.user),
            "can_create": access(request.user).can_edit_anything,
        },
    )


CHOICE_COLUMNS = ("gender", "category", "political_status")


def person_export(request):
    """The filtered list as Excel; ID number and phone in full only where the user may see them. Every
    export is logged (who, when, filters, how many rows). Rows stream from the database into the file
    (constant memory); a list beyond `MAX_EXPORT_ROWS` is refused with a message to narrow it."""
    require(can_export(request.user))
    _form, qs = _filtered(request)
    refused = too_many_rows(qs.count())
    if refused:
        messages.warning(request, refused)
        return redirect(f"{reverse('members:list')}?{request.GET.urlencode()}")
    headers = [_("Name"), _("Gender"), _("Birth date"), _("Category"), _("Organization"), _("Status"), _("Since")]
    headers += [_("League member number"), _("ID number"), _("Phone"), _("Active")]
    counted = {"rows": 0, "sensitive": 0}
    yes, no = _("yes"), _("no")
    # Choice labels translated once (get_FOO_display() rebuilds and translates the choices on every call).
    labels = {f: {k: str(v) for k, v in Person._meta.get_field(f).flatchoices} for f in CHOICE_COLUMNS}

    def rows():
        for p in qs.iterator(chunk_size=2000):
            full = can_see_sensitive(request.user, p)
            counted["rows"] += 1
            counted["sensitive"] += bool(full and (p.id_number or p.phone))
            yield [
                p.name,
                labels["gender"].get(p.gender, p.gender),
                p.birth_date,
                labels["category"].get(p.category, p.category),
                p.organization.name,
                labels["political_status"].get(p.political_status, p.political_status),
                p.status_since,
                p.league_number,
                (p.id_number or "") if full else p.masked_id_number,
                p.phone if full else p.masked_phone,
                yes if p.is_active else no,
            ]

    stamp = timezone.localdate().isoformat()
    response = xlsx_response(f"members-{stamp}.xlsx", [Sheet(_("Members"), headers, rows())])
    log_export(request, "members", rows=counted["rows"], sensitive_rows=counted["sensitive"])
    return response


def person_detail(request, pk):
    person = person_for_user_or_404(request.user, pk)
    person = selectors.person_detail(person.pk)
    today = timezone.localdate()
    dossier = Dossier(
        person,
        person.status_events.all(),
        person.sponsors.all(),
        person.assessments.all(),
        list(person.recommendations.all()),
    )
    sides = {side: deciding_organizations(request.user, person, side=side).exists() for side in ("party", "league")}
    sides["person"] = can_edit_person(request.user, person)
    steps = [STEPS[s] for s in STEPS_BY_STATUS.get(person.political_status, [])]
    events = list(person.status_events.all())
    latest = max(events, key=lambda e: (e.date, e.pk)) if events else None
    withdrawable = latest if latest and not latest.from_file and can_edit(request.user, latest.organization) else None
    if person.is_active:
        steps.append(STEPS["transfer-out"])
    else:
        steps = [STEPS["transfer-in"]]
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "dossier": dossier,
            "next_steps": dossier.next_steps(today),
            "timeline": selectors.timeline(person),
            "steps": [s for s in steps if sides[s.side]],
            "can_edit": sides["person"],
            "show_sensitive": can_see_sensitive(request.user, person),
            "today": today,
            "age": person.age_on(today),
            "withdrawable": withdrawable,
            "can_delete_assessments": sides["party"],
            "waiting_votes": selectors.unused_votes(person),
        },
    )


def _person_orgs(user):
    return editable_organizations(user).filter(is_active=True, kind__in=[*PARTY_KINDS, OrgKind.LEAGUE_BRANCH])


def _party_orgs(user):
    return viewable_organizations(user).filter(is_active=True, kind__in=PARTY_KINDS)


def person_create(request):
    orgs = _person_orgs(request.user)
    require(orgs.exists())
    form = PersonForm(request.POST or None, organizations=orgs, party_organizations=_party_orgs(request.user))
    arrival = ArrivalForm(request.POST or None, prefix="arrival")
    if request.method == "POST" and form.is_valid() and arrival.is_valid():
        try:
            person = services.person_create(
                form=form,
                by=request.user,
                joined_on=arrival.cleaned_data["joined_on"],
                start_reason=arrival.cleaned_data["start_reason"],
                counterpart=arrival.cleaned_data["counterpart"],
                history=arrival.history(),
            )
        except ValidationError as exc:
            _add_errors(arrival, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            return redirect(person)
    return render(request, "members/person_form.html", {"form": form, "arrival": arrival})


def person_edit(request, pk):
    person = person_for_user_or_404(request.user, pk, edit=True)
    form = PersonForm(
        request.POST or None,
        instance=person,
        organizations=_person_orgs(request.user),
        party_organizations=_party_orgs(request.user),
        show_sensitive=can_see_sensitive(request.user, person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(form=form, by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(person)
    return render(request, "members/person_form.html", {"form": form, "person": person})


# --- Pipeline steps ---------------------------------------------------------------------------------


def _step_organizations(user, person, side):
    if side == "person":
        require(can_edit_person(user, person))
        kinds = [OrgKind.LEAGUE_BRANCH] if person.is_student else list(PARTY_KINDS)
        return editable_organizations(user).filter(is_active=True, kind__in=kinds)
    orgs = deciding_organizations(user, person, side=side)
    require(orgs.exists())
    return orgs


def person_step(request, pk, step):
    form_class = STEPS.get(step)
    if form_class is None:
        raise Http404
    person = person_for_user_or_404(request.user, pk)
    orgs = _step_organizations(request.user, person, form_class.side)
    dossier = Dossier(person)
    form = form_class(request.POST or None, request.FILES or None, person=person, dossier=dossier, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            form.run(by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(step)s recorded for %(name)s.") % {"step": form.title, "name": person.name})
            return redirect(person)
    return render(
        request,
        "members/person_step.html",
        {"person": person, "form": form, "dossier": dossier, "today": timezone.localdate()},
    )


def _event_for_edit(request, pk) -> StatusEvent:
    event = get_object_or_404(
        StatusEvent.objects.select_related("person__organization", "person__party_organization", "organization"), pk=pk
    )
    if not can_view_person(request.user, event.person):
        raise Http404
    require(can_edit(request.user, event.organization))
    return event


def event_withdraw(request, pk):
    """Withdraw the latest step (a mistake), after a confirmation."""
    event = _event_for_edit(request, pk)
    if request.method == "POST":
        try:
            services.status_event_withdraw(event=event, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Step withdrawn: %(step)s.") % {"step": event.get_kind_display()})
        return redirect(event.person)
    return render(
        request,
        "includes/confirm_delete.html",
        {"object": event, "cancel_url": event.person.get_absolute_url(), "blockers": None},
    )


def assessment_delete(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related("person__organization", "person__party_organization"), pk=pk
    )
    person = assessment.person
    if not can_view_person(request.user, person):
        raise Http404
    require(deciding_organizations(request.user, person, side="party").exists())
    if request.method == "POST":
        services.assessment_delete(assessment=assessment, by=request.user)
        messages.success(request, _("Assessment deleted."))
        return redirect(person)
    return render(
        request, "includes/confirm_delete.html", {"object": assessment, "cancel_url": person.get_absolute_url()}
    )


def event_document(request, pk):
    event = get_object_or_404(
        StatusEvent.objects.select_related("person__organization", "person__party_organization"), pk=pk
    )
    if not event.document or not can_view_person(request.user, event.person):
        raise Http404
    return FileResponse(event.document.open("rb"), as_attachment=True, filename=event.document.name.rsplit("/", 1)[-1])


def pipeline_board(request):
    require(access(request.user).has_any_access)
    org = None
    if (org_id := parse_pk(request.GET.get("org"))) is not None:
        org = get_object_or_404(viewable_organizations(request.user), pk=org_id)
    today = timezone.localdate()
    return render(
        request,
        "members/pipeline_board.html",
        {
            "columns": selectors.board(request.user, today, organization=org),
            "org": org,
            "orgs": viewable_organizations(request.user).filter(is_active=True, kind__in=PARTY_KINDS),
            "today": today,
        },
    )


def due_list(request):
    require(access(request.user).has_any_access)
    today = timezone.localdate()
    items = selectors.due_items(request.user, today)
    return render(request, "members/due_list.html", {"page_obj": paginate(request, items, per_page=50), "today": today})


# --- 推优 -------------------------------------------------------------------------------------------


def _school_for(user):
    return viewable_organizations(user).filter(kind=OrgKind.SCHOOL).order_by("path").first()


def _can_set_target(user, school) -> bool:
    """The school (Party side) or its League committee sets the yearly 推优 target."""
    if school is None:
        return False
    committees = editable_organizations(user).filter(kind=OrgKind.LEAGUE_COMMITTEE, path__startswith=school.path)
    return can_edit(user, school) or committees.exists()


def recommendation_list(request):
    require(access(request.user).has_any_access)
    year = _year(request)
    school = _school_for(request.user)
    recs = (
        Recommendation.objects.filter(person__in=people_for(request.user))
        .filter(nominated_on__year=year)
        .select_related("person__organization", "league_branch", "committee", "vote__meeting")
        .prefetch_related("outcomes")
    )
    can_target = _can_set_target(request.user, school)
    # The page shows a calendar year: its target is the calendar year's (`target_q`), as the summary finds it.
    progress = selectors.recommendation_progress(school, year) if school else None
    form = RecommendationTargetForm(
        initial={"target": progress and progress["target"]}, page_kind=TargetYear.CALENDAR, page_year=year
    )
    return render(
        request,
        "members/recommendation_list.html",
        {
            "recommendations": recs,
            "year": year,
            "progress": progress,
            "school": school,
            "can_target": can_target,
            "target_form": form,
            "academic_targets": _academic_targets(school, year) if progress else [],
        },
    )


def _academic_targets(school, year: int) -> list[tuple[str, int | None]]:
    """The targets of the two academic years a calendar year touches (one query): set here, counted by an
    academic-year summary."""
    years = (year - 1, year)
    targets = dict(
        RecommendationTarget.objects.filter(school=school, kind=TargetYear.ACADEMIC, year__in=years).values_list(
            "year", "target"
        )
    )
    return [(academic_year(y).label, targets.get(y)) for y in years]


@require_POST
def recommendation_target(request):
    school = _school_for(request.user)
    year = _year(request)
    require(_can_set_target(request.user, school))
    form = RecommendationTargetForm(request.POST, page_kind=TargetYear.CALENDAR, page_year=year)
    if form.is_valid():
        data = form.cleaned_data
        services.recommendation_target_set(school=school, year=data["year"], kind=data["kind"], target=data["target"])
        messages.success(
            request,
            _("The 推优 target for %(period)s is saved: %(n)s.") % {"period": form.period().label, "n": data["target"]},
        )
    else:
        messages.error(request, _("The target was not saved: %(errors)s") % {"errors": errors_text(form)})
    return redirect(f"{reverse('members:recommendations')}?year={year}")


def _recommendation_for(request, pk):
    rec = get_object_or_404(
        Recommendation.objects.select_related("person__organization", "person__party_organization", "league_branch"),
        pk=pk,
    )
    if not can_view_person(request.user, rec.person):
        raise Http404
    return rec


def recommendation_vote(request, pk):
    rec = _recommendation_for(request, pk)
    require(can_edit(request.user, rec.league_branch))
    form = RecommendationVoteForm(request.POST or None, recommendation=rec)
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.recommendation_vote(recommendation=rec, vote=form.cleaned_data["vote"], by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("推优 of %(name)s: %(status)s.") % {"name": rec.person.name, "status": rec.get_status_display()},
            )
            return redirect(rec.person)
    return render(request, "members/recommendation_step.html", {"rec": rec, "form": form, "vote_step": True})


def recommendation_decide(request, pk):
    rec = _recommendation_for(request, pk)
    committees = editable_organizations(request.user).filter(
        kind=OrgKind.LEAGUE_COMMITTEE, path__startswith=rec.league_branch.path[:6]
    )
    require(committees.exists())
    form = RecommendationDecisionForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            rec = services.recommendation_decide(
                recommendation=rec,
                on=c["date"],
                committee=c["committee"],
                approved=c["approved"],
                notes=c["notes"],
                by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("推优 of %(name)s: %(status)s.") % {"name": rec.person.name, "status": rec.get_status_display()},
            )
            return redirect(rec.person)
    return render(request, "members/recommendation_step.html", {"rec": rec, "form": form})


# --- Yearly appraisals, League ----------------------------------------------------------------------


def _sheet(request, *, kinds, people_of, save, template, default_rating):
    user = request.user
    require(access(user).has_any_access)
    year = _year(request)
    orgs = viewable_organizations(user).filter(is_active=True, kind__in=kinds)
    org = None
    if (org_id := parse_pk(request.GET.get("org"))) is not None:
        org = get_object_or_404(orgs, pk=org_id)
    people, ratings, editable = [], {}, False
    if org is not None:
        people, ratings = people_of(org, year)
        editable = can_edit(user, org)
        if request.method == "POST":
            require(editable)
            sent = {p.pk: request.POST.get(f"rating-{p.pk}", "") for p in people}
            created, updated = save(organization=org, year=year, people=people, ratings=sent, by=user)
            messages.success(request, _("Saved: %(c)s new, %(u)s changed.") % {"c": created, "u": updated})
            return redirect(f"{request.path}?org={org.pk}&year={year}")
    rows = [{"person": p, "rating": ratings.get(p.pk, "")} for p in people]
    return render(
        request,
        template,
        {
            "orgs": orgs,
            "org": org,
            "year": year,
            "rows": rows,
            "editable": editable,
            "choices": AppraisalRating.choices,
            "default_rating": default_rating,
        },
    )


def appraisal_sheet(request):
    return _sheet(
        request,
        kinds=[OrgKind.PARTY_BRANCH, OrgKind.PARTY_GENERAL_BRANCH, OrgKind.PARTY_GROUP],
        people_of=selectors.appraisal_sheet_people,
        save=services.party_appraisal_save,
        template="members/appraisal_sheet.html",
        default_rating="qualified",
    )


def league_sheet(request):
    return _sheet(
        request,
        kinds=list(LEAGUE_KINDS),
        people_of=selectors.league_sheet_people,
        save=services.league_registration_save,
        template="members/league_sheet.html",
        default_rating="qualified",
    )


def league_turning(request):
    require(access(request.user).has_any_access)
    year = _year(request)
    people = list(selectors.league_turning(request.user, year))
    return render(request, "members/league_turning.html", {"people": people, "year": year})


# --- Roster import ----------------------------------------------------------------------------------


def roster_template(request):
    require(access(request.user).can_edit_anything)
    response = HttpResponse(
        roster.template_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
    return response


def roster_upload(request):
    require(access(request.user).can_edit_anything)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        batch = roster.roster_import_create(user=request.user, filename=f.name, content=f.read())
        return redirect("members:import_preview", pk=batch.pk)
    return render(request, "members/roster_upload.html", {"form": form, "limits": roster.LIMITS})


def roster_preview(request, pk):
    batch = get_object_or_404(RosterImport, pk=pk, user=request.user)
    preview = roster.preview_for(batch, request.user)
    if request.method == "POST" and batch.applied_at is None:
        try:
            created, updated = roster.roster_import_apply(batch=batch, preview=preview, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Import done: %(c)s added, %(u)s updated.") % {"c": created, "u": updated})
            return redirect("members:list")
    return render(request, "members/roster_preview.html", {"batch": batch, "preview": preview})
