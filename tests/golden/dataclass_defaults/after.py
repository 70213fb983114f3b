import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar
from _credmigrate_secrets import get_secret


@dataclass(frozen=True)
class DatabaseSettings:
    host: str = "localhost"
    password: str = field(default_factory=lambda: get_secret("credmigrate/demo/dataclass_defaults", "DB_PASSWORD"))
    tags: list[str] = field(default_factory=list)


@dataclasses.dataclass
class ApiSettings:
    token: str = field(default_factory=lambda: get_secret("credmigrate/demo/dataclass_defaults", "API_TOKEN"), repr=False)
    VERSION: ClassVar[str] = "v2"
    signing_key: ClassVar[str] = get_secret("credmigrate/demo/dataclass_defaults", "SIGNING_KEY")
