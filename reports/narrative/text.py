"""The secretary's rich text: sanitizing it, and showing `[[figure.key]]` tokens as numbers (links to the
records behind them on screen), with the numbers written as the school writes them."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
TOKEN_RE = re.compile(r"\[\[([a-z0-9_.\-]+)\]\]")
PROMPT_OPEN, PROMPT_CLOSE = "【", "】"


# --- sanitizing ----------------------------------------------------------------------------------------


def sanitize(text: str) -> str:
    """The secretary's narrative as safe rich text: only p, br, strong, em, ul, ol, li survive. Plain text
    (no tags) becomes paragraphs, one per line."""
    text = (text or "").strip()
    if not text:
        return ""
    if not re.search(r"<[a-zA-Z/]", text):
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        text = "".join(f"<p>{escape(line)}</p>" for line in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def editable_text(html: str) -> str:
    """The narrative as the secretary edits it: plain lines when it is only paragraphs, otherwise the HTML
    with one block per line."""
    html = html or ""
    if not re.search(r"<(?!/?p>)[a-zA-Z/]", html):
        paragraphs = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
        if paragraphs or not html:
            return "\n".join(unescape(p) for p in paragraphs)
    return re.sub(r"(</(?:p|ul|ol|li)>)", r"\1\n", html).strip()


# --- figures in text -----------------------------------------------------------------------------------


def format_number(value, kind: str = "int") -> str:
    """How a number is written: money with two decimals and thousands separators ("84,506.30"); hours
    without pointless decimals ("1,240", or "12.5"); counts and person-times as integers ("3,512")."""
    if value is None:
        return "—"
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "hours":
        hours = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{hours:,.0f}" if hours == hours.to_integral_value() else f"{hours:,.1f}"
    return f"{int(Decimal(value)):,}"


def figure_kind(fig: dict) -> str:
    return "money" if fig.get("money") else "hours" if fig.get("hours") else "int"


def format_value(fig: dict | None, which: str = "value") -> str:
    if not fig or fig.get(which) is None:
        return "—"
    return format_number(fig[which], figure_kind(fig))


def render_narrative(html: str, figures: dict, link: Callable[[str], str] | None = None) -> SafeString:
    """Sanitized narrative with each `[[key]]` replaced by the figure's value; with `link`, the value
    links to the records behind it."""

    def replace(match):
        key = match.group(1)
        fig = figures.get(key)
        shown = format_value(fig)
        if fig is None or link is None or fig.get("nolink"):
            return format_html('<span class="fig">{}</span>', shown)
        return format_html('<a class="fig" href="{}">{}</a>', link(key), shown)

    return mark_safe(TOKEN_RE.sub(replace, sanitize(html)))  # noqa: S308  (sanitized, then our own markup)


def narrative_text(html: str, figures: dict) -> str:
    """The narrative with tokens replaced, for Word (HTML kept: the Word writer reads the few tags)."""
    return TOKEN_RE.sub(lambda m: format_value(figures.get(m.group(1))), sanitize(html))


def has_prompts(html: str) -> bool:
    return PROMPT_OPEN in (html or "")
