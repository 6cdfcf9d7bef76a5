from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Votes are ours; members' pipeline steps refer to them but sits below us: we hand it the answers
        # (which meeting or vote may decide a step, whether a vote carried) and the demo pipeline's votes.
        from members.decisions import set_decision_provider
        from members.seed import set_pipeline_votes

        from .decisions import PROVIDER
        from .seed import PipelineVotes

        set_decision_provider(PROVIDER)
        set_pipeline_votes(PipelineVotes)
