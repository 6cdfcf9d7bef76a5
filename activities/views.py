from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from branches.models import Organization
from branches.periods import calendar_year, presets
from branches.permissions import (
    access,
    can_edit,
    editable_organizations,
    get_for_user_or_404,
    scope,
    viewable_organizations,
)
from core.audit import log_export
from core.exports import Sheet, too_many_rows, xlsx_response
from core.forms import errors_text, parse_pk
from core.pagination import paginate
from members.models import Person

from . import selectors, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    HeadCountForm,
    HonorForm,
    ParticipantImportForm,
    ParticipantPickForm,
    PhotoForm,
    PlaceForm,
    SeriesForm,
)
from .models import Honor, HonorLevel, Photo, Place, PlaceKind, Series

IMPORT_SALT = "activities.participants-import"


def _require_access(user):
    if not access(user).has_any_access:
        raise PermissionDenied


def _org_choices(user):
    return viewable_organizations(user).filter(is_active=True).order_by("path")


# --- activities ---------------------------------------------------------------------------------


def _filtered(request):
    _require_access(request.user)
    form = ActivityFilterForm(
        request.GET or None,
        series=selectors.visible_series(request.user),
        organizations=_org_choices(request.user),
        places=selectors.visible_places(request.user),
    )
    # A filter that does not validate (e.g. an organizer outside the user's view) is dropped; the
    # others still apply.
    form.is_valid()
    return form, getattr(form, "cleaned_data", {})


def activity_list(request):
    form, params = _filtered(request)
    rows, totals = selectors.activity_list(request.user, params=params)
    page = paginate(request, rows)
    return render(
        request,
        "activities/activity_list.html",
        {
            "form": form,
            "page_obj": page,
            "period": params.get("period"),
            "presets": presets(),
            "totals": totals,
            "can_create": access(request.user).can_edit_anything,
        },
    )


def activity_export(request):
    """The filtered list as an Excel workbook (the table the League committee hands in). The export
    follows the list's filters and its period picker; without a period it covers this calendar year
    (the figure reported to the Party), named in the Total row. Rows stream from the database into the
    file with their stored person-times and hours; a set beyond `MAX_EXPORT_ROWS` is
    refused with a message to narrow it."""
    _form, params = _filtered(request)
    period = params.get("period") or calendar_year(timezone.localdate().year)
    activities = selectors.filtered_activities(request.user, params={**params, "period": period})
    n = activities.count()
    refused = too_many_rows(n)
    if refused:
        messages.warning(request, refused)
        return redirect(f"{reverse('activities:list')}?{request.GET.urlencode()}")
    grand = selectors.grand_total(activities)
    headers = [
        _("Date"),
        _("Title"),
        _("Category"),
        _("Series"),
        _("Lead organizer"),
        _("Place"),
        _("Person-times"),
        pgettext("service", "Hours"),
    ]

    def rows():
        qs = activities.select_related("organization", "series", "place")
        for a in qs.iterator(chunk_size=1000):
            yield [
                a.starts_on,
                a.title,
                a.get_category_display(),
                a.series.name if a.series else "",
                a.organization.name,
                a.place.name if a.place else "",
                a.person_times,
                a.total_hours,
            ]
        yield [period.label, _("Total"), "", "", "", "", grand.person_times, grand.hours]

    response = xlsx_response(_("activities.xlsx"), [Sheet(title=_("Activities"), headers=headers, rows=rows())])
    log_export(request, "activities", rows=n)
    return response


def activity_detail(request, pk):
    activity = selectors.activity_for_user(request.user, pk)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "can_edit": can_edit(request.user, activity.organization),
            **selectors.activity_detail(activity),
        },
    )


def _activity_form(request, instance=None):
    editable = editable_organizations(request.user).filter(is_active=True).order_by("path")
    if not editable.exists():
        raise PermissionDenied
    return ActivityForm(
        request.POST or None,
        instance=instance,
        editable=editable,
        viewable=_org_choices(request.user),
        initial={} if instance else {"starts_on": timezone.localdate()},
    )


