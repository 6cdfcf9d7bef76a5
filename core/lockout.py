"""Login lockout (django-axes) in two tiers, both keyed on the client's address (core.clientip):

- an account from one address: AXES_FAILURE_LIMIT failures (5) lock that account *from that address*;
  the same account from any other address is not affected, so nobody can lock a teacher out from outside;
- one address over all accounts: PARTYLEAGUE_ADDRESS_FAILURE_LIMIT failures (30) lock that address, which
  stops one machine trying a few passwords on many accounts. It is higher because a whole school may share
  one address (NAT), and 0 turns it off.

Both last AXES_COOLOFF_TIME after the latest failure. A successful sign-in clears that account's failures
from that address only: one valid account must not wipe out an address's failures on other accounts."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum


class TwoTierLockoutHandler(AxesDatabaseHandler):
    def _recent_from_address(self, request):
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        counts = self._recent_from_address(request).aggregate(
            address=Sum("failures_since_start"),
            account=Sum("failures_since_start", filter=Q(username=username)),
        )
        per_address, per_account = counts["address"] or 0, counts["account"] or 0
        # axes compares one count with one limit (AXES_FAILURE_LIMIT): the address's count is scaled so
        # that it reaches that limit exactly when it reaches the address's own limit.
        limit = get_failure_limit(request, credentials)
        address_limit = settings.PARTYLEAGUE_ADDRESS_FAILURE_LIMIT
        scaled = per_address * limit // address_limit if address_limit > 0 else 0
        return max(per_account, scaled)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(ip_address=request.axes_ip_address, username=username).delete()
        return count
