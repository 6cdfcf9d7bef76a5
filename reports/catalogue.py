"""Every figure the annual summary compiles, listed explicitly: each domain app declares its own sources,
tables and extras in its `figures.py` (the app that owns a record owns what its figures mean); this list is
all `reports` adds. The order is the order of the compiled figures."""

import activities.figures
import branches.figures
import finance.figures
import meetings.figures
import members.figures

SOURCES = [
    *branches.figures.SOURCES,
    *meetings.figures.SOURCES,
    *members.figures.SOURCES,
    *activities.figures.SOURCES,
    *finance.figures.SOURCES,
]
BREAKDOWNS = [
    *branches.figures.BREAKDOWNS,
    *meetings.figures.BREAKDOWNS,
    *members.figures.BREAKDOWNS,
    *activities.figures.BREAKDOWNS,
    *finance.figures.BREAKDOWNS,
]
EXTRAS = [
    *branches.figures.EXTRAS,
    *meetings.figures.EXTRAS,
    *members.figures.EXTRAS,
    *activities.figures.EXTRAS,
    *finance.figures.EXTRAS,
]
