"""The pages: list (search, filters, sort, pagination, export, query budget), detail, create/edit, the
step forms (happy path and a refusal shown on the form), the board, the Due page, 推优, the appraisal
sheets, League pages."""

from datetime import date
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from meetings.models import VoteKind
from members import services
from members.models import (
    Category,
    ExportLog,
    LeagueRegistration,
    Membership,
    PartyAppraisal,
    Person,
    PoliticalStatus,
    RecommendationStatus,
    StatusEvent,
)

from . import factories as f

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [p.name for p in response.context["page_obj"]]


# --- list ---------------------------------------------------------------------------------------------


@pytest.fixture
def roster(orgs):
    return [
        f.person(orgs.group1, name="张伟", id_number=f.id_number(date(1985, 5, 20), 1)),
        f.person(orgs.group1, name="张文", birth=date(1990, 1, 1)),
        f.person(orgs.group2, name="王芳", category=Category.STAFF),
        f.student(orgs.class1, name="赵敏"),
        f.student(orgs.class2, name="钱多"),
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("张伟", ["张伟"]),
        ("zhangwei", ["张伟"]),
        ("zhangw", ["张伟", "张文"]),
        ("zw", ["张伟", "张文"]),
        ("高一（2）班", ["钱多"]),
    ],
)
def test_list_search(client_for, admin_user, roster, q, expected):
    assert names(client_for(admin_user).get("/members/", {"q": q})) == expected


def test_list_search_by_id_tail(client_for, admin_user, roster):
    tail = roster[0].id_number[-4:]
    assert names(client_for(admin_user).get("/members/", {"q": tail})) == ["张伟"]


def test_list_filters_and_sort(client_for, admin_user, orgs, roster):
    c = client_for(admin_user)
    assert names(c.get("/members/", {"category": "student"})) == ["钱多", "赵敏"]
    assert names(c.get("/members/", {"status": "league_member"})) == ["钱多", "赵敏"]
    assert names(c.get("/members/", {"organization": orgs.branch1.pk})) == ["张伟", "张文"]
    assert names(c.get("/members/", {"grade": 2026, "sort": "-pinyin"})) == ["赵敏", "钱多"]
    assert names(c.get("/members/", {"sort": "-pinyin"}))[0] == "赵敏"


def test_list_is_scoped_for_a_branch_secretary(client_for, branch_secretary, roster):
    assert names(client_for(branch_secretary).get("/members/")) == ["张伟", "张文"]


def _people(orgs, n):
    for i in range(n):
        f.person(
            orgs.group1 if i % 2 else orgs.class1,
            name=f"测试{i}",
            category=Category.STUDENT if not i % 2 else Category.TEACHER,
        )


@pytest.mark.parametrize("n", [3, 30])
def test_list_query_budget(client_for, admin_user, orgs, n, django_assert_max_num_queries):
    _people(orgs, n)
    c = client_for(admin_user)
    # 10: the page's queries, and one to tell whether the account is a student's (members.access)
    with django_assert_max_num_queries(10):
        assert c.get("/members/", {"q": "ce"}).status_code == 200


def test_list_paginates_and_survives_junk_pages(client_for, admin_user, orgs):
    _people(orgs, 30)
    c = client_for(admin_user)
    assert len(names(c.get("/members/"))) == 25
    assert len(names(c.get("/members/", {"page": "999"}))) == 5
    assert c.get("/members/", {"page": "x", "grade": "abc"}).status_code == 200


def test_export_is_filtered_masked_and_logged(client_for, viewer, party_secretary, roster):
    c = client_for(party_secretary)
    response = c.get("/members/export/", {"category": "teacher"})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["张伟", "张文"]
    assert roster[0].id_number in [r[8] for r in rows]
    log = ExportLog.objects.get()
    assert log.user == party_secretary and log.rows == 2 and "category=teacher" in log.filters
    student_export = load_workbook(BytesIO(c.get("/members/export/", {"category": "student"}).content)).active
    assert all(not r[8] or str(r[8]).endswith("*" * 12) for r in list(student_export.iter_rows(values_only=True))[1:])


