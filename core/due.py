"""An item of the "Due" list (what needs doing soon). Apps return them from their `due_items(user, today)`;
reports.due collects them for the Due page and the dashboard."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DueItem:
    category: str  # short translated label, e.g. "Quarterly assessment"
    title: str  # what is due, e.g. "张伟: assessment for Q4 2026"
    due_on: date | None
    url: str = ""
    organization: str = ""
    severity: str = "info"  # "info", "warning" (due soon), "danger" (overdue)

    @property
    def overdue(self) -> bool:
        return self.severity == "danger"
