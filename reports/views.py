from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.periods import Period
from branches.permissions import access, can_edit, editable_organizations, get_for_user_or_404
from core.datacache import cached
from core.pagination import paginate

from . import charts, exports
from .document import document_context, figure_linker
from .due import collect
from .figures import breakdown_q, compile_figure, drilldown_queryset, find_breakdown, find_figure
from .forms import ReopenForm, SectionForm, SummaryCreateForm
from .models import SectionKey, Summary, SummaryStatus
from .narrative import editor_html, figure_labels, format_value, has_prompts, section_figure_keys
from .selectors import (
    dashboard_roots,
    live_differences,
    live_figures,
    summaries_for_user,
    summary_figures,
    summary_with_sections,
)
from .services import summary_create, summary_finalize, summary_redraft_section, summary_reopen


def _get_summary(request, pk, *, edit=False) -> Summary:
    return get_for_user_or_404(request.user, Summary.objects.select_related("organization"), edit=edit, pk=pk)


def _require_draft(request, summary):
    if summary.is_finalized:
        messages.error(request, _("This summary is finalized: reopen it to change it."))
        return redirect(summary)
    return None


def index(request):
    if not access(request.user).has_any_access:
        raise PermissionDenied
    editable = editable_organizations(request.user).filter(is_active=True).order_by("path")
    form = SummaryCreateForm(request.POST or None, organizations=editable)
    if request.method == "POST" and form.is_valid():
        summary = summary_create(
            organization=form.cleaned_data["organization"],
            period=form.cleaned_data["period_obj"],
            title=form.cleaned_data["title"],
            by=request.user,
        )
        messages.success(request, _("Summary created with drafted sections: edit each section, then finalize."))
        return redirect(summary)
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    page_obj = paginate(request, summaries_for_user(request.user, status=status, q=q))
    return render(
        request,
        "reports/summary_list.html",
        {"page_obj": page_obj, "form": form, "can_create": editable.exists(), "statuses": SummaryStatus.choices},
    )


def detail(request, pk):
    summary = summary_with_sections(_get_summary(request, pk))
    compiled = summary_figures(summary)
    # Charts take a few hundred ms to draw when the figures change: the page asks for them once shown.
    context = document_context(summary, compiled, with_charts=False)
    context.update(
        charts_url=reverse("reports:summary_charts", args=[summary.pk]),
        can_edit=can_edit(request.user, summary.organization) and not summary.is_finalized,
        can_finalize=can_edit(request.user, summary.organization) and not summary.is_finalized,
        can_reopen=access(request.user).administers(summary.organization) and summary.is_finalized,
        differences=live_differences(summary),
        prompts=[s["title"] for s in context["sections"] if has_prompts(s["obj"].narrative)],
    )
    return render(request, "reports/summary_detail.html", context)


def edit_section(request, pk, key):
    summary = _get_summary(request, pk, edit=True)
    if key not in SectionKey.values:
        raise Http404
    if response := _require_draft(request, summary):
        return response
    section = get_object_or_404(summary.sections, key=key)
    if request.method == "POST" and request.POST.get("redraft"):
        summary_redraft_section(section=section, by=request.user)
        messages.success(request, _("The section was drafted again from the current figures."))
        return redirect("reports:edit_section", pk=summary.pk, key=key)
    figures = live_figures(summary.organization, summary.period)["figures"]
    labels = figure_labels(summary.period)
    labels = {k: labels.get(k, k) for k in figures}
    form = SectionForm(request.POST or None, instance=section, labels=labels)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Section saved."))
        if form.unrecognized:
            messages.warning(
                request,
                _("Not among this summary's figures, so kept as plain text: %(words)s")
                % {"words": "、".join(form.unrecognized)},
            )
        return redirect(f"{summary.get_absolute_url()}#section-{key}")
    context = {"summary": summary, "section": section, "form": form}
    context.update(_figure_choices(section, figures, labels))
    context["editor_html"] = editor_html(
        form["narrative"].value() if form.is_bound else section.narrative, figures, labels
    )
    return render(request, "reports/section_form.html", context)


def _figure_choices(section, figures, labels):
    """The section's own figures first, then the others, each with its name and current value."""
    own = section_figure_keys(section.key, figures, section.narrative)

    def rows(keys):
        return [{"key": k, "label": labels[k], "value": format_value(figures[k])} for k in keys]

    return {"own_figures": rows(own), "other_figures": rows(k for k in figures if k not in own)}


def finalize(request, pk):
    summary = summary_with_sections(_get_summary(request, pk, edit=True))
    if response := _require_draft(request, summary):
        return response
    if request.method == "POST":
        summary_finalize(summary=summary, by=request.user)
        messages.success(request, _("Summary finalized: its figures are now frozen."))
        return redirect(summary)
    prompts = [s.get_key_display() for s in summary.ordered_sections if has_prompts(s.narrative)]
    return render(request, "reports/summary_finalize.html", {"summary": summary, "prompts": prompts})


