"""Settings from ``TIAOJIE_*`` environment variables (documented in README.md)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIAOJIE_", extra="ignore")

    database_url: str = "sqlite:///var/tiaojie.sqlite"
    # Office identity used in case numbers: 福XX调〔2026〕0001号
    case_number_prefix: str = "福田"
    case_number_kind: str = "调"
    # The office on its papers (文书): the code in 文号 ((2026)福田人调字第1号; default: case_number_prefix), its
    # name, its people's mediation committee (the seal block), address and phone. A city deployment names its
    # offices by community in TIAOJIE_OFFICES, a JSON list of {"code", "name", "committee", "address", "phone",
    # "communities": [...]}; a case outside every list belongs to the office above.
    office_code: str = ""
    office_name: str = "福田街道办事处"
    office_committee: str = "福田街道人民调解委员会"
    office_address: str = ""
    office_phone: str = ""
    offices: str = ""
    timezone: str = "Asia/Shanghai"
    # BPMN/DMN upload limits
    max_definition_bytes: int = 2_000_000
    # Sandbox budgets for user scripts and conditions
    sandbox_max_steps: int = 200_000
    sandbox_max_seconds: float = 2.0
    sandbox_max_sequence: int = 1_000_000
    # what one script leaves in a case's data (or an expression returns), as stored, shared structure expanded
    script_result_max_bytes: int = 1_000_000
    # hard cap on one case's stored workflow state; a step that would store more fails (incident, case unchanged)
    case_state_max_bytes: int = 2_000_000
    # scripts and expressions run in this many warm child processes (0: in the server process, unsafe
    # against work the sandbox cannot interrupt), each limited to this much address space
    sandbox_processes: int = 2
    sandbox_memory_mb: int = 1024
    # Extra holidays / workdays for the working-day calendar, ISO dates, comma separated
    extra_holidays: str = ""
    extra_workdays: str = ""
    log_level: str = "INFO"
    # Signing key of access tokens. Every API process must share it; when unset, a key is
    # generated once into var/secret.key (fine for one machine, set it explicitly for several).
    secret_key: str = ""
    access_token_minutes: int = 15
    refresh_token_hours: int = 12
    # Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma separated): the login throttle's address
    trusted_proxies: str = ""
    max_body_bytes: int = 1_000_000
    max_attachment_bytes: int = 10_000_000  # one uploaded case attachment (PDF, JPEG, PNG, DOCX)
    max_ledger_bytes: int = 20_000_000  # one uploaded ledger file (台账); 10,000 rows of xlsx are under 1 MB
    redis_url: str = ""
    # Worker fault recovery: a Dramatiq process silent this long is dead and its messages go back to
    # the queue; a deadline/outbox row claimed by the dispatcher is sent again after its lease; an
    # email attempt's lease is renewed while it runs and runs out this long after its worker died.
    worker_heartbeat_seconds: float = 10.0
    dispatch_lease_seconds: float = 30.0
    send_lease_seconds: float = 20.0
    # PostgreSQL: seconds to wait for a connection before answering 503
    db_connect_timeout: int = 10
    # The hot path's statements prepared on the PostgreSQL server and sent with BEGIN / COMMIT in one round trip
    # (engine.store.wire). Off behind a pooler in transaction mode (PgBouncer), where a session's prepared
    # statements are not there for its next transaction.
    db_server_prepared: bool = True
    # Long-lived bearer token for a Prometheus scraper on /metrics (unset: admin/supervisor login)
    metrics_token: str = ""
    # Email (outbox → SMTP). security: none | starttls | ssl; port 0 = 25 / 587 / 465 by security.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 0
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "tiaojie@tiaojie.local"
    smtp_security: str = "none"
    smtp_timeout: float = 30.0
    smtp_ca_file: str = ""  # extra CA bundle for a private mail server's certificate
    mail_domain: str = ""  # right side of Message-IDs (default tiaojie.local)
    mail_max_attempts: int = 10  # then the outbox row is marked failed
    base_url: str = ""  # links in emails (default http://127.0.0.1:8000)
    # Early warning (预警): a matter visited this many times or more alerts its leaders and supervisors
    repeat_visit_warn: int = 3
    # 领导包案: who leads a key case, a JSON list tried in order, the first match wins; each entry names a
    # "leader" (username) and optionally a "community" and/or a "dispute_type", e.g.
    # [{"community": "福田社区", "leader": "liu"}, {"dispute_type": "labour", "leader": "wang"}].
    # No match: the leaders' group picks the leader by hand (whoever takes charge).
    leader_rules: str = ""
    # Case continuity: within a case, a new task of one of these candidate groups (comma separated) goes to
    # whoever completed the case's previous task of that group, if they still may do it; empty: always the pool
    continuity_groups: str = "intake,mediator,lawyer"
    # Personal data at rest: AES-256 data keys "id:base64,id:base64" (first is current); empty: var/data.keys
    data_keys: str = ""
    data_key_file: str = "var/data.keys"  # created 0600 on first use when data_keys is empty
    # Retention of closed cases, in years, per kind (request kind or process key), e.g. "petition=5,default=10"
    retention_years: str = "default=10"
    # 保管期限 of a filed case (卷宗) by kind: "key=permanent|long|short[:years]" (long 30, short 10 years), key a
    # case's outcome, request kind or process key, or "difficult"; over the defaults in engine/documents/casefile.py
    file_retention: str = ""


def continuity_groups(settings: Settings) -> frozenset[str]:
    """The candidate groups whose next task stays with the previous one's worker (``continuity_groups``)."""
    return frozenset(g.strip() for g in settings.continuity_groups.split(",") if g.strip())


@lru_cache
def get_settings() -> Settings:
    return Settings()
