"""Settings from ``TIAOJIE_*`` environment variables (documented in README.md)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIAOJIE_", extra="ignore")

    database_url: str = "sqlite:///var/tiaojie.sqlite"
    # Office identity used in case numbers: 福XX调〔2026〕0001号
    case_number_prefix: str = "福田"
    case_number_kind: str = "调"
    timezone: str = "Asia/Shanghai"
    # BPMN/DMN upload limits
    max_definition_bytes: int = 2_000_000
    # Sandbox budgets for user scripts and conditions
    sandbox_max_steps: int = 200_000
    sandbox_max_seconds: float = 2.0
    sandbox_max_sequence: int = 1_000_000
    # Extra holidays / workdays for the working-day calendar, ISO dates, comma separated
    extra_holidays: str = ""
    extra_workdays: str = ""
    log_level: str = "INFO"
    # Signing key of access tokens. Every API process must share it; when unset, a key is
    # generated once into var/secret.key (fine for one machine, set it explicitly for several).
    secret_key: str = ""
    access_token_minutes: int = 15
    refresh_token_hours: int = 12
    max_body_bytes: int = 1_000_000
    redis_url: str = ""


@lru_cache
def get_settings() -> Settings:
    return Settings()