# --- detail, create, edit ---------------------------------------------------------------------------


def test_detail_shows_profile_organizations_and_timeline(client_for, admin_user, orgs, mentors):
    p = f.activist(orgs.group1, mentors)
    services.assessment_record(person=p, on=date(2023, 5, 1), contact=mentors[0], rating="good", thought_report=True)
    response = client_for(admin_user).get(p.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Chosen as activist",
        "Party application received",
        "Quarterly assessment: Good",
        "陈明",
        "第一党小组",
    ):
        assert text in page
    assert f"/members/{p.pk}/step/development-target/" in page


def test_detail_query_count_is_fixed(client_for, admin_user, orgs, mentors, django_assert_max_num_queries):
    p = f.activist(orgs.group1, mentors)
    c = client_for(admin_user)
    with django_assert_max_num_queries(25):
        c.get(p.get_absolute_url())


def test_create_person_with_status_from_file(client_for, branch_secretary, orgs):
    idn = f.id_number(date(1988, 7, 9), 5)
    response = client_for(branch_secretary).post(
        "/members/new/",
        {
            "name": "孙丽",
            "ethnicity": "汉族",
            "category": Category.TEACHER,
            "organization": orgs.group1.pk,
            "id_number": idn,
            "arrival-joined_on": "2020-09-01",
            "arrival-start_reason": "transfer_in",
            "arrival-counterpart": "市一中党支部",
            "arrival-status": "full_member",
            "arrival-party_admitted_on": "2010-06-01",
            "arrival-party_full_on": "2011-06-05",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    p = Person.objects.get(name="孙丽")
    assert p.birth_date == date(1988, 7, 9)  # from the ID number
    assert p.political_status == PoliticalStatus.FULL_MEMBER and p.status_since == date(2011, 6, 5)
    assert Membership.objects.get(person=p).counterpart == "市一中党支部"
    assert StatusEvent.objects.filter(person=p, from_file=True).count() == 2


def test_create_refuses_bad_id_number_and_outsider_org(client_for, branch_secretary, orgs):
    c = client_for(branch_secretary)
    data = {
        "name": "孙丽",
        "category": Category.TEACHER,
        "organization": orgs.group1.pk,
        "id_number": "110101198807090001",
        "arrival-joined_on": "2020-09-01",
        "arrival-start_reason": "joined",
        "arrival-status": "masses",
    }
    response = c.post("/members/new/", data)
    assert response.status_code == 200 and "check character" in response.content.decode()
    data.update(organization=orgs.group2.pk, id_number="")
    assert c.post("/members/new/", data).status_code == 200
    assert not Person.objects.filter(name="孙丽").exists()


def test_edit_moves_membership(client_for, admin_user, orgs, teacher):
    c = client_for(admin_user)
    response = c.post(
        f"/members/{teacher.pk}/edit/",
        {
            "name": teacher.name,
            "category": Category.TEACHER,
            "organization": orgs.group2.pk,
            "ethnicity": "汉族",
            "record_version": teacher.version,
        },
    )
    assert response.status_code == 302
    spans = list(Membership.objects.filter(person=teacher).order_by("started_on", "pk"))
    assert [m.organization for m in spans] == [orgs.group1, orgs.group2]
    assert spans[0].ended_on is not None and spans[1].ended_on is None


def test_transfer_out_keeps_history(client_for, admin_user, teacher):
    c = client_for(admin_user)
    response = c.post(
        f"/members/{teacher.pk}/step/transfer-out/",
        {"date": "2026-07-01", "reason": "transfer_out", "counterpart": "县二中"},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert not teacher.is_active
    m = Membership.objects.get(person=teacher)
    assert m.ended_on == date(2026, 7, 1) and m.counterpart == "县二中"
    assert names(c.get("/members/", {"active": "0"})) == [teacher.name]
    assert names(c.get("/members/")) == []


# --- step forms ------------------------------------------------------------------------------------------


def test_step_form_records_and_redirects(client_for, branch_secretary, orgs, teacher):
    response = client_for(branch_secretary).post(
        f"/members/{teacher.pk}/step/application/", {"date": "2026-03-01", "organization": orgs.branch1.pk}
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.political_status == PoliticalStatus.APPLICANT


def test_step_refusal_is_shown_on_the_form_with_the_date(client_for, branch_secretary, orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2025, 6, 1))
    response = client_for(branch_secretary).post(
        f"/members/{p.pk}/step/development-target/",
        {
            "date": "2026-05-31",
            "organization": orgs.branch1.pk,
            "introducers_1": mentors[0].pk,
            "introducers_2": mentors[1].pk,
        },
    )
    assert response.status_code == 200
    assert "2026-06-01" in response.content.decode()
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.ACTIVIST


def test_a_party_step_is_decided_by_the_branch_by_default(client_for, branch_secretary, orgs, mentors):
    """A teacher's Party life is in a Party group, but the branch decides: the form proposes the branch."""
    p = f.activist(orgs.group1, mentors, on=date(2025, 6, 1))
    response = client_for(branch_secretary).get(f"/members/{p.pk}/step/development-target/")
    assert response.context["form"].fields["organization"].initial == orgs.branch1.pk


def test_outsider_cannot_pick_another_branch_as_deciding_org(client_for, branch_secretary, orgs, teacher):
    response = client_for(branch_secretary).post(
        f"/members/{teacher.pk}/step/application/", {"date": "2026-03-01", "organization": orgs.branch2.pk}
    )
    assert response.status_code == 200  # not a choice
    teacher.refresh_from_db()
    assert teacher.political_status == PoliticalStatus.MASSES


def test_admission_form_without_vote_says_so_and_links_to_meetings(client_for, branch_secretary, orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    page = client_for(branch_secretary).get(f"/members/{p.pk}/step/admission/").content.decode()
    assert "No vote about" in page and "/meetings/" in page


def test_admission_form_picks_the_vote(client_for, branch_secretary, orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    v = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    c = client_for(branch_secretary)
    page = c.get(f"/members/{p.pk}/step/admission/").content.decode()
    assert "present 8/10" in page
    assert c.post(f"/members/{p.pk}/step/admission/", {"vote": v.pk}).status_code == 302
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.PROBATIONARY and p.status_since == date(2024, 6, 20)


def test_unknown_step_is_404(client_for, admin_user, teacher):
    assert client_for(admin_user).get(f"/members/{teacher.pk}/step/nonsense/").status_code == 404


def test_document_download_is_access_checked(client_for, branch_secretary, outsider, orgs, teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile(
        "申请书.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf"
    )
    response = client_for(branch_secretary).post(
        f"/members/{teacher.pk}/step/application/",
        {"date": "2026-03-01", "organization": orgs.branch1.pk, "document": pdf},
    )
    assert response.status_code == 302
    event = StatusEvent.objects.get(person=teacher)
    assert client_for(branch_secretary).get(f"/members/documents/{event.pk}/").status_code == 200
    assert client_for(outsider).get(f"/members/documents/{event.pk}/").status_code == 404


# --- board and Due --------------------------------------------------------------------------------------


def _pipeline_people(orgs, mentors, n):
    for i in range(n):
        if i % 3 == 0:
            f.applicant(orgs.group1, name=f"申请{i}")
        elif i % 3 == 1:
            f.activist(orgs.group1, mentors, name=f"积极{i}")
        else:
            f.development_target(orgs.group1, mentors, name=f"发展{i}")


@pytest.mark.parametrize("n", [3, 30])
def test_board_query_budget(client_for, admin_user, orgs, mentors, n, django_assert_max_num_queries):
    _pipeline_people(orgs, mentors, n)
    c = client_for(admin_user)
    with django_assert_max_num_queries(12):
        response = c.get("/members/pipeline/")
    counts = {col.status: col.count for col in response.context["columns"]}
    assert sum(counts.values()) == n
    assert counts["applicant"] == (n + 2) // 3


def test_board_marks_overdue_in_red(client_for, admin_user, orgs):
    f.applicant(orgs.group1, on=date(2023, 1, 10))  # talk never recorded
    page = client_for(admin_user).get("/members/pipeline/").content.decode()
    assert "is-overdue" in page and "Talk with the applicant" in page


def test_board_outsider_sees_empty_columns(client_for, outsider, orgs, mentors):
    _pipeline_people(orgs, mentors, 3)
    response = client_for(outsider).get("/members/pipeline/")
    assert sum(col.count for col in response.context["columns"]) == 0


@pytest.mark.parametrize("n", [3, 30])
def test_due_items_fixed_queries(orgs, admin_user, mentors, n, django_assert_max_num_queries):
    from members.selectors import due_items

    _pipeline_people(orgs, mentors, n)
    admin_user = User.objects.get(pk=admin_user.pk)
    with django_assert_max_num_queries(9):
        items = due_items(admin_user, date(2026, 11, 25))
    assert items


def test_due_items_content(orgs, branch_secretary, outsider, mentors):
    from members.selectors import due_items

    talk = f.applicant(orgs.group1, name="谈话", on=date(2026, 10, 1))
    p = f.development_target(orgs.group1, mentors, name="预备")
    services.admission_record(person=p, vote=f.vote(p, orgs.branch1, on=date(2025, 12, 20)))
    young = f.person(orgs.group1, name="青年", birth=date(1998, 12, 1))
    services.league_join(person=young, on=date(2013, 5, 4), organization=orgs.class1)
    items = due_items(branch_secretary, date(2026, 11, 25))
    titles = " | ".join(i.title for i in items)
    assert "谈话: Talk with the applicant" in titles
    assert "预备: Conversion to full member" in titles  # probation ends 2026-12-20: within 60 days
    assert "青年 turns 28 on 1998" not in titles and "青年 turns 28" in titles
    assert any(i.overdue and "谈话" in i.title for i in items)
    assert due_items(outsider, date(2026, 11, 25)) == []
    assert talk.pk


def test_due_page(client_for, branch_secretary, outsider, orgs):
    f.applicant(orgs.group1, name="谈话", on=date(2026, 10, 1))
    assert "谈话" in client_for(branch_secretary).get("/members/due/").content.decode()
    assert "谈话" not in client_for(outsider).get("/members/due/").content.decode()


def test_due_page_pages_through_a_long_list(client_for, branch_secretary, orgs):
    """A big branch's Due list comes 50 items a page, overdue first, and the second page holds the rest."""
    for i in range(53):
        f.applicant(orgs.group1, name=f"申请人{i:02d}", on=date(2026, 10, 1))
    client = client_for(branch_secretary)
    first = client.get("/members/due/")
    assert len(first.context["page_obj"]) == 50 and first.context["page_obj"].paginator.count == 53
    second = client.get("/members/due/", {"page": 2})
    titles = [i.title for i in first.context["page_obj"]] + [i.title for i in second.context["page_obj"]]
    assert len(titles) == 53 == len(set(titles))
    assert "?page=2" in first.content.decode()


# --- 推优 -------------------------------------------------------------------------------------------------


def test_recommendation_pages_vote_and_decision(client_for, league_secretary, class_secretary, outsider, orgs):
    s = f.student(orgs.class1, name="推优生", birth=date(2006, 1, 1), league_joined=date(2021, 5, 4))
    services.application_record(person=s, on=date(2025, 1, 10), organization=orgs.branch1)
    rec = services.recommendation_nominate(person=s, on=date(2025, 9, 1), league_branch=orgs.class1)
    v = f.vote(s, orgs.class1, kind=VoteKind.RECOMMENDATION, on=date(2025, 9, 8))
    c = client_for(class_secretary)
    assert c.post(f"/members/recommendations/{rec.pk}/vote/", {"vote": v.pk}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.VOTED
    assert c.get(f"/members/recommendations/{rec.pk}/decide/").status_code == 403  # the committee decides
    c = client_for(league_secretary)
    response = c.post(
        f"/members/recommendations/{rec.pk}/decide/",
        {"date": "2025-09-15", "committee": orgs.league.pk, "approved": "1"},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.APPROVED
    page = c.get("/members/recommendations/", {"year": 2025}).content.decode()
    assert "推优生" in page
    assert c.post("/members/recommendations/target/?year=2025", {"target": 30}).status_code == 302
    assert c.get("/members/recommendations/", {"year": 2025}).context["progress"]["target"] == 30
    response = c.post("/members/recommendations/target/?year=2025", {"target": "-1"}, follow=True)
    assert "The target was not saved" in response.content.decode()
    assert response.context["progress"]["target"] == 30
    assert client_for(outsider).get(f"/members/recommendations/{rec.pk}/vote/").status_code == 404
    assert client_for(outsider).post("/members/recommendations/target/?year=2025", {"target": 1}).status_code == 403


# --- appraisal sheets ------------------------------------------------------------------------------------


def test_party_appraisal_sheet_rates_everyone_at_once(client_for, branch_secretary, outsider, orgs, mentors):
    c = client_for(branch_secretary)
    url = f"/members/appraisal/?org={orgs.branch1.pk}&year=2025"
    page = c.get(url).content.decode()
    assert "陈明" in page and "rating_sheet.js" in page and "data-count" in page
    response = c.post(url, {f"rating-{mentors[0].pk}": "excellent", f"rating-{mentors[1].pk}": "qualified"})
    assert response.status_code == 302
    assert dict(PartyAppraisal.objects.values_list("person__name", "rating")) == {
        "陈明": "excellent",
        "刘强": "qualified",
    }
    c.post(url, {f"rating-{mentors[0].pk}": "basic"})
    assert PartyAppraisal.objects.get(person=mentors[0]).rating == "basic"
    assert client_for(outsider).get(url).status_code == 404


def test_party_appraisal_viewer_cannot_save(client_for, viewer, orgs, mentors):
    url = f"/members/appraisal/?org={orgs.branch1.pk}&year=2025"
    c = client_for(viewer)
    assert c.get(url).status_code == 200
    assert c.post(url, {f"rating-{mentors[0].pk}": "excellent"}).status_code == 403
    assert not PartyAppraisal.objects.exists()


def test_league_sheet_registers_basic_or_better(client_for, class_secretary, other_class_secretary, orgs):
    a = f.student(orgs.class1, name="甲")
    b = f.student(orgs.class1, name="乙")
    url = f"/members/league/appraisal/?org={orgs.class1.pk}&year=2025"
    c = client_for(class_secretary)
    assert c.post(url, {f"rating-{a.pk}": "basic", f"rating-{b.pk}": "unqualified"}).status_code == 302
    assert LeagueRegistration.objects.get(person=a).registered
    assert not LeagueRegistration.objects.get(person=b).registered
    assert client_for(other_class_secretary).get(url).status_code == 404


# --- League ---------------------------------------------------------------------------------------------


def test_turning_28_page_and_post_holders(client_for, league_secretary, orgs):
    from branches.models import Officer, Post

    a = f.person(orgs.group1, name="青年甲", birth=date(1998, 3, 1))
    b = f.person(orgs.group1, name="青年乙", birth=date(1998, 9, 1))
    for p in (a, b):
        services.league_join(person=p, on=date(2013, 5, 4), organization=orgs.league)
    Officer.objects.create(organization=orgs.league, person=b, post=Post.YOUTH, started_on=date(2024, 1, 1))
    response = client_for(league_secretary).get("/members/league/turning-28/", {"year": 2026})
    people = {p.name: p.holds_league_post for p in response.context["people"]}
    assert people == {"青年甲": False, "青年乙": True}
    with pytest.raises(ValidationError) as exc:
        services.league_leave(person=b, on=date(2026, 9, 1), organization=orgs.league)
    assert "League post" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.league_leave(person=a, on=date(2026, 2, 28), organization=orgs.league)
    services.league_leave(person=a, on=date(2026, 3, 1), organization=orgs.league)
    a.refresh_from_db()
    assert a.league_left_on == date(2026, 3, 1) and a.political_status == PoliticalStatus.MASSES
