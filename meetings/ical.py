"""A minimal iCalendar (RFC 5545) writer for the meetings feed: no dependency needed for VEVENTs."""

from datetime import UTC, timedelta

from django.utils import timezone


def _escape(text: str) -> str:
    return (
        str(text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
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
            f"UID:meeting-{m.pk}@{domain}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(f'{m.get_kind_display()}：{m.topic}')}",
            f"LOCATION:{_escape(m.place)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{url_for(m)}",
            f"SEQUENCE:{getattr(m, 'version', 1)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
