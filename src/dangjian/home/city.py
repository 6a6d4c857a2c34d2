"""The guidance committee's city overview: the comparison of the hospitals lives with the
assessment (assessment.comparison), which the city bulletin shares; the pages use it from
here."""

from dangjian.assessment.comparison import (  # noqa: F401 (the overview's names)
    BY_KEY,
    COLUMNS,
    Column,
    city_hospitals,
    city_overview,
    compare,
    family_parts,
    format_cell,
)
