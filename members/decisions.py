"""Which meeting or vote decided a pipeline step. Meetings and votes are the meetings app's (`meetings.Vote`
holds the numbers and the vote rule); the pipeline only refers to them, through the foreign keys of its own
models (`StatusEvent.meeting`, `StatusEvent.vote`, `Recommendation.vote`). meetings sits above members, so it
hands its answers down: it sets a `DecisionProvider` when it is ready (`meetings.apps` calls
`set_decision_provider` with `meetings.decisions.PROVIDER`), and the step forms, the services and the person
page ask that provider instead of importing meetings."""

from datetime import date
from typing import Protocol

from django import forms
from django.core.exceptions import ImproperlyConfigured

# The steps a vote decides (step slugs of `members.forms.STEPS`, and the 推优 vote of the League members'
# meeting). The step's date, meeting and deciding organization are the vote's.
VOTE_STEPS = ("admission", "conversion", "recommendation")


class DecisionProvider(Protocol):
    """What the app that owns meetings and votes tells the pipeline. `step` is a step slug."""

    def meeting_field(self, field: forms.ModelChoiceField, *, person, step: str) -> None:
        """Set up a step form's optional "meeting" field: the meetings that may have decided `step` about
        `person`, and their labels."""

    def vote_field(self, field: forms.ModelChoiceField, *, person, step: str) -> None:
        """Set up a vote step's "vote" field: the votes about `person` that may decide `step` and no step has
        used yet, newest first, each labelled with its numbers and its result."""

    def vote_problem(self, vote, *, person, step: str) -> str | None:
        """Why `vote` is not the vote of `step` about `person` (another kind, person or type of meeting, or
        already used by a step), or None."""

    def result_problem(self, vote) -> str | None:
        """Why `vote` did not pass, in numbers, or None when it carried."""

    def vote_step(self, vote) -> str | None:
        """The step `vote` decides (one of `VOTE_STEPS`), or None for a vote that decides no step."""

    def vote_day(self, vote) -> date:
        """The day of the vote (its meeting's local date): the date of the step it decides."""


_provider: DecisionProvider | None = None


def set_decision_provider(provider: DecisionProvider) -> None:
    """Called once by the app that owns meetings and votes, from its `AppConfig.ready`."""
    global _provider
    _provider = provider


def decision_provider() -> DecisionProvider:
    if _provider is None:
        raise ImproperlyConfigured("No app set the pipeline's decision provider (members.decisions).")
    return _provider