def reopen(request, pk):
    summary = _get_summary(request, pk)
    if not access(request.user).administers(summary.organization):
        raise PermissionDenied
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary_reopen(summary=summary, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Summary reopened as a draft."))
        return redirect(summary)
    return render(request, "reports/summary_reopen.html", {"summary": summary, "form": form})


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _export_context(summary, **kwargs):
    summary = summary_with_sections(summary)
    return document_context(summary, summary_figures(summary), links=False, **kwargs)


def pdf(request, pk):
    """The PDF takes seconds to lay out: it is made once per version of what it shows (core.datacache: editing
    a section or a record its figures read, in its organization's subtree, makes a new one) and language."""
    summary = _get_summary(request, pk)
    content = cached(
        "summary-pdf",
        (summary.pk,),
        lambda: exports.pdf_bytes(_export_context(summary)),
        scope=(summary.organization.path,),
    )
    return _download(content, f"{summary.title}.pdf", "application/pdf")


def docx(request, pk):
    summary = _get_summary(request, pk)
    content = cached(
        "summary-docx",
        (summary.pk,),
        lambda: exports.docx_bytes(_export_context(summary, with_charts=False)),
        scope=(summary.organization.path,),
    )
    return _download(
        content, f"{summary.title}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def xlsx(request, pk):
    summary = _get_summary(request, pk)
    return _download(exports.xlsx_bytes(summary, summary_figures(summary)), f"{summary.title}.xlsx", exports.XLSX)


def drilldown(request, key):
    """The records behind one figure: the same queryset that computed it."""
    org_id = request.GET.get("org", "")
    org = get_for_user_or_404(request.user, Organization.objects.all(), org_of=lambda o: o, pk=org_id)
    period = Period.parse(request.GET.get("period"))
    found = find_figure(key, period)
    if found is None:
        raise Http404
    source, fig = found
    narrow = _breakdown_q(request, source)
    qs = drilldown_queryset(source, fig, org, period)
    if narrow is not None:
        qs = qs.filter(narrow)
    page_obj = paginate(request, qs)
    rows = [{"obj": obj, "cells": [c.value(obj) for c in source.columns]} for obj in page_obj]
    value = format_value(
        {"value": compile_figure(source, fig, org, period, narrow), "money": fig.money, "hours": fig.hours}
    )
    frozen = None if narrow is not None else _frozen_value(request, key, org)
    return render(
        request,
        "reports/drilldown.html",
        {
            "org": org,
            "period": period,
            "figure": fig,
            "source": source,
            "value": value,
            "frozen": frozen,
            "columns": [c.label for c in source.columns],
            "rows": rows,
            "page_obj": page_obj,
        },
    )


def _breakdown_q(request, source):
    """One row of a table per series / place / organization: `?by=<breakdown>&val=<id>` (404 if unknown)."""
    by = request.GET.get("by", "")
    if not by:
        return None
    breakdown = find_breakdown(by)
    val = request.GET.get("val", "")
    if breakdown is None or breakdown.source != source.key or not (val.isdigit() or val in ("", "none")):
        raise Http404
    return breakdown_q(breakdown, val)


def _frozen_value(request, key, org):
    pk = request.GET.get("summary", "")
    if not pk.isdigit():
        return None
    summary = Summary.objects.filter(pk=pk, organization=org, status=SummaryStatus.FINALIZED).first()
    if summary is None:
        return None
    fig = summary.snapshot.get("figures", {}).get(key)
    return {"summary": summary, "value": format_value(fig)} if fig else None


def summary_charts(request, pk):
    """htmx: the charts appendix of a summary (from its frozen snapshot once finalized)."""
    summary = _get_summary(request, pk)
    return render(
        request, "reports/_charts.html", {"charts": charts.all_charts(summary_figures(summary)), "layout": "document"}
    )


def dashboard_charts(request):
    """htmx: the charts of one dashboard block (an organization the user may view, a period)."""
    org = get_for_user_or_404(
        request.user, Organization.objects.all(), org_of=lambda o: o, pk=request.GET.get("org", "")
    )
    period = Period.parse(request.GET.get("period"))
    return render(
        request, "reports/_charts.html", {"charts": charts.all_charts(live_figures(org, period)), "layout": "grid"}
    )


def due(request):
    items = collect(request.user)
    return render(request, "reports/due.html", {"page_obj": paginate(request, items, per_page=50)})


def dashboard(request):
    if not access(request.user).has_any_access:
        # No group and no officer post: nothing to show but how to get a role (every other page is 403).
        # A role without a school: the database holds several schools and the account belongs to none yet.
        return render(request, "reports/dashboard_norole.html", {"unlinked": bool(access(request.user).roles)})
    today = timezone.localdate()
    period = Period.parse(request.GET.get("period"), today=today)
    blocks = []
    for org in dashboard_roots(request.user)[:5]:
        compiled = live_figures(org, period)
        link = figure_linker(org, period)
        charts_url = f"{reverse('reports:dashboard_charts')}?{urlencode({'org': org.pk, 'period': period.key})}"
        blocks.append({"org": org, "tiles": _tiles(compiled["figures"], link, period), "charts_url": charts_url})
    items = collect(request.user, today)
    return render(
        request,
        "reports/dashboard.html",
        {"period": period, "blocks": blocks, "due_items": items[:10], "due_count": len(items)},
    )


DASHBOARD_TILES = [
    ("meetings.party", "bi-people"),
    ("meetings.kind.party_class", "bi-book"),
    ("meetings.person_times", "bi-person-check"),
    ("meetings.league", "bi-flag"),
    ("votes.recommendation.passed", "bi-award"),
    ("people.activist", "bi-person-up"),
    ("people.development_target", "bi-bullseye"),
    ("people.full_member", "bi-star"),
]


def _tiles(figures, link, period):
    labels = figure_labels(period)
    return [
        {
            "key": k,
            "icon": icon,
            "label": labels.get(k, k),
            "value": format_value(figures[k]),
            "url": link(k),
            "previous": None if figures[k]["stock"] else format_value(figures[k], "previous"),
        }
        for k, icon in DASHBOARD_TILES
        if k in figures
    ]
