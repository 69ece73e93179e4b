"""Accessibility check in the browser tests: axe-core (from the npm registry, `make assets`) on the page as it is."""

import os

import pytest

from tests.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ")})`);
}"""


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation on the page (run through DevTools, so the CSP stays)."""
    if not AXE.exists():
        message = f"axe-core not installed at {AXE}; run `make assets`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(RUN)
    assert violations == [], "accessibility problems:\n" + "\n".join(violations)
