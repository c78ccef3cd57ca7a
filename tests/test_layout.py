"""Architecture rules: SpiffWorkflow only in engine/spiff, SQL only in engine/store."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "api", "workers")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _sources():
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            yield path, path.relative_to(ROOT).as_posix()


def test_only_engine_spiff_imports_spiffworkflow():
    offenders = [rel for path, rel in _sources()
                 if not rel.startswith("engine/spiff/") and any(n.startswith("SpiffWorkflow") for n in _imports(path))]
    assert offenders == []


def test_sql_lives_in_the_store_layer():
    """Outside engine/store only the Connection type may come from SQLAlchemy."""
    offenders = []
    for path, rel in _sources():
        if rel.startswith("engine/store/"):
            continue
        bad = [n for n in _imports(path) if n.startswith("sqlalchemy") and n != "sqlalchemy.Connection"]
        if bad:
            offenders.append((rel, bad))
    assert offenders == []


def test_the_rules_catch_a_violation(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from SpiffWorkflow.task import TaskState\nfrom sqlalchemy import select\n")
    assert {"SpiffWorkflow.task.TaskState", "sqlalchemy.select"} <= _imports(bad)


def test_modules_stay_small():
    big = [(rel, n) for path, rel in _sources() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400]
    assert big == []
