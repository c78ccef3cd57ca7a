"""Data key management: status, rotation (a new current key, every stored value re-encrypted) and retirement."""

from sqlalchemy import Connection

from engine.core import datakeys
from engine.core.errors import Conflict, NotFound
from engine.store import privacy as store


def status(conn: Connection) -> dict:
    """The configured keys (current first) with the party rows each encrypts, and rows under unknown keys."""
    use = store.key_use(conn)
    configured = [k for k, _ in datakeys.keys()]
    return {"source": "env" if datakeys.from_env() else str(datakeys.key_file()),
            "current": configured[0],
            "keys": [{"id": k, "current": i == 0, "rows": use.get(k, 0)} for i, k in enumerate(configured)],
            "unknown": {k: n for k, n in use.items() if k not in configured}}


def reencrypt(conn: Connection, batch: int = 500) -> int:
    """Every stored value not under the current key re-encrypted under it; returns the rows changed."""
    current = datakeys.current_id()
    done = 0
    while True:
        rows = store.rows_not_under(conn, current, batch)
        if not rows:
            return done
        for r in rows:
            values = []
            for cipher in (r.id_cipher, r.phone_cipher):
                values.append(datakeys.encrypt(datakeys.decrypt(cipher, r.key_id))[0] if cipher else None)
            store.set_cipher(conn, r.id, values[0], values[1], current)
        done += len(rows)


def rotate(conn: Connection) -> dict:
    """A new current key (in the key file; with TIAOJIE_DATA_KEYS the operator puts it first there) and every
    stored value re-encrypted under the current key."""
    added = None if datakeys.from_env() else datakeys.add_key()
    changed = reencrypt(conn)
    return {"current": datakeys.current_id(), "added": added, "reencrypted": changed}


def retire(conn: Connection, key_id: str) -> dict:
    """Drop an old key; refused while it is current or any stored value uses it."""
    configured = [k for k, _ in datakeys.keys()]
    if key_id not in configured:
        raise NotFound(f"data key {key_id} is not configured")
    if key_id == configured[0]:
        raise Conflict(f"data key {key_id} is the current key; rotate first")
    used = store.key_use(conn).get(key_id, 0)
    if used:
        raise Conflict(f"data key {key_id} still encrypts {used} party rows; run `tiaojie keys rotate` first")
    if datakeys.from_env():
        return {"retired": key_id, "note": "remove it from TIAOJIE_DATA_KEYS"}
    datakeys.drop_key(key_id)
    return {"retired": key_id}
