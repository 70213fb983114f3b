from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    api_key: str = "@@token:API_KEY@@"
    db_password: SecretStr = Field("@@password:DB_PASSWORD@@", description="database")
    debug: bool = False


class ProdSettings(Settings):
    webhook_secret: str = Field(default="@@token:WEBHOOK_SECRET@@")
