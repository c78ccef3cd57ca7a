"""The process files on disk (``bpmn/``) against the live versions, at start-up.

Starting the service must never change which version new cases run. A supervisor who published
from the editor made a version the files on disk do not hold; a start that deployed the disk
files would silently put the older model back live. So a start deploys only processes that are
not deployed at all (a fresh database, or a new file), and for each other process says whether the
disk file is the live version, an older one, or differs from every version -- and deploys nothing.
``tiaojie process deploy bpmn`` deploys the disk files on purpose.
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from engine.core.types import Definition
from engine.processes.deploy import check, deploy
from engine.store import definitions as store

NEW = "new"  # not deployed before: deployed now
LIVE = "live"  # the disk file is the live version
OLDER = "older"  # the disk file is an earlier version; the live one was published since
DIFFERS = "differs"  # the disk file matches no version: edited on disk and not deployed


@dataclass
class DiskState:
    key: str
    name: str
    state: str
    live: Definition  # the version new cases run (after this start)
    disk_version: int | None = None  # the version whose content equals the disk file, if any

    def line(self) -> str:
        """One line of the start-up output (operator text, English like the rest of the CLI)."""
        head = f"process {self.key} v{self.live.version}"
        if self.state == NEW:
            return f"{head} (new: deployed from the files)"
        if self.state == LIVE:
            return f"{head} (live, same as the files)"
        by = f" by {self.live.created_by}" if self.live.created_by else ""
        published = f"published {self.live.created_at:%Y-%m-%d %H:%M} UTC{by}"
        disk = (f"the files hold the older v{self.disk_version}" if self.state == OLDER
                else "the files match no deployed version")
        return (f"{head} is live ({published}); {disk}. Nothing deployed: new cases keep running "
                f"v{self.live.version}. To make the files live: tiaojie process deploy <dir>")


def sync(conn: Connection, files: dict[str, bytes], actor: str | None = None) -> list[DiskState]:
    """Deploy the processes of ``files`` that have no version yet; report every other one."""
    compiled = check(files)
    out: list[DiskState] = []
    fresh: set[str] = set()
    for cp in compiled:
        live = store.get(conn, cp.key)
        if live is None:
            fresh.add(cp.key)
            continue
        if live.content_hash == cp.content_hash:
            out.append(DiskState(cp.key, cp.name, LIVE, live, live.version))
            continue
        match = store.find_by_hash(conn, cp.key, cp.content_hash)
        out.append(DiskState(cp.key, cp.name, OLDER if match else DIFFERS, live, match.version if match else None))
    if fresh:
        for d in deploy(conn, files, actor=actor, callers=False, only=fresh):
            out.append(DiskState(d.key, d.name, NEW if d.is_new else LIVE, d, d.version))
    return sorted(out, key=lambda s: s.key)
