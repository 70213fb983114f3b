from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from _credmigrate_secrets import get_secret


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    api_key: str = Field(default_factory=lambda: get_secret("credmigrate/demo/pydantic_settings", "API_KEY"))
    db_password: SecretStr = Field(default_factory=lambda: get_secret("credmigrate/demo/pydantic_settings", "DB_PASSWORD"), description="database")
    debug: bool = False


class ProdSettings(Settings):
    webhook_secret: str = Field(default_factory=lambda: get_secret("credmigrate/demo/pydantic_settings", "WEBHOOK_SECRET"))
