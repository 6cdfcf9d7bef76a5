"""A minimal iCalendar (RFC 5545) writer for the meetings feed: no dependency needed for VEVENTs."""

import re
from datetime import UTC, timedelta

from django.utils import timezone

# RFC 5545 §3.3.11: a TEXT value may hold any character but the controls (tab is allowed). Every kind of line
# break becomes the escaped \n — a bare CR too, which calendar clients take as the end of a line, so
# unescaped it would let a meeting's topic add properties or events to subscribers' calendars. The other
# control characters are dropped.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
LINE_OCTETS = 75


def clean_text(text) -> str:
    r"""The text a TEXT value carries: line breaks as "\n", other control characters (but tab) removed."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", str(text or "")))


def _escape(text) -> str:
    return clean_text(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _bare(value) -> str:
    """A value that is not TEXT (a URI, a host name): it has no escapes, so a control character is removed."""
    return _ANY_CONTROL.sub("", str(value))


def _fold(line: str) -> str:
    """A content line longer than 75 octets is folded: continuation lines start with a space, which counts
    towards their 75 octets, and no UTF-8 character (a Chinese one is 3 octets) is split."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    parts, current, size = [], [], 0
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > (LINE_OCTETS if not parts else LINE_OCTETS - 1):
            parts.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(meetings, *, name: str, domain: str, url_for) -> str:
    """An iCalendar document with one VEVENT per meeting. `url_for(meeting)` gives its absolute URL."""
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PartyLeague//Meetings//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for m in meetings:
        end = m.ends_at or (m.starts_at + timedelta(hours=1))
        description = "\n".join(s for s in [str(m.organization), m.get_kind_display(), m.agenda, f"{url_for(m)}"] if s)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@{_bare(domain)}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(f'{m.get_kind_display()}：{m.topic}')}",
            f"LOCATION:{_escape(m.place)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{_bare(url_for(m))}",
            f"SEQUENCE:{getattr(m, 'version', 1)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
