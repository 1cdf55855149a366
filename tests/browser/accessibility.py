"""Automated accessibility checks with axe-core (from npm: ``node_modules/axe-core``), run inside
the page under test. Reusable by any browser test::

    from tests.browser.accessibility import assert_accessible
    assert_accessible(page)            # no serious or critical WCAG 2.1 A/AA violation

The product's CSP allows no inline script, and ``add_script_tag`` injects one: open the pages to
check in a context made with ``bypass_csp=True`` (the check reads the page; it does not test the
CSP).
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def violations(page, impacts=BLOCKING) -> list[dict]:
    """The page's axe-core violations of WCAG 2.1 A/AA with one of ``impacts``."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (axe-core is a devDependency)"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(found: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} nodes: "
                     f"{', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in found)


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, f"{page.url}\n{describe(found)}"
