"""search_index and review never import each other's insides: the index is given records and a loader."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What a review module may take from search_index: the engine and the types of its interface.
ENGINE_NAMES = {"open_index", "SearchIndex", "Hit", "Results", "Record", "FILTERS"}
ENGINE_MODULES = {"search_index", "search_index.base"}
# The one analyzer definition, which the store's full-text filters and the passage finder read words by.
ANALYZER = "search_index.words"
# The one review module that hands the index its record loader (and the one home of enqueue).
BRIDGE = {"review/indexing.py": {"search_index.outbox"}}


def imports(path: Path) -> list[tuple[str, set[str]]]:
    """Return (module, imported names) for every absolute import in a file, inline ones included.

    ``from package import module`` counts as importing ``package.module``.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            folder = ROOT.joinpath(*node.module.split("."))
            submodules = {a.name for a in node.names if (folder / f"{a.name}.py").exists()}
            found += [(f"{node.module}.{name}", set()) for name in sorted(submodules)]
            if names := {alias.name for alias in node.names} - submodules:
                found.append((node.module, names))
    return found


def sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


@pytest.mark.parametrize("path", sources("search_index"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_search_index_imports_nothing_of_review_or_app(path):
    found = [module for module, _ in imports(path) if in_package(module, "review") or in_package(module, "app")]
    assert found == []


@pytest.mark.parametrize("path", sources("review"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_review_uses_search_index_only_for_engines(path):
    allowed = BRIDGE.get(path.relative_to(ROOT).as_posix(), set())
    for module, names in imports(path):
        if not in_package(module, "search_index") or module in allowed or module == ANALYZER:
            continue
        assert module in ENGINE_MODULES, f"{module} is an inside of search_index"
        assert names <= ENGINE_NAMES, f"{sorted(names - ENGINE_NAMES)} from {module} are not the engine interface"


@pytest.mark.parametrize("path", sources("app", "review", "bench", "tests", "migrations"),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_search_index_imports_whoosh(path):
    assert [module for module, _ in imports(path) if in_package(module, "whoosh")] == []


def test_inline_imports_count_too(tmp_path):
    module = tmp_path / "inline.py"
    module.write_text("def f():\n    from search_index.outbox import drain\n    import whoosh.index\n"
                      "    from search_index import outbox, open_index\n")
    assert imports(module) == [("search_index.outbox", {"drain"}), ("whoosh.index", set()),
                               ("search_index.outbox", set()), ("search_index", {"open_index"})]
