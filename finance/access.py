"""Who reads what of the aid fund's books (docs/privacy.md), on top of `branches.permissions`.

- Everyone who may view the fund's organization reads its ledger: dates, amounts, donors, drives, the balance.
- Who received a grant — the recipient's full name, class and hardship reason — is for those who may record
  grants (who may edit the fund's organization: its officers, the administrators), never for a student
  account. Others (the read-only viewer, a secretary who only views) read the recipient as "邓某某" and no
  reason, on the ledger page and in its Excel file alike.
- The public notice (公示) shows only the masked name, the date and the amount, whoever prints it.
"""

from branches.permissions import can_edit
from members.access import is_student_account

from .models import AidFund


def can_see_recipients(user, fund: AidFund) -> bool:
    return can_edit(user, fund.organization) and not is_student_account(user)
