"""Architecture rules: SpiffWorkflow only in engine/spiff, SQL only in engine/store, the import contracts of
pyproject.toml kept (import-linter); in the test tree, helpers in tests/helpers and fixtures in conftest only."""

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "api", "workers", "cli")


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


def _past_the_face(imported: set[str], engine_root: Path) -> list[str]:
    """Imports of a module inside an engine package other than ``engine.core`` (``engine.cases.service``,
    ``from engine.cases import service``): outside the engine only the packages' faces may be used."""
    bad = []
    for name in imported:
        parts = name.split(".")
        if parts[0] != "engine" or len(parts) < 3 or parts[1] == "core" or parts[2] in _face(engine_root / parts[1]):
            continue
        inner = engine_root / parts[1] / parts[2]
        if inner.with_suffix(".py").is_file() or inner.is_dir():
            bad.append(name)
    return sorted(bad)


def _face(package: Path) -> set[str]:
    """The names in ``__all__`` of the package's ``__init__.py``."""
    init = package / "__init__.py"
    if not init.is_file():
        return set()
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def test_outside_the_engine_only_the_faces_of_its_packages_are_imported():
    offenders = [(rel, bad) for path, rel in _sources() if not rel.startswith("engine/")
                 and (bad := _past_the_face(_imports(path), ROOT / "engine"))]
    assert offenders == []


def test_the_face_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from engine.cases import service\nfrom engine.store.users import add\n"
                   "from engine.cases import register_case\nfrom engine.core.types import User\n")
    assert _past_the_face(_imports(bad), ROOT / "engine") == ["engine.cases.service", "engine.store.users.add"]


# ----------------------------------------------------------------------------- the test tree
TESTS = ROOT / "tests"


def _test_module_imports(path: Path) -> list[str]:
    """Modules of the test tree that ``path`` imports although they are test modules or conftest files."""
    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.ImportFrom):  # relative: from .test_x import y, from . import conftest
            names = [f".{node.module}"] if node.module else [f".{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if not (name.startswith("tests.") or name.startswith(".")):
                continue
            last = name.rsplit(".", 1)[-1]
            if last.startswith("test_") or last == "conftest":
                bad.append(name)
    return bad


def _fixtures(path: Path) -> list[str]:
    """Functions of ``path`` decorated with ``pytest.fixture`` (or ``fixture``), with or without arguments."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name == "fixture":
                    found.append(node.name)
    return found


def _test_tree_offenders(root: Path) -> list[tuple[str, str]]:
    offenders = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        offenders += [(rel, f"imports {name}") for name in _test_module_imports(path)]
        if path.name != "conftest.py":
            offenders += [(rel, f"fixture {name}") for name in _fixtures(path)]
    return offenders


def test_tests_import_helpers_not_other_tests_and_fixtures_live_in_conftest():
    """Helpers come from tests/helpers, fixtures from a conftest.py; no test module imports another."""
    assert _test_tree_offenders(TESTS) == []


def test_the_test_tree_rules_catch_a_violation(tmp_path):
    (tmp_path / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef ok():\n    return 1\n")
    (tmp_path / "test_a.py").write_text(
        "import pytest\nfrom pytest import fixture\n"
        "from tests.engine.test_b import helper\nfrom tests.browser.conftest import login\n"
        "from tests.helpers.api import make_app\nimport tests.api.test_tasks\nfrom .test_c import x\n\n\n"
        "@pytest.fixture(scope='module')\ndef mine():\n    return 1\n\n\n@fixture\ndef also():\n    return 2\n")
    assert _test_tree_offenders(tmp_path) == [
        ("test_a.py", "imports tests.engine.test_b"), ("test_a.py", "imports tests.browser.conftest"),
        ("test_a.py", "imports tests.api.test_tasks"), ("test_a.py", "imports .test_c"),
        ("test_a.py", "fixture mine"), ("test_a.py", "fixture also")]


# ----------------------------------------------------------------------------- import contracts
def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """``lint-imports`` (import-linter, the contracts in pyproject.toml) run from ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _importlinter_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _contracts_for(prefix: str) -> str:
    """The contracts of pyproject.toml as an INI file, the root packages renamed ``<prefix><name>``."""
    config = _importlinter_config()
    roots = config["root_packages"]

    def rename(value) -> str:
        return re.sub(r"\b(" + "|".join(roots) + r")\b", lambda m: prefix + m.group(1), str(value))

    lines = ["[importlinter]", "root_packages =", *(f"    {rename(r)}" for r in roots)]
    for contract in config["contracts"]:
        lines.append(f"\n[importlinter:contract:{contract['id']}]")
        for key, value in contract.items():
            if isinstance(value, list):
                lines += [f"{key} =", *(f"    {rename(v)}" for v in value)]
            elif key != "id":
                lines.append(f"{key} = {rename(value)}")
    return "\n".join(lines) + "\n"


def _mini_tree(root: Path, prefix: str) -> None:
    """Packages cli, api, workers and engine (with every engine package the contracts name) under ``root``,
    importing one way: cli -> api -> engine.cases -> engine.store -> engine.core."""
    (engine,) = [c for c in _importlinter_config()["contracts"] if c.get("containers") == ["engine"]]
    inner = {p.strip("() ") for layer in engine["layers"] for p in layer.split("|")}
    for pkg in ("cli", "api", "workers", "engine", *(f"engine/{p}" for p in sorted(inner))):
        (root / f"{prefix}{pkg}").mkdir(parents=True)
        (root / f"{prefix}{pkg}" / "__init__.py").write_text('"""A mini package."""\n')
    (root / f"{prefix}cli" / "main.py").write_text(f"from {prefix}api import views\n")
    (root / f"{prefix}api" / "views.py").write_text(f"from {prefix}engine.cases import service\n")
    (root / f"{prefix}engine" / "cases" / "service.py").write_text(f"from {prefix}engine.store import rows\n")
    (root / f"{prefix}engine" / "store" / "rows.py").write_text(f"from {prefix}engine.core import types\n")
    (root / f"{prefix}engine" / "core" / "types.py").write_text('"""Types."""\n')


def test_the_import_contracts_catch_a_violation(tmp_path):
    """A mini project under the same contracts: kept as built; broken by an engine module importing the CLI
    inside a function, the API importing the store, the core importing a domain package."""
    prefix = "mini_"
    (tmp_path / ".importlinter").write_text(_contracts_for(prefix))
    _mini_tree(tmp_path, prefix)
    kept = _lint_imports(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "Contracts: 3 kept, 0 broken." in kept.stdout

    (tmp_path / f"{prefix}engine" / "core" / "late.py").write_text(
        f"def run():\n    from {prefix}cli import main\n    from {prefix}engine.cases import service\n"
        "    return main, service\n")
    (tmp_path / f"{prefix}api" / "rows.py").write_text(f"def get():\n    from {prefix}engine.store import rows\n"
                                                       "    return rows\n")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "Contracts: 0 kept, 3 broken." in broken.stdout, broken.stdout
    assert f"{prefix}engine.core.late -> {prefix}cli.main" in broken.stdout

