"""What every step of a journey must be (issue 18): the page fits the screen (no
horizontal overflow), logs no console or script error, prints no raw float (a ratio
formatted, not 0.8911745189117452) and has no serious accessibility violation
(axe-core). The `desktop` and `phone` fixtures collect the page's errors."""

import re

from .axe import violations

RAW_FLOAT = re.compile(r"\d\.\d{4,}")


def assert_page_sound(page, where: str = "") -> None:
    """Fails naming `where` (default the page's address) and what is wrong."""
    where = where or page.url
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (where, "wider than the screen by", overflow)
    text = page.locator("body").inner_text()
    assert not RAW_FLOAT.search(text), (where, RAW_FLOAT.findall(text))
    errors = page.console_errors
    assert errors == [], (where, errors)
    found = violations(page)
    assert found == [], (where, found)
