"""Where things are: the project root, the process models, the test fixtures."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BPMN_DIR = ROOT / "bpmn"
FIXTURES = ROOT / "tests" / "fixtures"
