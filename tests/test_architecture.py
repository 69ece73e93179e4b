"""docs/ARCHITECTURE.md names what exists: every path and every module attribute it cites, every blueprint."""

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def cited_paths() -> list[str]:
    """Return the repository paths the page cites in code spans (``review/urls.py``, ``review/workflow.TRANSITIONS``)."""
    found = []
    for span in re.findall(r"`([^`\n]+)`", DOC):
        for token in re.split(r"[\s,()]+", span):
            token = token.rstrip(".:;")
            if "/" in token and not token.startswith("/") and not re.search(r"[<>*=]|://|\.\.\.", token):
                found.append(token)
    return sorted(set(found))


def resolves(token: str) -> bool:
    """Tell whether a cited path exists, or names an attribute of a module that does (``module/path.name``)."""
    if (ROOT / token).exists():
        return True
    module, _, attribute = token.rpartition(".")
    if not (ROOT / f"{module}.py").is_file():
        return False
    return hasattr(importlib.import_module(module.replace("/", ".")), attribute)


def test_the_page_cites_paths():
    assert len(cited_paths()) > 50  # the check below looks at something


def test_every_path_the_page_cites_exists():
    assert [token for token in cited_paths() if not resolves(token)] == []


def blueprint_modules() -> list[str]:
    """Return the app/views modules that define a blueprint."""
    found = []
    for path in sorted((ROOT / "app" / "views").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Blueprint" for node in ast.walk(tree)):
            found.append(path.stem)
    return found


def test_the_page_names_every_blueprint_module():
    views = DOC[DOC.index("Every blueprint is in"):DOC.index("The workspace is a set of panel")]
    named = set(re.findall(r"\b\w+\b", views))
    modules = blueprint_modules()
    assert len(modules) > 10
    assert [module for module in modules if module not in named] == []