def activity_create(request):
    form = _activity_form(request)
    if request.method == "POST" and form.is_valid():
        activity = form.save()
        messages.success(request, _("Activity “%(title)s” created.") % {"title": activity.title})
        return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form})


def activity_edit(request, pk):
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    form = _activity_form(request, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.activity_update(form=form)
        messages.success(request, _("Changes saved."))
        return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def activity_delete(request, pk):
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    if request.method == "POST":
        activity.delete()
        messages.success(request, _("Activity “%(title)s” deleted.") % {"title": activity.title})
        return redirect("activities:list")
    return render(
        request, "includes/confirm_delete.html", {"object": activity, "cancel_url": activity.get_absolute_url()}
    )


# --- participants -------------------------------------------------------------------------------


def participants_pick(request, pk):
    """Pick whole classes/organizations, untick the exceptions, save; or record a head count."""
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    orgs = _org_choices(request.user)
    data = request.POST if request.method == "POST" else (request.GET if "organizations" in request.GET else None)
    ids = [pk for v in data.getlist("organizations") if (pk := parse_pk(v)) is not None] if data else []
    chosen = orgs.filter(pk__in=ids) if data else []
    members = list(_members_of(activity, chosen))
    form = ParticipantPickForm(
        data, organizations=orgs, candidates=Person.objects.filter(pk__in=[m.pk for m in members])
    )
    if request.method == "POST" and form.is_valid():
        created = services.participants_add_from_organizations(
            activity=activity,
            organizations=form.cleaned_data["organizations"],
            exclude=form.exceptions(members),
            hours=form.cleaned_data["hours"],
            by=request.user,
        )
        messages.success(request, _("%(n)s participants added.") % {"n": len(created)})
        return redirect(activity)
    taken = set(activity.participations.values_list("person_id", flat=True))
    return render(
        request,
        "activities/participants_pick.html",
        {
            "activity": activity,
            "form": form,
            "members": members,
            "taken": taken,
            "head_form": HeadCountForm(organizations=orgs),
        },
    )


def _members_of(activity, orgs):
    if not orgs:
        return Person.objects.none()
    return (
        services.school_people(activity)
        .filter(organization__in=Organization.objects.within(orgs))
        .select_related("organization")
        .order_by("organization__path", "pinyin")
    )


@require_POST
def head_count_add(request, pk):
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    form = HeadCountForm(request.POST, organizations=_org_choices(request.user))
    if form.is_valid():
        services.head_count_set(activity=activity, **form.cleaned_data)
        messages.success(request, _("Head count recorded."))
    else:
        messages.error(request, _("The head count was not recorded: %(errors)s") % {"errors": errors_text(form)})
    return redirect(activity)


@require_POST
def participation_remove(request, pk, item):
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    services.participation_remove(activity=activity, pk=item)
    messages.success(request, _("Participant removed."))
    return redirect(activity)


@require_POST
def head_count_remove(request, pk, item):
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    services.head_count_remove(activity=activity, pk=item)
    messages.success(request, _("Head count removed."))
    return redirect(activity)


def participants_import(request, pk):
    """Upload → preview (every row checked; nothing written) → confirm (only when no row has an error)."""
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    form, result, token = ParticipantImportForm(), None, None
    if request.method == "POST" and "token" in request.POST:
        try:
            payload = signing.loads(request.POST["token"], salt=f"{IMPORT_SALT}:{activity.pk}", max_age=3600)
            created = services.participants_import(
                activity=activity,
                result=services.import_from_payload(activity=activity, payload=payload),
                by=request.user,
            )
        except (signing.BadSignature, ValidationError):
            messages.error(request, _("The import could not be confirmed; upload the file again."))
            return redirect("activities:participants_import", activity.pk)
        messages.success(request, _("%(n)s participants imported.") % {"n": len(created)})
        return redirect(activity)
    if request.method == "POST":
        form = ParticipantImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = services.participants_import_parse(
                activity=activity,
                upload=form.cleaned_data["file"],
                people=scope(request.user, services.school_people(activity)),
            )
            if result.ok:
                token = signing.dumps(services.import_payload(result), salt=f"{IMPORT_SALT}:{activity.pk}")
    return render(
        request,
        "activities/participants_import.html",
        {"activity": activity, "form": form, "result": result, "token": token},
    )


def participants_template(request, pk):
    """An empty workbook with the columns the import reads."""
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    headers = ["姓名", "班级", "身份证号", "时长"]
    example = [["张三", "高一(1)班", "", str(activity.service_hours)]]
    return xlsx_response(_("participants.xlsx"), [Sheet(title=_("Participants"), headers=headers, rows=example)])


# --- photos -------------------------------------------------------------------------------------


def photo_add(request, pk):
    activity = selectors.activity_for_user(request.user, pk, edit=True)
    form = PhotoForm(request.POST or None, request.FILES or None)
    form.instance.activity = activity
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Photo added."))
        return redirect(activity)
    return render(request, "activities/photo_form.html", {"activity": activity, "form": form})


def photo_file(request, pk):
    """Serve a photo only to who may view its activity."""
    photo = Photo.objects.filter(pk=pk).values_list("activity_id", flat=True).first()
    if photo is None:
        raise Http404
    selectors.activity_for_user(request.user, photo)
    obj = Photo.objects.get(pk=pk)
    return _file_response(obj.image, attachment=False)


@require_POST
def photo_delete(request, pk):
    photo = Photo.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    activity = selectors.activity_for_user(request.user, photo.activity_id, edit=True)
    photo.delete()
    messages.success(request, _("Photo deleted."))
    return redirect(activity)


def _file_response(field, *, attachment: bool):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    name = field.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=attachment, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- places -------------------------------------------------------------------------------------


def place_list(request):
    _require_access(request.user)
    qs = selectors.visible_places(request.user).select_related("organization")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    if request.GET.get("kind"):
        qs = qs.filter(kind=request.GET["kind"])
    return render(
        request,
        "activities/place_list.html",
        {
            "page_obj": paginate(request, qs),
            "q": q,
            "kinds": PlaceKind.choices,
            "can_create": access(request.user).can_edit_anything,
        },
    )


def place_detail(request, pk):
    place = selectors.kept_for_user(request.user, Place.objects.all(), pk)
    data = selectors.place_detail(request.user, place)
    return render(
        request,
        "activities/place_detail.html",
        {
            "place": place,
            "years": data["years"],
            "grand": data["grand"],
            "page_obj": paginate(request, data["activities"]),
            "can_edit": can_edit(request.user, place.organization),
        },
    )


def place_form(request, pk=None):
    place = selectors.kept_for_user(request.user, Place.objects.all(), pk, edit=True) if pk else None
    editable = editable_organizations(request.user).filter(is_active=True)
    if not editable.exists():
        raise PermissionDenied
    form = PlaceForm(request.POST or None, instance=place, editable=editable)
    if request.method == "POST" and form.is_valid():
        place = form.save()
        messages.success(request, _("Place “%(name)s” saved.") % {"name": place.name})
        return redirect(place)
    return render(request, "activities/simple_form.html", {"form": form, "object": place, "kind": "place"})


def place_delete(request, pk):
    place = selectors.kept_for_user(request.user, Place.objects.all(), pk, edit=True)
    return _delete(request, place, reverse("activities:place_list"), place.activities.exists())


def _delete(request, obj, success_url, in_use: bool):
    blockers = _("Activities refer to it; change them first.") if in_use else None
    if request.method == "POST" and not blockers:
        try:
            obj.delete()
        except ProtectedError:
            messages.error(request, _("It is still in use and was not deleted."))
            return redirect(obj)
        messages.success(request, _("“%(name)s” deleted.") % {"name": obj})
        return redirect(success_url)
    return render(
        request,
        "includes/confirm_delete.html",
        {"object": obj, "cancel_url": obj.get_absolute_url(), "blockers": blockers},
    )


# --- series -------------------------------------------------------------------------------------


def series_list(request):
    _require_access(request.user)
    years = selectors.series_years(request.user)
    year = request.GET.get("year", "")
    year = parse_pk(year) or (years[0] if years else timezone.localdate().year)
    return render(
        request,
        "activities/series_list.html",
        {
            "year": year,
            "years": years,
            "rows": selectors.series_for_year(request.user, year),
            "can_create": access(request.user).can_edit_anything,
        },
    )


def series_detail(request, pk):
    series = selectors.kept_for_user(request.user, Series.objects.all(), pk)
    activities = selectors.visible_activities(request.user).filter(series=series)
    data = selectors.grouped_totals(activities, "series").get(series.pk, selectors.Totals())
    qs = activities.select_related("organization", "place").order_by("starts_on", "pk")
    return render(
        request,
        "activities/series_detail.html",
        {
            "series": series,
            "totals": data,
            "page_obj": paginate(request, qs),
            "can_edit": can_edit(request.user, series.organization),
        },
    )


def series_form(request, pk=None):
    series = selectors.kept_for_user(request.user, Series.objects.all(), pk, edit=True) if pk else None
    editable = editable_organizations(request.user).filter(is_active=True)
    if not editable.exists():
        raise PermissionDenied
    form = SeriesForm(
        request.POST or None, instance=series, editable=editable, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        series = form.save()
        messages.success(request, _("Series “%(name)s” saved.") % {"name": series.name})
        return redirect(series)
    return render(request, "activities/simple_form.html", {"form": form, "object": series, "kind": "series"})


def series_delete(request, pk):
    series = selectors.kept_for_user(request.user, Series.objects.all(), pk, edit=True)
    return _delete(request, series, reverse("activities:series_list"), series.activities.exists())


# --- honors -------------------------------------------------------------------------------------


def honor_list(request):
    _require_access(request.user)
    qs = selectors.visible_honors(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(awarding_body__icontains=q) | Q(person__name__icontains=q))
    if request.GET.get("level"):
        qs = qs.filter(level=request.GET["level"])
    return render(
        request,
        "activities/honor_list.html",
        {
            "page_obj": paginate(request, qs),
            "q": q,
            "levels": HonorLevel.choices,
            "can_create": access(request.user).can_edit_anything,
        },
    )


def honor_form(request, pk=None):
    honor = get_for_user_or_404(request.user, Honor.objects.all(), edit=True, pk=pk) if pk else None
    editable = editable_organizations(request.user).filter(is_active=True)
    if not editable.exists():
        raise PermissionDenied
    people = Person.objects.active().filter(organization__in=editable).select_related("organization")
    form = HonorForm(request.POST or None, request.FILES or None, instance=honor, editable=editable, people=people)
    if request.method == "POST" and form.is_valid():
        honor = form.save()
        messages.success(request, _("Honor “%(title)s” saved.") % {"title": honor.title})
        return redirect(honor)
    return render(request, "activities/simple_form.html", {"form": form, "object": honor, "kind": "honor"})


def honor_delete(request, pk):
    honor = get_for_user_or_404(request.user, Honor.objects.all(), edit=True, pk=pk)
    return _delete(request, honor, reverse("activities:honor_list"), False)


def honor_certificate(request, pk):
    honor = get_for_user_or_404(request.user, Honor.objects.all(), pk=pk)
    if not honor.certificate:
        raise Http404
    return _file_response(honor.certificate, attachment=True)


def honors_for_org(request, pk):
    org = get_for_user_or_404(request.user, Organization.objects.all(), org_of=lambda o: o, pk=pk)
    honors = selectors.visible_honors(request.user).filter(organization=org, person__isnull=True)
    return render(
        request,
        "activities/honor_timeline.html",
        {"subject": org, "timeline": selectors.honors_timeline(honors), "can_edit": can_edit(request.user, org)},
    )


def honors_for_person(request, pk):
    person = get_for_user_or_404(request.user, Person.objects.select_related("organization"), pk=pk)
    honors = selectors.visible_honors(request.user).filter(person=person)
    return render(
        request,
        "activities/honor_timeline.html",
        {
            "subject": person,
            "timeline": selectors.honors_timeline(honors),
            "can_edit": can_edit(request.user, person.organization),
        },
    )
