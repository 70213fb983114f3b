"""Configuration: ``[tool.credmigrate]`` in pyproject.toml, or ``.credmigrate.toml``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NamedTuple

from credmigrate import atomic
from credmigrate.errors import BadInputError

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


def toml_module() -> Any:
    """tomllib (tomli before 3.11), imported only when a config file has to be parsed."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover

    return tomli  # pragma: no cover


class Config(NamedTuple):
    exclude: tuple[str, ...] = ()  # gitignore-style globs, relative to the root
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    extra_rules: tuple[str, ...] = ()  # paths to rule files (ours or gitleaks/betterleaks TOML)
    disabled_rules: tuple[str, ...] = ()
    baseline: str | None = None
    min_confidence: str = "medium"
    jobs: int = 0  # 0: one per core
    # migration settings (issue 4)
    prefix: str = "credmigrate"
    name_template: str = "{prefix}/{repo}/{module}"
    accessor_module: str = "_credmigrate_secrets"
    # shared empty defaults: a Config is never changed in place (``with_`` makes a new one)
    tags: dict[str, str] = {}  # noqa: RUF012
    extra: dict[str, Any] = {}  # noqa: RUF012

    def with_(self, **changes: Any) -> Config:
        return self._replace(**changes)


_KNOWN = {
    "exclude": tuple,
    "max_file_size": int,
    "extra_rules": tuple,
    "disabled_rules": tuple,
    "baseline": str,
    "min_confidence": str,
    "jobs": int,
    "prefix": str,
    "name_template": str,
    "accessor_module": str,
    "tags": dict,
}


def _from_table(table: dict[str, Any], source: Path) -> Config:
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in table.items():
        norm = key.replace("-", "_")
        typ = _KNOWN.get(norm)
        if typ is None:
            extra[norm] = value
            continue
        if typ is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BadInputError(f"{source}: '{key}' must be a list of strings")
            kwargs[norm] = tuple(value)
        elif not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise BadInputError(f"{source}: '{key}' must be a {typ.__name__}")
        else:
            kwargs[norm] = value
    if kwargs.get("max_file_size", 1) <= 0:
        raise BadInputError(f"{source}: 'max_file_size' must be a positive number of bytes")
    if kwargs.get("jobs", 0) < 0:
        raise BadInputError(f"{source}: 'jobs' must be 0 (one per core) or more")
    if "min_confidence" in kwargs and kwargs["min_confidence"] not in {"low", "medium", "high"}:
        raise BadInputError(f"{source}: 'min_confidence' must be low, medium or high")
    return Config(extra=extra, **kwargs)


def parse_config(text: str, source: Path, *, is_pyproject: bool) -> Config | None:
    """The configuration in ``text`` (a ``.credmigrate.toml`` or, with ``is_pyproject``, a
    pyproject.toml; None when that has no ``[tool.credmigrate]``). ``extra_rules`` stay as
    written (relative to the file). ``source`` names the file in errors."""
    tomllib = toml_module()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"invalid TOML in {source}: {exc}") from None
    except (ValueError, RecursionError) as exc:  # huge integers, deep nesting
        raise BadInputError(f"invalid TOML in {source}: {type(exc).__name__}") from None
    tool = data.get("tool", {})
    tool = tool if isinstance(tool, dict) else {}
    if is_pyproject:
        table = tool.get("credmigrate")
        if table is None:
            return None
    else:
        table = tool.get("credmigrate", data)
    if not isinstance(table, dict):
        raise BadInputError(f"{source}: [tool.credmigrate] must be a table")
    return _from_table(table, source)


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Read the configuration for a scan rooted at ``root``.

    ``explicit`` (``--config``) wins; then ``.credmigrate.toml``; then pyproject's
    ``[tool.credmigrate]``; else defaults.
    """
    candidates: list[tuple[Path, bool]] = []
    if explicit is not None:
        candidates.append((explicit, False))
    else:
        candidates.append((root / ".credmigrate.toml", False))
        candidates.append((root / "pyproject.toml", True))
    for path, is_pyproject in candidates:
        if explicit is None and not path.is_file():
            continue
        try:
            text = atomic.read_input(path, what="config")
        except FileNotFoundError:
            raise BadInputError(f"config file not found: {path}") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise BadInputError(f"cannot read config {path}: {reason}") from None
        if is_pyproject and "credmigrate" not in text and "\\u" not in text.lower():
            continue  # no [tool.credmigrate] can be in it: spare the hook the TOML parser
        config = parse_config(text, path, is_pyproject=is_pyproject)
        if config is None:
            continue
        if config.extra_rules:  # rule files named in a config are relative to that file
            base = path.parent
            return config.with_(extra_rules=tuple(str(base / r) for r in config.extra_rules))
        return config
    return Config()
