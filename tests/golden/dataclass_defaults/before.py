import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class DatabaseSettings:
    host: str = "localhost"
    password: str = "@@password:DB_PASSWORD@@"
    tags: list[str] = field(default_factory=list)


@dataclasses.dataclass
class ApiSettings:
    token: str = field(default="@@token:API_TOKEN@@", repr=False)
    VERSION: ClassVar[str] = "v2"
    signing_key: ClassVar[str] = "@@token:SIGNING_KEY@@"
