"""Detection rules as data.

Our rule files (``rules/*.toml``) use gitleaks/betterleaks field names, plus ``examples`` and
``negative_examples`` that :mod:`credmigrate.detect.rulecheck` runs through the whole scan path. A plain
gitleaks or betterleaks config loads too (``--rules FILE``), including its global allowlist.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from credmigrate import atomic
from credmigrate.detect import lazyre, regex_cache
from credmigrate.detect.goregex import translate
from credmigrate.errors import RuleError
from credmigrate.findings.model import Confidence

_N = TypeVar("_N", int, float)


class Allowlist(NamedTuple):
    """Conditions under which a match is not a finding (gitleaks semantics)."""

    description: str = ""
    regexes: tuple[str, ...] = ()
    regex_target: str = "secret"  # secret | match | line
    stopwords: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    condition: str = "OR"  # OR: any criterion allows; AND: all given criteria must hold
    user: bool = False  # from a user's rule file: bounded regexes (see user_regex)

    @property
    def compiled_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(r, self.user, "allowlist regex") for r in self.regexes)

    @property
    def compiled_paths(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(r, self.user, "allowlist path") for r in self.paths)


class Example(NamedTuple):
    text: str
    path: str = "example.txt"


class Rule(NamedTuple):
    id: str
    description: str
    regex: str = ""
    secret_group: int = 0  # 0: the first group that matched, or the whole match without groups
    keywords: tuple[str, ...] = ()
    entropy: float = 0.0
    path: str = ""  # only files whose path matches this regex
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.HIGH
    allowlists: tuple[Allowlist, ...] = ()
    examples: tuple[Example, ...] = ()
    negative_examples: tuple[Example, ...] = ()
    multiline: bool = False  # the match may span lines: run on the whole text
    generic: bool = False  # a name=value heuristic: value filters (placeholders, hashes) apply
    min_length: int = 0
    pair: str = ""  # findings of rules sharing a pair tag in one file are grouped
    precheck: str = ""  # a cheap regex a line must contain before the full regex runs
    prefilter: str = ""  # a hyperscan regex that replaces the keywords when hyperscan is present
    source: str = ""  # file the rule came from
    user: bool = False  # from a user's rule file: bounded regexes (see user_regex)

    @property
    def compiled(self) -> re.Pattern[str]:
        return _compile(self.regex, self.user, self._label)

    @property
    def compiled_precheck(self) -> re.Pattern[str] | None:
        return _compile(self.precheck, self.user, self._label) if self.precheck else None

    @property
    def compiled_path(self) -> re.Pattern[str] | None:
        return _compile(self.path, self.user, self._label) if self.path else None

    @property
    def _label(self) -> str:
        return f"{self.id} ({self.source})" if self.source else self.id


@lru_cache(maxsize=4096)
def compile_regex(pattern: str) -> re.Pattern[str]:
    """Compile a Go/RE2-flavoured pattern with Python's ``re``.

    Go allows inline flags such as ``(?i)`` anywhere; Python only at the start, so a flag group
    in the middle becomes a scoped group covering the rest of the enclosing group.
    """
    try:
        return regex_cache.compile(translate(pattern))
    except re.error as exc:
        raise RuleError(f"invalid regex {pattern[:60]!r}: {exc}") from None


@lru_cache(maxsize=4096)
def compile_user_regex(pattern: str, label: str) -> re.Pattern[str]:
    """A user rule's pattern on a linear-time engine, or under a time budget (user_regex)."""
    try:
        # here, not at the top: google-re2 and its timer machinery are for user rule files,
        # and the built-in rules (all the pre-commit hook loads) never need them
        from credmigrate.detect import user_regex

        return user_regex.compile_user(pattern, translate(pattern), label)
    except re.error as exc:
        raise RuleError(f"invalid regex {pattern[:60]!r}: {exc}") from None


