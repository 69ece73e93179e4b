"""The layout rules of docs/ARCHITECTURE.md, checked on the source itself."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "review", "search_index")
STORAGE_MODULES = {"review/storage/__init__.py", "review/storage/base.py", "review/storage/sqlite.py",
                   "review/storage/postgres.py"}
MAX_LINES = 400

# SQL and driver calls that only SQLite understands: they belong behind the store.
SQLITE_ONLY = {
    "INSERT OR IGNORE/REPLACE": re.compile(r"INSERT\s+OR\s+(IGNORE|REPLACE)", re.I),
    "planner hint (+column)": re.compile(r"(\b(AND|OR|WHERE|ON|BY)\s+|[(,]\s*)\+\s*[a-z_]+\.[a-z_]+\b", re.I),
    "PRAGMA": re.compile(r"\bPRAGMA\b"),
    "BEGIN IMMEDIATE": re.compile(r"BEGIN\s+IMMEDIATE", re.I),
    "FTS5 MATCH": re.compile(r"\bMATCH\s+\?"),
    "COLLATE NOCASE": re.compile(r"COLLATE\s+NOCASE", re.I),
    ".lastrowid": re.compile(r"\.lastrowid\b"),
    ".conn": re.compile(r"\.conn\b"),
    "ANALYZE": re.compile(r"[\"']ANALYZE\b"),
}


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def module_name(relative: str) -> str:
    name = relative.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


@pytest.mark.parametrize("relative,path", list(modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_module_is_short(relative, path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{relative} has {lines} lines; split it by concern"


def test_only_the_storage_module_imports_the_driver():
    offenders = [relative for relative, path in modules() if relative not in STORAGE_MODULES
                 and {m.split(".")[0] for m in imported_modules(path)} & {"sqlite3", "sqlite_utils", "psycopg", "psycopg_pool"}]
    assert offenders == []


def test_no_sqlite_only_sql_outside_the_store():
    found = []
    for relative, path in modules():
        if relative in STORAGE_MODULES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for name, pattern in SQLITE_ONLY.items():
                if pattern.search(line):
                    found.append(f"{relative}:{number}: {name}")
    assert found == []


def test_the_lint_catches_sqlite_only_sql():
    """The patterns above really match what they are meant to refuse."""
    samples = {
        "INSERT OR IGNORE/REPLACE": 'db.execute("INSERT OR IGNORE INTO t (a) VALUES (?)")',
        "planner hint (+column)": "WHERE c.assignee_id = ? AND +c.status IN ('new')",
        "PRAGMA": 'db.execute("PRAGMA foreign_keys")',
        "BEGIN IMMEDIATE": 'conn.execute("BEGIN IMMEDIATE")',
        "FTS5 MATCH": "WHERE claims_fts MATCH ?",
        "COLLATE NOCASE": "WHERE source = ? COLLATE NOCASE",
        ".lastrowid": "return cursor.lastrowid",
        ".conn": "db.conn.executemany(sql, rows)",
        "ANALYZE": 'db.execute("ANALYZE")',
    }
    for name, sample in samples.items():
        assert SQLITE_ONLY[name].search(sample), name
    assert not any(p.search('db.execute("INSERT INTO t (a) VALUES (?) ON CONFLICT DO NOTHING")')
                   for p in SQLITE_ONLY.values())


def test_review_never_imports_flask_and_search_index_never_imports_review():
    for relative, path in modules():
        roots = {m.split(".")[0] for m in imported_modules(path)}
        if relative.startswith("review/"):
            assert "flask" not in roots and "app" not in roots, relative
        if relative.startswith("search_index/"):
            assert "review" not in roots and "app" not in roots, relative


def test_no_import_cycles():
    names = {module_name(relative): path for relative, path in modules()}
    graph = {}
    for name, path in names.items():
        targets = set()
        for imported in imported_modules(path):
            # `from review import claims` names the module review.claims; `from review.x import f` names review.x.
            while imported and imported not in names:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets

    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            # A package's __init__ re-exporting its own submodules is not a cycle of the layout.
            if target.startswith(node + "."):
                continue
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []
