"""False-positive filters: plain functions over a candidate value (and its line).

Each returns a short reason when the value is not a secret, or ``None``. Generic rules run all of
them; provider rules (whose format is already specific) only the placeholder and example checks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

_PLACEHOLDER_WORDS = frozenset(
    [
        "changeme",
        "abc123",
        "abcdef",
        "123456",
        "1234567",
        "12345678",
        "123456789",
        "1234567890",
        "qwerty",
        "foobar",
        "hunter2",
        "mysecret",
        "supersecret",
        "topsecret",
        "change_me",
        "changeit",
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "yourpassword",
        "your_password",
        "mypassword",
        "my_password",
        "example",
        "sample",
        "dummy",
        "fake",
        "test",
        "testing",
        "placeholder",
        "redacted",
        "removed",
        "hidden",
        "none",
        "null",
        "nil",
        "undefined",
        "todo",
        "fixme",
        "xxx",
        "foo",
        "bar",
        "baz",
        "qux",
        "password123",
        "pass",
        "pwd",
        "secretkey",
        "secret_key",
        "your_secret_key",
        "your_api_key",
        "insert_here",
        "replace_me",
        "replaceme",
        "notasecret",
        "not_a_secret",
        "default",
        "admin",
        "root",
        "user",
        "username",
        "letmein",
        "anonymous",
        "guest",
    ]
)

_TEMPLATE = re.compile(
    r"""^(?:
        \$\{[^}]*\}            # ${VAR}
      | \$\([^)]*\)            # $(cmd)
      | \$[A-Za-z_][A-Za-z0-9_]*  # $VAR
      | %\([^)]*\)s            # %(name)s
      | %[A-Za-z_][A-Za-z0-9_]*%  # %VAR%
      | \{\{.*\}\}             # {{ var }}
      | \{[A-Za-z_][\w.]*\}    # {var} (format field)
      | <[^<>]{1,60}>          # <your-key>
      | \[[^\[\]]{1,60}\]      # [your key]
      | __[A-Z0-9_]+__         # __TOKEN__
      | @[A-Za-z_]+@           # @VAR@
      | \#\{[^}]*\}            # #{var}
      | ENC\(.*\)              # jasypt-encrypted
    )$""",
    re.VERBOSE,
)
_CONTAINS_TEMPLATE = re.compile(r"\$\{[^}]+\}|\{\{[^}]+\}\}|<%=?|%\([a-z_]+\)s|#\{[^}]+\}")
_REPEATED = re.compile(r"^(.)\1{3,}$|^(?:x{3,}|X{3,}|\*{3,}|\.{3,}|-{3,}|_{3,}|#{3,})$")
_MASK = re.compile(r"(?:x{4,}|X{4,}|\*{4,}|•{3,}|0{8,}|\.{4,}|_{4,})")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
_SRI = re.compile(r"^(?:sha(?:1|256|384|512))[-:][A-Za-z0-9+/=]{20,}$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")
_IMPORT_PATH = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+:[A-Za-z_][\w.]*$")
_FUNC_CALL = re.compile(r"^[A-Za-z_][\w.]*\(.*\)$")
_ENV_LOOKUP = re.compile(
    r"(?:os\.environ|os\.getenv|getenv|process\.env|ENV\[|System\.getenv|env\(|config\(|secrets\.)",
)
_PATHLIKE = re.compile(r"^(?:[./~]|[A-Za-z]:\\)[\w./\\-]*$|^[\w-]+(?:/[\w.-]+)+/?$")
_WORDY = re.compile(r"^[a-z]+(?:[ _-][a-z]+)+$|^[A-Za-z][a-z]+(?: [A-Za-z][a-z]+)+[.!?]?$")
_EXAMPLE = re.compile(
    r"EXAMPLE|example|sample|dummy|placeholder|your[_-]?|my[_-]?secret|fake|dummy", re.I
)
_LOCK_FILES = re.compile(
    r"(?:^|/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|"
    r"Cargo\.lock|go\.sum|composer\.lock|Gemfile\.lock|uv\.lock|pdm\.lock|.*\.lock)$"
)
_PUBLIC_KEY = re.compile(
    r"-----BEGIN (?:[A-Z ]+ )?(?:PUBLIC KEY|CERTIFICATE)-----|^ssh-(?:rsa|ed25519|dss) |^ecdsa-sha2-"
)


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def is_lock_file(path: str) -> bool:
    return bool(_LOCK_FILES.search(path))


def placeholder(value: str) -> str | None:
    v = value.strip()
    if not v:
        return "empty"
    low = v.lower()
    if low in _PLACEHOLDER_WORDS or low.strip("<>[]{}()'\"*_-. ") in _PLACEHOLDER_WORDS:
        return "placeholder"
    if _TEMPLATE.match(v) or _CONTAINS_TEMPLATE.search(v):
        return "template"
    if _REPEATED.match(v) or _MASK.search(v):
        return "masked"
    if len(set(low)) <= 2:
        return "repetitive"
    return None


def documented_example(value: str) -> str | None:
    if value.endswith("EXAMPLE") or "EXAMPLEKEY" in value:
        return "documented example key"
    if _EXAMPLE.search(value) and len(value) < 48:
        return "example value"
    return None


_UUID_DASHED = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def uuid_like(value: str) -> str | None:
    """A UUID written as one (with dashes): 32 bare hex digits bound to a name are often API keys."""
    return "uuid" if _UUID_DASHED.match(value.strip()) else None


def hash_like(value: str) -> str | None:
    v = value.strip()
    if _UUID.match(v):
        return "uuid"
    if _HEX.match(v) and len(v) in {32, 40, 56, 64, 96, 128}:
        return "hex digest"
    if _SRI.match(v):
        return "integrity hash"
    return None


def not_a_value(value: str) -> str | None:
    """Values that are code or prose, not credentials."""
    v = value.strip()
    if _IDENTIFIER.match(v) or _FUNC_CALL.match(v) or _IMPORT_PATH.match(v):
        return "identifier"
    if _ENV_LOOKUP.search(v):
        return "environment lookup"
    if _PATHLIKE.match(v) and "/" in v and not any(c.isdigit() for c in v.split("/")[-1]):
        return "path"
    if _WORDY.match(v):
        return "words"
    words = v.split()
    if (
        len(words) >= 3
        and sum(w.strip(".,:;!?'\"()").isalpha() for w in words) * 3 >= len(words) * 2
    ):
        return "sentence"
    if v.startswith(("http://", "https://")) and "@" not in v:
        return "url"
    return None


def public_material(value: str) -> str | None:
    return "public key or certificate" if _PUBLIC_KEY.search(value) else None


def line_is_env_lookup(line: str) -> bool:
    return bool(_ENV_LOOKUP.search(line))


GENERIC_FILTERS: tuple[Callable[[str], str | None], ...] = (
    placeholder,
    documented_example,
    hash_like,
    not_a_value,
    public_material,
)
PROVIDER_FILTERS: tuple[Callable[[str], str | None], ...] = (placeholder, documented_example)


NAMED_FILTERS: tuple[Callable[[str], str | None], ...] = (
    placeholder,
    uuid_like,
    documented_example,
    not_a_value,
    public_material,
)


def reject_reason(value: str, generic: bool, named: bool = False) -> str | None:
    """Why ``value`` is not a secret, or None.

    ``named``: the value is bound to a secret-like name (``api_token = ...``). Hex strings are then
    not discarded as digests: many API keys and tokens are 32 or 40 hex characters.
    """
    chosen = (NAMED_FILTERS if named else GENERIC_FILTERS) if generic else PROVIDER_FILTERS
    for f in chosen:
        reason = f(value)
        if reason:
            return reason
    return None


_BAD_NAME_SUFFIX = re.compile(
    r"(?i)(?:_|-|\.|\b|(?<=[a-z]))(?:url|uri|urls|path|paths|file|files|filename|dir|name|names|"
    r"type|types|field|fields|id|ids|hash|hashed|digest|length|len|min|max|size|count|prompt|label|"
    r"msg|message|placeholder|format|regex|pattern|header|endpoint|env|var|policy|help|template|"
    r"version|enabled|enable|disabled|expiry|expires|expiration|ttl|timeout|class|mode|kind|"
    r"reset|required|validator|validation|input|id_key|param|params|prefix|suffix|"
    r"arn|location|provider|strategy|source|backend|style|column|attr|attribute|option|options|"
    r"error|errors|title|text|description|desc|link|route|view|form|button|char|chars|"
    r"characters|policy_name|store|storage|manager|service|command|cmd|method|algorithm|alg|"
    r"scope|scopes|audience|issuer|index|idx|number|num|confirm|confirmation|changed|"
    r"visible|hint|key_name|key_id|keyid|secret_name|secret_id|secret_arn)$"
)
_SECRET_WORD = re.compile(r"(?i)pass|pwd|secret|token|key|credential|auth|salt")
_NON_SECRET_NAMES = re.compile(
    r"(?i)^(?:.*(?:public|pub)[_.\-]?key.*|.*key(?:board|word|words|space|stroke|code|s)|"
    r"(?:foreign|primary|unique|sort|partition|cache|dict|map|hash|lookup|group|order|idempotency|"
    r"translation|i18n|l10n|row|col|column|index|registry|mapping|signal|event|setting|settings|"
    r"config|option|api_version|object|s3_object|bucket|bucket_key|cursor)[_.\-]?key[s]?|"
    r"token[_.\-]?type|.*bypass.*|.*passthrough.*|.*passive.*|.*compass.*|.*passenger.*|"
    r"pass(?:ed|es|ing)|.*password[_.\-]?(?:policy|reset|change|strength|rules?|expir\w*|"
    r"validators?|hasher|hashers|length|hint|prompt|label|input|field|form)s?|.*tokeni[sz]\w*)$"
)


def name_reason(name: str, value: str) -> str | None:
    """Names that look secret-ish but hold something else (``token_url``, ``password_field``)."""
    n = name.strip("'\"`$@.[]-")
    if not _SECRET_WORD.search(n):
        return "name"
    last = re.split(r"\.|->|::", n)[-1]
    if not _SECRET_WORD.search(last):
        return "secret word is not in the last part of the name"
    if _BAD_NAME_SUFFIX.search(n):
        return "name is metadata"
    if _NON_SECRET_NAMES.match(n):
        return "name is not a secret"
    if n.lower() in {"pass", "key", "token", "secret"} and len(value) < 8:
        return "short value"
    del value
    return None


_LOW_SIGNAL_PATH = re.compile(
    r"(?i)(?:^|/)(?:docs?|documentation|examples?|samples?|tests?|testing|spec|specs|fixtures?|"
    r"__tests__|testdata|test_data)/|(?:^|/)(?:test_[^/]*|[^/]*_test|conftest)\.py$|"
    r"\.(?:md|markdown|rst|adoc|ipynb)$|(?:^|/)(?:README|CHANGELOG|CHANGES|HISTORY)[^/]*$"
)


def low_signal_path(path: str) -> bool:
    """Documentation, tests and examples: where sample credentials are the norm."""
    return bool(_LOW_SIGNAL_PATH.search(path))
