"""The secretary's rich text: sanitizing it, and showing `[[figure.key]]` tokens as numbers (links to the
records behind them on screen), with the numbers written as the school writes them."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from html.parser import HTMLParser

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
TOKEN_RE = re.compile(r"\[\[([a-z0-9_.\-]+)\]\]")
PROMPT_OPEN, PROMPT_CLOSE = "【", "】"
# The editor's figure chip as nh3 writes it back (attributes quoted and escaped, one attribute kept).
CHIP_RE = re.compile(r'<span data-figure="([^"]*)">(.*?)</span>', re.S)
# The plain-text editor (no JavaScript): a figure is its name in braces, lists start "- " or "1. ".
PLAIN_FIGURE_RE = re.compile(r"\{([^{}\n]{1,120})\}")
BULLET_RE = re.compile(r"^[-•·]\s+")
NUMBERED_RE = re.compile(r"^\d{1,3}(?:[.)]\s+|、\s*)")


# --- sanitizing ----------------------------------------------------------------------------------------


def sanitize(text: str, known: Collection[str] | None = None) -> str:
    """The secretary's narrative as safe rich text: only p, br, strong, em, ul, ol, li survive. Plain text
    (no tags) becomes paragraphs, one per line. The editor's figure chips (`<span data-figure="key">`) become
    `[[key]]` tokens; with `known`, only those keys do (see `clean_narrative`)."""
    return clean_narrative(text, known)[0]


def clean_narrative(text: str, known: Collection[str] | None = None) -> tuple[str, list[str]]:
    """`sanitize`, also saying which chips were not turned into figures: a chip whose key is not a figure
    (`known`) keeps its shown text as plain words, so the sentence stays whole and nothing forged links."""
    text = (text or "").strip()
    if not text:
        return "", []
    if not re.search(r"<[a-zA-Z/]", text):
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        text = "".join(f"<p>{escape(line)}</p>" for line in paragraphs)
    unrecognized: list[str] = []
    if "data-figure" in text:
        # nh3 first normalizes the markup (scripts and every other attribute gone), so the chip pattern
        # reads only what nh3 wrote; the second pass then strips the spans that are left.
        text = nh3.clean(text, tags=ALLOWED_TAGS | {"span"}, attributes={"span": {"data-figure"}}, link_rel=None)

        def chip(match):
            key, shown = unescape(match.group(1)).strip(), match.group(2)
            if TOKEN_RE.fullmatch(f"[[{key}]]") and (known is None or key in known):
                return f"[[{key}]]"
            words = nh3.clean(shown, tags=set(), attributes={}).strip()
            unrecognized.append(unescape(words) or key)
            return words

        text = CHIP_RE.sub(chip, text)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip(), unrecognized


def editable_text(html: str, labels: Mapping[str, str] | None = None) -> str:
    """The narrative as plain text for the editor without JavaScript: one paragraph or list item a line
    ("- " bulleted, "1. " numbered), **bold**, and each figure as its name in braces ({Party classes}),
    which `plain_narrative` reads back."""
    labels = labels or {}
    parser = _PlainWriter()
    parser.feed(sanitize(html))
    parser.close()
    text = "\n".join(line.strip() for line in parser.lines if line.strip())
    names = _unique_names(labels)
    return TOKEN_RE.sub(lambda m: "{" + names.get(m.group(1), m.group(1)) + "}", text)


def _unique_names(labels: Mapping[str, str]) -> dict[str, str]:
    """Each figure's name where no other figure has it (a few share one, e.g. appraisal grades of the Party
    and of the League): those are written by their key, so the plain text reads back to the same figure."""
    seen: dict[str, int] = {}
    for name in labels.values():
        seen[name] = seen.get(name, 0) + 1
    return {key: name for key, name in labels.items() if seen[name] == 1}


class _PlainWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.lists: list[list] = []  # [tag, items so far]

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "br"):
            self.lines.append("")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}. "
            self.lines.append(marker)
        elif tag == "strong":
            self.lines[-1] += "**"

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "strong":
            self.lines[-1] += "**"
        elif tag in ("p", "li"):
            self.lines.append("")

    def handle_data(self, data):
        self.lines[-1] += " ".join(data.split("\n"))


def plain_narrative(text: str, labels: Mapping[str, str]) -> tuple[str, list[str]]:
    """The plain editor's text as narrative HTML with `[[key]]` tokens, and the braced names that are no
    figure (left as typed). `labels` maps each figure's key to its name; a key in braces works too."""
    by_name = {name: key for key, name in _unique_names(labels).items()} | {key: key for key in labels}
    unrecognized: list[str] = []

    def inline(line: str) -> str:
        out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(line)))

        def figure(match):
            name = unescape(match.group(1)).strip()
            if name in by_name:
                return f"[[{by_name[name]}]]"
            unrecognized.append(name)
            return match.group(0)

        return PLAIN_FIGURE_RE.sub(figure, out)

    blocks: list[str] = []
    open_list = None
    for raw in (text or "").splitlines():
        line = raw.strip()
        kind = "ul" if BULLET_RE.match(line) else "ol" if NUMBERED_RE.match(line) else None
        if kind != open_list and open_list:
            blocks.append(f"</{open_list}>")
        if kind and kind != open_list:
            blocks.append(f"<{kind}>")
        open_list = kind
        if kind:
            line = (BULLET_RE if kind == "ul" else NUMBERED_RE).sub("", line, count=1)
            blocks.append(f"<li>{inline(line)}</li>")
        elif line:
            blocks.append(f"<p>{inline(line)}</p>")
    if open_list:
        blocks.append(f"</{open_list}>")
    return sanitize("".join(blocks)), unrecognized


def editor_html(html: str, figures: Mapping[str, dict], labels: Mapping[str, str]) -> SafeString:
    """The narrative for the rich editor: each `[[key]]` a chip showing the figure's value, its name as the
    tooltip, that the editor's script writes back as `<span data-figure="key">` (and `sanitize` as the
    token)."""

    def chip(match):
        key = match.group(1)
        return format_html(
            '<span class="fig-chip" contenteditable="false" data-figure="{}" title="{}">{}</span>',
            key,
            labels.get(key, key),
            format_value(figures.get(key)),
        )

    return mark_safe(TOKEN_RE.sub(chip, sanitize(html)))  # noqa: S308  (sanitized, then our own markup)


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
