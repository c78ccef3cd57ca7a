"""Data keys: AES-256-GCM encryption of the personal data the law requires us to keep in full.

The keys live outside the database: in ``TIAOJIE_DATA_KEYS`` (``id:base64key,id:base64key``, the first is
the current key) or, when that is unset, in the file ``TIAOJIE_DATA_KEY_FILE`` (default ``var/data.keys``;
one ``id:base64key`` a line, the first is current), created with mode 0600 on first use. A value is stored as ``base64(nonce||ciphertext)``
next to the id of the key that encrypted it, so keys can be rotated (new current key, old values
re-encrypted) and an old key retired once nothing uses it. A value whose key is missing is an error
(``DataKeyMissing``), never a wrong or empty value.
"""

import base64
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from engine.core.errors import EngineError
from engine.core.settings import get_settings

AAD = b"tiaojie-pii-v1"

def key_file() -> Path:
    return Path(get_settings().data_key_file)


class DataKeyMissing(EngineError):
    """Encrypted personal data whose key is not configured (or a key that is not valid)."""

    code = "data_key_missing"


_cache: dict[str, object] = {}


def _parse(text: str, sep: str) -> list[tuple[str, bytes]]:
    out = []
    for item in text.split(sep):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        kid, _, b64 = item.partition(":")
        try:
            key = base64.b64decode(b64.strip(), validate=True)
        except ValueError:
            key = b""
        if not kid.strip() or len(key) != 32:
            raise DataKeyMissing(f"data key {kid.strip() or '?'} is not a 32-byte base64 AES key")
        out.append((kid.strip(), key))
    return out


def from_env() -> bool:
    return bool(get_settings().data_keys.strip())


def _new_id() -> str:
    return datetime.now(UTC).strftime("k%Y%m%d%H%M%S") + secrets.token_hex(2)


def _line(kid: str, key: bytes) -> str:
    return f"{kid}:{base64.b64encode(key).decode()}"


def _write_file(keys: list[tuple[str, bytes]]) -> None:
    key_file().parent.mkdir(parents=True, exist_ok=True)
    tmp = key_file().with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(_line(k, v) + "\n" for k, v in keys))
    os.chmod(tmp, 0o600)
    os.replace(tmp, key_file())
    reset()


def keys() -> list[tuple[str, bytes]]:
    """(id, key) pairs, the current key first."""
    configured = get_settings().data_keys
    source = ("env", configured) if configured.strip() else ("file", str(key_file().resolve()))
    if _cache.get("source") == source:
        return _cache["keys"]  # type: ignore[return-value]
    if configured.strip():
        found = _parse(configured, ",")
    else:
        if not key_file().exists():
            _write_file([(_new_id(), AESGCM.generate_key(bit_length=256))])
        found = _parse(key_file().read_text(), "\n")
    if not found:
        raise DataKeyMissing("no data key is configured")
    _cache.update(source=source, keys=found, by_id=dict(found))
    return found


def reset() -> None:
    _cache.clear()


def current_id() -> str:
    return keys()[0][0]


def encrypt(value: str) -> tuple[str, str]:
    """(ciphertext, key id) of ``value`` under the current key."""
    kid, key = keys()[0]
    nonce = secrets.token_bytes(12)
    ct = AESGCM(key).encrypt(nonce, value.encode(), AAD)
    return base64.b64encode(nonce + ct).decode(), kid


def decrypt(cipher: str, kid: str) -> str:
    keys()
    key = _cache["by_id"].get(kid)  # type: ignore[union-attr]
    if key is None:
        raise DataKeyMissing(f"data key {kid} is missing: encrypted personal data cannot be read")
    raw = base64.b64decode(cipher)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], AAD).decode()
    except Exception as err:  # InvalidTag: a wrong key under a known id, or tampered data
        raise DataKeyMissing(f"data key {kid} does not decrypt the stored value (wrong key or altered data)") from err


def add_key() -> str:
    """A new current key in the key file (file-kept keys only); returns its id."""
    if from_env():
        raise DataKeyMissing("data keys come from TIAOJIE_DATA_KEYS: put a new key first there, then re-encrypt")
    kid = _new_id()
    _write_file([(kid, AESGCM.generate_key(bit_length=256)), *keys()])
    return kid


def drop_key(kid: str) -> None:
    """Remove a (non-current) key from the key file."""
    if from_env():
        raise DataKeyMissing("data keys come from TIAOJIE_DATA_KEYS: remove the key from there")
    _write_file([(k, v) for k, v in keys() if k != kid])
