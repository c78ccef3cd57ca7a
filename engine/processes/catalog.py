"""The catalogue of process definitions: list and read versions, their start forms, check bundles,
diff versions. What the API and the CLI show of deployed processes."""

from sqlalchemy import Connection

from engine.core.errors import NotFound, StepFailed
from engine.core.types import Definition, User
from engine.processes import forms
from engine.processes.deploy import check
from engine.processes.diff import Bundle, diff, diff_forms
from engine.spiff.runtime import LANE_GROUPS, Run
from engine.store import definitions as store


def list_processes(conn: Connection) -> list[dict]:
    # Versions are numbered 1, 2, … per key and never deleted: the latest number is the count.
    return [{**_version(d), "versions": d.version} for d in store.list_latest(conn)]


def is_deployed(conn: Connection, key: str) -> bool:
    return store.get(conn, key) is not None


def list_versions(conn: Connection, key: str) -> list[dict]:
    found = store.list_versions(conn, key)
    if not found:
        raise NotFound(f"process '{key}' not found")
    return [_version(d) for d in found]


def get_version(conn: Connection, key: str, version: int) -> dict:
    d = _get(conn, key, version)
    bundle = Bundle(store.sources(conn, d.id))
    return {**_version(d), "file": bundle.process_file(key), "user_tasks": _tasks(bundle, key),
            "forms": store.forms(conn, d.id)}


def start_form(conn: Connection, user: User, key: str) -> dict:
    """The intake form of ``key`` (latest version): what POST /cases validates ``data`` against, and who
    completes it. The first user task is found by starting the workflow in memory (nothing is written),
    once per version. The latest version as this process knows it (``store.latest``): a case started on a
    version deployed since by another process is started again on the new one, and its first form checked."""
    d = store.latest(conn, key)
    if d is None:
        raise NotFound(f"process '{key}' is not deployed")
    first = _FIRST_TASKS.get(d.content_hash)
    if first is None:
        try:
            ready = Run.start(d.content_hash, lambda: store.spec_json(conn, d.id), {}).ready_user_tasks()
        except StepFailed:  # the model needs start data before its first task: no form to offer
            ready = []
        first = _FIRST_TASKS[d.content_hash] = (ready[0] if ready else None,)
    task = first[0]
    schema = forms.schema_for(d.content_hash, task.form_key if task else None, lambda: store.forms(conn, d.id))
    return {"process_key": d.key, "version": d.version, "name": d.name,
            "task": {"element_id": task.element_id, "name": task.name, "group": task.group} if task else None,
            "form_key": task.form_key if task else None, "schema": schema,
            "completes_first_task": task is not None and task.group == user.role,
            "communities": None if user.sees_all_communities else list(user.communities)}


_FIRST_TASKS: dict[str, tuple] = {}  # content hash -> (first TaskInfo or None,): versions never change


def version_xml(conn: Connection, key: str, version: int) -> tuple[str, str]:
    """(file name, XML text) of the BPMN file that defines the process."""
    d = _get(conn, key, version)
    sources = store.sources(conn, d.id)
    name = Bundle(sources).process_file(key)
    if name is None:
        raise NotFound(f"no file of version {version} defines process '{key}'")
    return name, sources[name]


def version_bundle(conn: Connection, key: str, version: int) -> dict:
    """What the editor sends back to validate or deploy an edit: the files in the process's scope
    (its own file, the files of the processes it calls, the decision tables it uses) and its forms."""
    d = _get(conn, key, version)
    sources = store.sources(conn, d.id)
    bundle = Bundle(sources)
    file = bundle.process_file(key)
    if file is None:
        raise NotFound(f"no file of version {version} defines process '{key}'")
    names = {file, *(f for f, _ in bundle.scope(key))}
    return {"key": key, "version": version, "file": file, "sources": {n: sources[n] for n in sorted(names)},
            "forms": store.forms(conn, d.id)}


def version_diff(conn: Connection, key: str, version: int, other: int) -> dict:
    a, b = _get(conn, key, version), _get(conn, key, other)
    out = diff(Bundle(store.sources(conn, a.id)), Bundle(store.sources(conn, b.id)), key)
    forms = diff_forms(store.forms(conn, a.id), store.forms(conn, b.id))
    return {"key": key, "from_version": version, "to_version": other, **out, "forms": forms}


def validate(files: dict[str, bytes]) -> dict:
    """Dry run: validate and compile, store nothing."""
    compiled = check(files)
    return {"ok": True, "processes": [{"key": cp.key, "name": cp.name, "user_tasks": _tasks(Bundle(cp.sources), cp.key)}
                                      for cp in compiled]}


def _get(conn: Connection, key: str, version: int) -> Definition:
    d = store.get(conn, key, version)
    if d is None:
        raise NotFound(f"process '{key}' has no version {version}")
    return d


def _version(d: Definition) -> dict:
    return {"key": d.key, "name": d.name, "version": d.version, "content_hash": d.content_hash,
            "created_at": d.created_at, "created_by": d.created_by}


def _tasks(bundle: Bundle, key: str) -> list[dict]:
    out = []
    for t in bundle.user_tasks(key):
        group = t.pop("candidate_group") or LANE_GROUPS.get(t["lane"], t["lane"])
        out.append({**t, "group": group})
    return out
