"""The prose and tables of a summary: the secretary's rich text and its figures (text), whose work a summary
tells (scope), the tables every format reads (tables), and the drafted sentences of each section (drafting).
The names other modules use are re-exported here."""

from .drafting import DRAFTERS, draft_section, plans_title, this_period, when
from .scope import LEAGUE, PARTY, Scope, figure_side, scope_of, tidy_chinese
from .tables import TABLES, all_tables, figure_labels, frequency_rules, rule_label, rule_text, section_tables
from .text import (
    ALLOWED_TAGS,
    PROMPT_CLOSE,
    PROMPT_OPEN,
    TOKEN_RE,
    editable_text,
    figure_kind,
    format_number,
    format_value,
    has_prompts,
    narrative_text,
    render_narrative,
    sanitize,
)

__all__ = [
    "ALLOWED_TAGS",
    "DRAFTERS",
    "LEAGUE",
    "PARTY",
    "PROMPT_CLOSE",
    "PROMPT_OPEN",
    "TABLES",
    "TOKEN_RE",
    "Scope",
    "all_tables",
    "draft_section",
    "editable_text",
    "figure_kind",
    "figure_labels",
    "figure_side",
    "format_number",
    "format_value",
    "frequency_rules",
    "has_prompts",
    "narrative_text",
    "plans_title",
    "render_narrative",
    "rule_label",
    "rule_text",
    "sanitize",
    "scope_of",
    "section_tables",
    "this_period",
    "tidy_chinese",
    "when",
]
