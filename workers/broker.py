"""The Dramatiq broker: Redis (``TIAOJIE_REDIS_URL``) for production, a StubBroker for embedded mode.

Redis settings (chosen and measured for tiaojie):

* ``heartbeat_timeout`` 10 s (``TIAOJIE_WORKER_HEARTBEAT_SECONDS``; Dramatiq's default 60 s): a broker whose last command is older than this counts
  as dead and its unacked messages are requeued. Idle consumers (every worker has the delay-queue
  consumers) poll at least once a second, so a live worker is never that quiet.
* ``maintenance_chance`` 20 % of commands (default 0.1 %): the requeue runs in "maintenance", a
  random fraction of Redis commands; at 0.1 % a killed worker's messages came back only after
  ~4 minutes, at 20 % a few seconds after the heartbeat timeout (an idle worker polls each queue
  about once a second; maintenance is cheap while no worker is dead).
* prefetch (``dramatiq_queue_prefetch`` = threads, ``dramatiq_delay_queue_prefetch`` = threads): a
  worker holds in memory only what it is working on, so little waits inside a process that may die.

Long waits never live in Redis (it keeps nothing on disk): deadlines are rows; the dispatcher sends
a message only when a row is due, and re-sends it when its lease runs out.
"""

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from engine.core.settings import get_settings

QUEUES = ("engine", "email")
HEARTBEAT_TIMEOUT_MS = 10_000  # the default of TIAOJIE_WORKER_HEARTBEAT_SECONDS
MAINTENANCE_CHANCE = 200_000  # per million commands
TIME_LIMIT_MS = 120_000  # one actor run; a deadline step takes well under a second
MAX_RETRIES = 5
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 60_000


def middleware() -> list:
    return [
        AgeLimit(),
        TimeLimit(time_limit=TIME_LIMIT_MS),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS),
        CurrentMessage(),
    ]


def default_namespace() -> str:
    return os.environ.get("TIAOJIE_REDIS_NAMESPACE", "tiaojie")


def redis_broker(url: str, namespace: str | None = None) -> dramatiq.Broker:
    broker = RedisBroker(
        url=url,
        namespace=namespace or default_namespace(),
        heartbeat_timeout=int(get_settings().worker_heartbeat_seconds * 1000),
        maintenance_chance=MAINTENANCE_CHANCE,
        middleware=middleware(),
    )
    if os.environ.get(WORKER_ID_ENV):  # a worker child: the id its supervisor knows it by
        broker.broker_id = os.environ[WORKER_ID_ENV]
    return broker


WORKER_ID_ENV = "TIAOJIE_WORKER_ID"


def declare_dead(url: str, worker_id: str, namespace: str | None = None) -> None:
    """A worker process known to be dead (its supervisor saw it exit): mark its heartbeat as ancient,
    so the next queue maintenance puts its unacknowledged messages back at once, without waiting
    for the heartbeat timeout."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.zadd(f"{namespace or default_namespace()}:__heartbeats__", {worker_id: 0}, xx=True)
    finally:
        client.close()


def stub_broker() -> StubBroker:
    return StubBroker(middleware=middleware())


def from_environment() -> dramatiq.Broker:
    """Redis when ``TIAOJIE_REDIS_URL`` is set, otherwise a StubBroker (embedded mode)."""
    url = os.environ.get("TIAOJIE_REDIS_URL") or get_settings().redis_url
    return redis_broker(url) if url else stub_broker()


def declare(broker: dramatiq.Broker) -> None:
    for q in QUEUES:
        broker.declare_queue(q)


def install(broker: dramatiq.Broker) -> dramatiq.Broker:
    """Make ``broker`` the global one and move every declared actor onto it."""
    old = dramatiq.get_broker() if _has_global() else None
    dramatiq.set_broker(broker)
    declare(broker)
    if old is not None and old is not broker:
        for name in old.get_declared_actors():
            actor = old.get_actor(name)
            actor.broker = broker
            broker.declare_actor(actor)
    return broker


def _has_global() -> bool:
    return dramatiq.broker.global_broker is not None


def ensure() -> dramatiq.Broker:
    """The global broker, set up from the environment the first time."""
    if not _has_global():
        install(from_environment())
    return dramatiq.get_broker()


def worker_environment(threads: int) -> dict[str, str]:
    """Environment of a worker process: prefetch no more than the threads can work on."""
    return {"dramatiq_queue_prefetch": str(threads), "dramatiq_delay_queue_prefetch": str(threads)}
