"""Fixtures of the command-line tests."""

import os
import subprocess
import sys

import pytest

from tests.helpers.paths import ROOT


@pytest.fixture
def cli(tmp_path):
    """run(*args, ok=True) → the CLI as a subprocess on a fresh, migrated SQLite file."""
    env = {**os.environ, "TIAOJIE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}

    def run(*args, ok=True):
        proc = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        if ok:
            assert proc.returncode == 0, proc.stderr
        return proc

    run("db", "upgrade")
    return run
