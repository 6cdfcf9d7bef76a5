"""The pipeline's decisions, as the owner of meetings and votes answers them. A step of the members pipeline is
decided at a meeting, and some steps by a vote taken there (admission, conversion, 推优): which meetings and
votes may decide which step, where each vote is taken (`VOTE_MEETING_KIND`) and whether it carried
(`Vote.passed`) are meetings' rules. members sits below and may not import them, so `meetings.apps` hands
`PROVIDER` down to it (`members.decisions.set_decision_provider`); the step forms, the services and the person
page ask it (docs/architecture.md)."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import PATH_STEP
from members.models import Person

from .models import VOTE_MEETING_KIND, Meeting, MeetingKind, Vote, VoteKind
from .selectors import votes_for_person

# The vote that decides each vote step (`members.decisions.VOTE_STEPS`), and back.
VOTE_KIND_OF_STEP = {
    "admission": VoteKind.ADMISSION,
    "conversion": VoteKind.CONVERSION,
    "recommendation": VoteKind.RECOMMENDATION,
}
STEP_OF_VOTE_KIND = {kind: step for step, kind in VOTE_KIND_OF_STEP.items()}

# The meetings a step recorded without a vote may cite (its form's optional "meeting"): the branch committee
# chooses activists and development targets (an activist may also come from the general meeting); the
# general meeting extends or cancels a probation.
MEETING_KINDS_OF_STEP = {
    "activist": (MeetingKind.BRANCH_COMMITTEE, MeetingKind.BRANCH_GENERAL),
    "development-target": (MeetingKind.BRANCH_COMMITTEE,),
    "extension": (MeetingKind.BRANCH_GENERAL,),
    "cancellation": (MeetingKind.BRANCH_GENERAL,),
}
MEETINGS_OFFERED = 50  # the newest meetings of those types in the person's school


def vote_label(vote: Vote) -> str:
    """A vote as the pipeline offers it: its meeting's date and organization, its numbers and its result."""
    return _(
        "%(date)s %(org)s — present %(present)s/%(entitled)s, yes %(yes)s, no %(no)s, abstain %(abstain)s (%(result)s)"
    ) % {
        "date": timezone.localtime(vote.meeting.starts_at).date().isoformat(),
        "org": vote.meeting.organization,
        "present": vote.present,
        "entitled": vote.entitled,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "result": _("passed") if vote.passed else _("not passed"),
    }


class MeetingDecisions:
    """`members.decisions.DecisionProvider`, answered from meetings' models and rules."""

    def meeting_field(self, field: forms.ModelChoiceField, *, person: Person, step: str) -> None:
        newest = Meeting.objects.filter(
            kind__in=MEETING_KINDS_OF_STEP[step], organization__path__startswith=person.organization.path[:PATH_STEP]
        ).order_by("-starts_at")
        # The newest are offered; the choice is checked against the same rows (a sliced queryset could not be).
        field.queryset = (
            Meeting.objects.filter(pk__in=newest.values("pk")[:MEETINGS_OFFERED])
            .select_related("organization")
            .order_by("-starts_at")
        )

    def vote_field(self, field: forms.ModelChoiceField, *, person: Person, step: str) -> None:
        field.queryset = votes_for_person(person, VOTE_KIND_OF_STEP[step]).filter(
            status_event__isnull=True, recommendation__isnull=True
        )
        field.label_from_instance = vote_label

    def vote_problem(self, vote: Vote, *, person: Person, step: str) -> str | None:
        kind = VOTE_KIND_OF_STEP[step]
        if vote.kind != kind or vote.subject_id != person.pk:
            return _("This vote is not a %(kind)s vote about %(name)s.") % {"kind": kind.label, "name": person.name}
        taken_at = VOTE_MEETING_KIND[kind]
        if vote.meeting.kind != taken_at:
            return _("The vote must be taken at a %(kinds)s.") % {"kinds": taken_at.label}
        if hasattr(vote, "status_event") or getattr(vote, "recommendation", None) is not None:
            return _("This vote has already been used for a step.")
        return None

    def result_problem(self, vote: Vote) -> str | None:
        """The vote rule (`Vote.quorum`, `Vote.passed`; DESIGN §2), told in numbers: more than half of those
        entitled present, and "yes" from more than half of those entitled."""
        need = vote.majority
        if not vote.quorum:
            return _(
                "The vote did not pass: %(present)s of %(entitled)s entitled members were present; more than half "
                "(at least %(need)s) must be."
            ) % {"present": vote.present, "entitled": vote.entitled, "need": need}
        if not vote.passed:
            return _(
                "The vote did not pass: %(yes)s yes of %(entitled)s entitled members; more than half of those "
                "entitled (at least %(need)s) must vote yes."
            ) % {"yes": vote.yes, "entitled": vote.entitled, "need": need}
        return None

    def vote_step(self, vote: Vote) -> str | None:
        return STEP_OF_VOTE_KIND.get(vote.kind)

    def vote_day(self, vote: Vote) -> date:
        return timezone.localtime(vote.meeting.starts_at).date()


PROVIDER = MeetingDecisions()