def _compile(pattern: str, user: bool, label: str) -> re.Pattern[str]:
    return compile_user_regex(pattern, label) if user else compile_regex(pattern)


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where} must be a list of strings")
    return tuple(value)


def _examples(value: Any, where: str, default_path: str) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RuleError(f"{where} must be a list")
    out: list[Example] = []
    for item in value:
        if isinstance(item, str):
            out.append(Example(item, default_path))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Example(item["text"], str(item.get("path", default_path))))
        else:
            raise RuleError(f"{where}: each example is a string or {{text, path}}")
    return tuple(out)


def _allowlist(table: Any, where: str, validate: bool = True) -> Allowlist:
    if not isinstance(table, dict):
        raise RuleError(f"{where} must be a table")
    target = str(table.get("regexTarget", table.get("regex_target", "secret")))
    if target not in {"secret", "match", "line"}:
        raise RuleError(f"{where}: regexTarget must be secret, match or line")
    al = Allowlist(
        description=str(table.get("description", "")),
        regexes=_strs(table.get("regexes"), f"{where}.regexes"),
        regex_target=target,
        stopwords=tuple(s.lower() for s in _strs(table.get("stopwords"), f"{where}.stopwords")),
        paths=_strs(table.get("paths"), f"{where}.paths"),
        condition=str(table.get("condition", "OR")).upper(),
    )
    if al.condition not in {"OR", "AND"}:
        raise RuleError(f"{where}: condition must be OR or AND")
    if validate:
        al.compiled_regexes  # noqa: B018 - validate now, fail with the file name
        al.compiled_paths  # noqa: B018
    return al


def _allowlists(table: dict[str, Any], where: str, validate: bool = True) -> tuple[Allowlist, ...]:
    out: list[Allowlist] = []
    single = table.get("allowlist")
    if single is not None:
        out.append(_allowlist(single, f"{where}.allowlist", validate))
    many = table.get("allowlists")
    if many is not None:
        if not isinstance(many, list):
            raise RuleError(f"{where}.allowlists must be an array of tables")
        out.extend(_allowlist(a, f"{where}.allowlists", validate) for a in many)
    return tuple(out)


# gitleaks runs each regex over the whole file; ours go line by line unless ``multiline``. A
# gitleaks rule written to cross lines ([\s\S], (?s)) must see the whole text to match at all.
_CROSSES_LINES = lazyre.compile(
    r"\[(?:\\s\\S|\\S\\s|\\w\\W|\\W\\w|\\d\\D|\\D\\d)|\(\?[a-zA-Z]*s[a-zA-Z]*[):]"
)


def _spans_lines(regex: str) -> bool:
    return bool(_CROSSES_LINES.search(regex))


