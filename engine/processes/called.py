"""Which published version of a called process a case runs (the case page draws that one).

A case runs one definition row; the processes it calls were compiled into that row from the files of its
bundle (``sources``), so a later deploy of a called process never changes what a running case does. The
version to draw is the called key's version whose file is the very text stored with the case's definition:
of those, the newest published no later than the case's definition (a form-only change can publish the same
file twice). None when no published version holds that text. Definitions never change, so the answer is
cached per (definition, key).
"""

from threading import Lock

from sqlalchemy import Connection

from engine.processes.diff import Bundle
from engine.store import definitions as store

_CACHE: dict[tuple[int, str], int | None] = {}
_LOCK = Lock()
_MAX_CACHE = 10_000
_MAX_VERSIONS = 200  # the newest versions compared, at most


def called_versions(conn: Connection, definition_id: int, keys: list[str]) -> dict[str, int | None]:
    """{called process key: the version the case with ``definition_id`` runs, or None}."""
    out, missing = {}, []
    with _LOCK:
        for key in keys:
            if (definition_id, key) in _CACHE:
                out[key] = _CACHE[(definition_id, key)]
            else:
                missing.append(key)
    if not missing:
        return out
    own = store.get_by_id(conn, definition_id)
    sources = store.sources(conn, definition_id)
    bundle = Bundle(sources)
    for key in missing:
        file = bundle.process_file(key)
        out[key] = _match(conn, key, file, sources.get(file), own.created_at) if file and own else None
    with _LOCK:
        if len(_CACHE) > _MAX_CACHE:
            _CACHE.clear()
        _CACHE.update({(definition_id, k): out[k] for k in missing})
    return out


def _match(conn: Connection, key: str, file: str, text: str | None, before) -> int | None:
    if text is None:
        return None
    found = None
    for d in reversed(store.list_versions(conn, key)[-_MAX_VERSIONS:]):
        if store.sources(conn, d.id).get(file) != text:
            continue
        if d.created_at <= before:
            return d.version
        found = found or d.version
    return found
