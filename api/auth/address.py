"""The client's address for the login throttle: the peer, or, behind a trusted reverse proxy
(TIAOJIE_TRUSTED_PROXIES), the nearest X-Forwarded-For entry that is not one of the proxies."""

import ipaddress
from functools import lru_cache

from fastapi import Request

from engine.core.settings import get_settings


@lru_cache
def _proxies(setting: str) -> tuple:
    nets = []
    for part in setting.split(","):
        if part.strip():
            nets.append(ipaddress.ip_network(part.strip(), strict=False))
    return tuple(nets)


def _trusted(address: str, proxies: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    proxies = _proxies(get_settings().trusted_proxies)
    if not proxies or not _trusted(peer, proxies):
        return peer[:64]
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):  # the right end was added by our proxy; the left end by whoever
        if not _trusted(hop, proxies):
            return hop[:64]
    return (hops[0] if hops else peer)[:64]