def _number(table: dict[str, Any], keys: tuple[str, ...], typ: type[_N], where: str) -> _N:
    """A non-negative number field (TOML ints count as floats); RuleError on anything else."""
    value = next((table[k] for k in keys if k in table), 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{where}: {keys[0]} must be a number")
    if value < 0 or (typ is int and value != int(value)):
        raise RuleError(f"{where}: {keys[0]} must be a non-negative {typ.__name__}")
    return typ(value)


def _rule(
    table: Any, source: str, global_allow: tuple[Allowlist, ...], validate: bool = True
) -> Rule:
    if not isinstance(table, dict) or not isinstance(table.get("id"), str):
        raise RuleError(f"{source}: every [[rules]] entry needs a string 'id'")
    rid = table["id"]
    where = f"{source}: rule {rid}"
    regex = table.get("regex", "")
    path = table.get("path", "")
    if not isinstance(regex, str) or not isinstance(path, str):
        raise RuleError(f"{where}: regex and path must be strings")
    if not regex and not path:
        raise RuleError(f"{where}: needs a regex or a path")
    try:
        confidence = Confidence(str(table.get("confidence", "high")).lower())
    except ValueError:
        raise RuleError(f"{where}: confidence must be high, medium or low") from None
    example_path = str(table.get("example_path", "example.txt"))
    rule = Rule(
        id=rid,
        description=str(table.get("description", rid)),
        regex=regex,
        secret_group=_number(table, ("secretGroup", "secret_group"), int, where),
        keywords=tuple(k.lower() for k in _strs(table.get("keywords"), f"{where}.keywords")),
        entropy=_number(table, ("entropy",), float, where),
        path=path,
        tags=_strs(table.get("tags"), f"{where}.tags"),
        confidence=confidence,
        allowlists=_allowlists(table, where, validate) + global_allow,
        examples=_examples(table.get("examples"), f"{where}.examples", example_path),
        negative_examples=_examples(
            table.get("negative_examples"), f"{where}.negative_examples", example_path
        ),
        multiline=bool(table.get("multiline", _spans_lines(regex))),
        generic=bool(table.get("generic", False)),
        min_length=_number(table, ("min_length",), int, where),
        pair=str(table.get("pair", "")),
        precheck=str(table.get("precheck", "")),
        prefilter=str(table.get("prefilter", "")),
        source=source,
    )
    if validate and regex and rule.secret_group > rule.compiled.groups:
        raise RuleError(f"{where}: secretGroup {rule.secret_group} but the regex has fewer groups")
    if validate and path:
        rule.compiled_path  # noqa: B018
    return rule


def parse_rules(
    text: str, source: str, *, validate: bool = True, user: bool = False
) -> tuple[Rule, ...]:
    """Parse one rule file: ours, or a gitleaks/betterleaks config. ``user``: someone else's
    rules, whose regexes run bounded (see :mod:`credmigrate.detect.user_regex`)."""
    return _parse(text, source, validate, user)[0]


def _parse(
    text: str, source: str, validate: bool = True, user: bool = False
) -> tuple[tuple[Rule, ...], tuple[Allowlist, ...]]:
    """The file's rules (each with the file's global allowlist) and that global allowlist."""
    from credmigrate.config import toml_module  # the parser, only when a rule file is read

    tomllib = toml_module()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{source}: invalid TOML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # a huge integer, deep nesting
        raise RuleError(f"{source}: invalid TOML: {type(exc).__name__}") from None
    global_allow = _allowlists(data, source, validate)
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise RuleError(f"{source}: [[rules]] must be an array of tables")
    parsed = tuple(_rule(r, source, global_allow, validate) for r in rules)
    if user:
        global_allow = tuple(a._replace(user=True) for a in global_allow)
        parsed = tuple(
            r._replace(user=True, allowlists=tuple(a._replace(user=True) for a in r.allowlists))
            for r in parsed
        )
    return parsed, global_allow


def load_rule_file(path: Path, *, validate: bool = True, user: bool = False) -> tuple[Rule, ...]:
    return _load(path, validate, user)[0]


def _load(
    path: Path, validate: bool = True, user: bool = False
) -> tuple[tuple[Rule, ...], tuple[Allowlist, ...]]:
    try:
        text = atomic.read_input(path, what="rule file")
    except FileNotFoundError:
        raise RuleError(f"rule file not found: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RuleError(f"cannot read rule file {path}: {reason}") from None
    return _parse(text, str(path), validate, user)


def builtin_rule_dir() -> Path:
    """The shipped rules: inside the wheel as ``credmigrate/_rules``, or ``rules/`` in a checkout."""
    # credmigrate/detect/rules.py -> credmigrate/_rules (the path importlib.resources would give
    # for a package on disk, without importing it: zipfile and tempfile come with it)
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "_rules"
    if packaged.is_dir():
        return packaged
    checkout = here.parents[3] / "rules"
    if checkout.is_dir():
        return checkout
    raise RuleError("built-in rules not found: the installation is incomplete")


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    paths = sorted(builtin_rule_dir().glob("*.toml"))
    cached = _cache_load(paths)
    if cached is not None:
        return cached
    out: list[Rule] = []
    for path in paths:
        # Compiled lazily, when a keyword first hits: the hook scans a few files and most rules
        # never run. The test suite compiles every built-in rule.
        out.extend(load_rule_file(path, validate=False))
    rules = tuple(out)
    _cache_store(paths, rules)
    return rules


def _cache_key(paths: Sequence[Path]) -> bytes:
    """The parsed built-in rules are cached (see :mod:`credmigrate.detect.cache`), keyed by the rule
    files' names, sizes and mtimes: parsing TOML costs more than the rest of a hook run."""
    from credmigrate import __version__

    parts = [__version__]
    for p in paths:
        st = p.stat()
        parts.append(f"{p}\0{st.st_size}\0{st.st_mtime_ns}")
    return "\0".join(parts).encode("utf-8", "surrogateescape")


def _cache_load(paths: Sequence[Path]) -> tuple[Rule, ...] | None:
    import marshal  # built in: pickle's import alone is a few percent of a hook run

    from credmigrate.detect import cache

    try:
        blob = cache.load("rules", _cache_key(paths), "marshal")
        if blob is None:
            return None
        return tuple(_rule_from_plain(r) for r in marshal.loads(blob))
    except Exception:  # a stale, foreign or damaged cache is simply rebuilt
        return None


def _cache_store(paths: Sequence[Path], rules: tuple[Rule, ...]) -> None:
    import marshal

    from credmigrate.detect import cache

    with contextlib.suppress(OSError, ValueError):
        payload = marshal.dumps(tuple(_rule_to_plain(r) for r in rules))
        cache.store("rules", _cache_key(paths), "marshal", payload)


_NESTED = {"allowlists": Allowlist, "examples": Example, "negative_examples": Example}


def _rule_to_plain(rule: Rule) -> tuple[Any, ...]:
    """A rule as nested tuples of plain values (what marshal stores)."""
    out: list[Any] = []
    for name, value in zip(Rule._fields, rule, strict=True):
        if name in _NESTED:
            out.append(tuple(tuple(item) for item in value))  # type: ignore[attr-defined]
        elif name == "confidence":
            out.append(rule.confidence.value)
        else:
            out.append(value)
    return tuple(out)


def _rule_from_plain(plain: tuple[Any, ...]) -> Rule:
    values = list(plain)
    for i, name in enumerate(Rule._fields):
        kind = _NESTED.get(name)
        if kind is not None:
            values[i] = tuple(kind(*item) for item in values[i])
        elif name == "confidence":
            values[i] = Confidence(values[i])
    return Rule(*values)


def assemble(
    extra_files: Iterable[Path] = (),
    disabled: Sequence[str] = (),
    *,
    include_builtin: bool = True,
) -> tuple[Rule, ...]:
    """Built-in rules plus extra files, minus disabled ids; later files override same ids.

    A file's global ``[allowlist]`` applies to every rule, as in gitleaks, not only its own.
    """
    by_id: dict[str, Rule] = {}
    if include_builtin:
        for r in builtin_rules():
            by_id[r.id] = r
    global_allows: list[tuple[str, tuple[Allowlist, ...]]] = []
    for path in extra_files:
        file_rules, global_allow = _load(path, user=True)
        for r in file_rules:
            by_id[r.id] = r
        if global_allow:
            global_allows.append((str(path), global_allow))
    for source, allow in global_allows:
        for rid, r in by_id.items():
            if r.source != source:  # the file's own rules carry it already
                by_id[rid] = r._replace(allowlists=r.allowlists + allow)
    unknown = [d for d in disabled if d not in by_id]
    if unknown:
        raise RuleError(f"disabled rule not found: {', '.join(unknown)}")
    return tuple(r for rid, r in by_id.items() if rid not in set(disabled))


__all__ = ["Allowlist", "Example", "Rule", "assemble", "builtin_rules", "compile_regex"]
