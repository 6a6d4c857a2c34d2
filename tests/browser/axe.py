"""axe-core (vendored from npm, tests/browser/vendor/axe-core) run in a page: the
accessibility violations a page has, by impact. The page's context must bypass the
Content-Security-Policy, which would refuse the injected script (users never get it)."""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SERIOUS = ("serious", "critical")


def violations(page, impacts=SERIOUS) -> list[str]:
    """Each violation of `impacts` as "rule: target …" lines (empty when clean)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),"
        " why: (v.nodes[0].any[0] || v.nodes[0].all[0] || v.nodes[0].none[0] || {}).message}))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'])} — {v['why']}"
        for v in result
        if v["impact"] in impacts
    ]
