"""One summary, ready to show: sections with rendered narrative and tables, charts, and the figures. The
web page, the print view, the PDF and the Word file all read this."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language

from branches.models import Organization
from branches.periods import Period

from . import charts
from .models import SectionKey, Summary
from .narrative import figure_labels, plans_title, render_narrative, scope_of, section_tables


def drilldown_url(key: str, org_id: int, period_key: str, summary_id: int | None = None, **extra) -> str:
    """The records behind a figure; `extra` narrows to one row of a table (`by`, `val`) or another period."""
    params = {"period": period_key, "org": org_id}
    if summary_id:
        params["summary"] = summary_id
    params.update(extra)
    return f"{reverse('reports:drilldown', args=[key])}?{urlencode(params)}"


def figure_linker(org: Organization, period: Period, summary: Summary | None = None) -> Callable[..., str]:
    return lambda key, **extra: drilldown_url(key, org.pk, period.key, summary.pk if summary else None, **extra)


def document_context(summary: Summary, compiled: dict, *, links: bool = True, with_charts: bool = True) -> dict:
    period = summary.period
    figures = compiled.get("figures", {})
    labels = figure_labels(period)
    link = figure_linker(summary.organization, period, summary) if links else None
    scope = scope_of(summary.organization)
    sections = []
    for number, section in enumerate(summary.ordered_sections, start=1):
        tables = section_tables(section.key, compiled, labels, link, scope=scope)
        sections.append(
            {
                "obj": section,
                # The plans are for the period after this one: 下一年度 / 下一学年 / 下学期.
                "title": plans_title(period) if section.key == SectionKey.PLANS else section.get_key_display(),
                "number": section_number(number) if section.key != SectionKey.INTRODUCTION else "",
                "html": render_narrative(section.narrative, figures, link),
                "tables": tables,
            }
        )
    return {
        "summary": summary,
        "school": summary.organization.school() if summary.organization.depth else summary.organization,
        "compiled": compiled,
        "sections": sections,
        "charts": charts.all_charts(compiled) if with_charts else [],
        "scope": scope,
        "signed_on": date_in_full(signed_on(summary)),
    }


def signed_on(summary: Summary):
    """The date under the 落款: the day the summary was finalized, or (a draft) the period's last day."""
    if summary.finalized_at:
        from django.utils import timezone

        return timezone.localtime(summary.finalized_at).date()
    return summary.period_end


def date_in_full(day) -> str:
    """The date as a 公文 writes it: 2026年12月31日 (English: 31 December 2026)."""
    if (get_language() or "").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def section_number(n: int) -> str:
    """Chinese documents number their parts 一、二、三; English ones 1. 2. 3. (the introduction is not numbered)."""
    n -= 1
    if (get_language() or "").startswith("zh"):
        return ("一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)) + "、"
    return f"{n}. "
