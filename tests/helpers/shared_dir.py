"""Where ../shared (test data nobody in this project wrote) is, from CI or a fresh clone.

CI lays shared/ beside the clone; ``fresh-clone-check`` clones elsewhere, so the folder
beside the clone's origin counts too. TIAOJIE_SHARED_DIR overrides both.
"""

import os
import subprocess
from pathlib import Path

from tests.helpers.paths import ROOT


def _origin_parent() -> Path | None:
    try:
        url = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(url).parent if url and "://" not in url else None


def shared_dir() -> Path:
    origin = _origin_parent()
    candidates = [os.environ.get("TIAOJIE_SHARED_DIR"), ROOT.parent / "shared", origin and origin / "shared"]
    for c in candidates:
        if c and (Path(c) / "conformance").is_dir():
            return Path(c)
    raise FileNotFoundError("../shared not found beside the clone or its origin (set TIAOJIE_SHARED_DIR)")
