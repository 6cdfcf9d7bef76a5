"""The calendar feed writes meeting texts as RFC 5545 TEXT values: a bare CR in a topic used to end the
content line in subscribers' calendar clients and inject properties (even whole events) into their feeds.

The checks parse the feed with a reader of their own, written from the RFC: unfold (CRLF followed by a space),
split content lines on CRLF, unescape TEXT (\\\\ \\; \\, \\n \\N)."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import ical
from meetings.models import CalendarToken
from tests.factories import MeetingFactory

LINE_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029]")


def expected_text(text: str) -> str:
    """What a TEXT value must carry: line breaks as LF, control characters but tab dropped."""
    text = LINE_BREAKS.sub("\n", text)
    return "".join(ch for ch in text if ch in "\t\n" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F))


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars)
            out.append({"n": "\n", "N": "\n"}.get(nxt, nxt))
            assert nxt in "\\;,nN", f"unknown escape \\{nxt}"
        else:
            assert ch not in ";,", f"unescaped {ch!r} in a TEXT value"
            out.append(ch)
    return "".join(out)


def physical_lines(document: str) -> list[str]:
    assert document.endswith("\r\n")
    return document[:-2].split("\r\n")


def content_lines(document: str) -> list[str]:
    return document[:-2].replace("\r\n ", "").split("\r\n")


def meeting(**texts):
    starts = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    values = {"topic": "主题", "place": "会议室", "agenda": "", "kind": "支部委员会", "org": "第一党支部"} | texts
    return SimpleNamespace(
        pk=7,
        starts_at=starts,
        ends_at=None,
        topic=values["topic"],
        place=values["place"],
        agenda=values["agenda"],
        organization=values["org"],
        version=1,
        get_kind_display=lambda: values["kind"],
    )


def feed_of(m, name="日历") -> str:
    return ical.calendar([m], name=name, domain="example.cn", url_for=lambda _m: "https://example.cn/meetings/7/")


def properties(document: str) -> dict[str, str]:
    lines = content_lines(document)
    event = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("END:VEVENT")]
    return dict(line.split(":", 1) for line in event)


def test_a_bare_cr_in_a_topic_cannot_inject_a_line():
    m = meeting(topic="支委会\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:假会议", place="A\r\nATTENDEE:mailto:x@example.cn")
    document = feed_of(m)
    lines = content_lines(document)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert not any(line.startswith(("SUMMARY:假会议", "ATTENDEE")) for line in lines)
    assert all("\r" not in line and "\n" not in line for line in physical_lines(document))
    props = properties(document)
    assert unescape(props["SUMMARY"]) == "支部委员会：支委会\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:假会议"
    assert unescape(props["LOCATION"]) == "A\nATTENDEE:mailto:x@example.cn"


def test_other_control_characters_are_dropped_and_tabs_kept():
    document = feed_of(meeting(topic="支委会\x00\x0b\x1b[2J\x7f\x85\t第二次"))
    assert unescape(properties(document)["SUMMARY"]) == "支部委员会：支委会[2J\t第二次"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_round_trips_through_escape_and_unescape(text):
    escaped = ical._escape(text)
    assert "\r" not in escaped and "\n" not in escaped
    assert unescape(escaped) == expected_text(text)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_folding_keeps_lines_within_75_octets_without_splitting_a_character(text):
    line = "SUMMARY:" + ical._escape(text)
    folded = ical._fold(line)
    for i, part in enumerate(folded.encode("utf-8").split(b"\r\n")):
        assert b"\r" not in part and b"\n" not in part
        assert len(part) <= 75
        part.decode("utf-8")  # strict: no UTF-8 sequence was cut at a fold
        if i:
            assert part.startswith(b" ") and len(part) > 1
    assert folded.replace("\r\n ", "") == line


@settings(max_examples=100, deadline=None)
@given(topic=st.text(), place=st.text(), agenda=st.text(), name=st.text())
def test_a_whole_feed_never_holds_a_raw_line_break_inside_a_content_line(topic, place, agenda, name):
    document = feed_of(meeting(topic=topic, place=place, agenda=agenda), name=name)
    for line in physical_lines(document):
        assert "\r" not in line and "\n" not in line
        assert len(line.encode("utf-8")) <= 75
    lines = content_lines(document)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    props = properties(document)
    assert unescape(props["SUMMARY"]) == expected_text(f"支部委员会：{topic}")
    assert unescape(props["LOCATION"]) == expected_text(place)


@pytest.mark.django_db
def test_the_served_feed_escapes_a_cr_typed_into_a_topic(client_for, branch_secretary, orgs):
    MeetingFactory(
        organization=orgs.branch1,
        kind="branch_committee",
        topic="支委会\rBEGIN:VALARM",
        starts_at=timezone.now() + timedelta(days=2),
    )
    client_for(branch_secretary).post(reverse("meetings:feed"), {"action": "regenerate"})
    token = CalendarToken.objects.get(user=branch_secretary).token
    body = Client().get(reverse("meetings:ical_feed", args=[token])).content.decode()
    assert "BEGIN:VALARM" not in content_lines(body)
    assert all("\r" not in line for line in physical_lines(body))
