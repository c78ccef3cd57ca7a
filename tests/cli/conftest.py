"""Fixtures of the command-line tests."""

import os
import subprocess
import sys

import pytest

from tests.helpers.paths import BPMN_DIR, ROOT


@pytest.fixture
def cli(tmp_path):
    """run(*args, ok=True) → the CLI as a subprocess on a fresh, migrated SQLite file, with its own data-key
    file under ``run.tmp`` and mediation cases kept for one year (its environment: ``run.env``)."""
    env = {**os.environ, "TIAOJIE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
           "TIAOJIE_DATA_KEY_FILE": str(tmp_path / "keys" / "data.keys"), "TIAOJIE_RETENTION_YEARS": "mediation=1"}
    env.pop("TIAOJIE_DATA_KEYS", None)

    def run(*args, ok=True):
        proc = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        if ok:
            assert proc.returncode == 0, proc.stderr
        return proc

    run("db", "upgrade")
    run.tmp, run.env = tmp_path, env
    return run


@pytest.fixture
def deployed(cli):
    """The project's processes, decisions and forms deployed through the CLI."""
    cli("process", "deploy", *sorted(str(p) for p in BPMN_DIR.glob("*.bpmn")),
        *sorted(str(p) for p in BPMN_DIR.glob("*.dmn")), *sorted(str(p) for p in (BPMN_DIR / "forms").glob("*.json")))
