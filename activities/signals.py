"""Keep each activity's stored person-times and hours (`Activity.person_times`, `total_hours`) equal to
its participations and head counts, whichever way a single row is written: the participant and head-count
views, the admin's inlines, the activity form changing the hours every participant gets. Bulk writes
(`services.participants_add`, the demo seed) recount themselves. Raw saves (loading a backup) carry
their stored totals with them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Activity, HeadCount, Participation
from .services import activities_recount


@receiver(post_save, sender=Participation)
@receiver(post_save, sender=HeadCount)
def _row_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        activities_recount(instance.activity_id)


@receiver(post_delete, sender=Participation)
@receiver(post_delete, sender=HeadCount)
def _row_deleted(sender, instance, origin=None, **kwargs):
    if isinstance(origin, Activity) or getattr(origin, "model", None) is Activity:
        return  # the activity itself is being deleted
    activities_recount(instance.activity_id)


@receiver(post_save, sender=Activity)
def _activity_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        activities_recount(instance.pk)  # its hours may have changed: participants without their own follow
