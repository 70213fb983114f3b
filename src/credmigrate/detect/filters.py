"""False-positive filters: plain functions over a candidate value (and its line).

Each returns a short reason when the value is not a secret, or ``None``. Generic rules run all of
them; provider rules (whose format is already specific) only the placeholder and example checks.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from credmigrate.detect import lazyre as re  # regexes compiled on first use


def _words(text: str) -> frozenset[str]:
    """A set of whitespace-separated words."""
    return frozenset(text.split())


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
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "enabled",
        "disabled",
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
_CONTAINS_TEMPLATE = re.compile(
    r"\$\{[^}]+\}|\{\{[^}]+\}\}|<%=?|%\([a-z_]+\)s|#\{[^}]+\}|%[A-Za-z_][A-Za-z0-9_]*%"
)
_REPEATED = re.compile(r"^(.)\1{3,}$|^(?:x{3,}|X{3,}|\*{3,}|\.{3,}|-{3,}|_{3,}|#{3,})$")
_MASK = re.compile(r"(?:x{4,}|X{4,}|\*{4,}|•{3,}|0{8,}|\.{4,}|_{4,})")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
_SRI = re.compile(r"^(?:sha(?:1|256|384|512))[-:][A-Za-z0-9+/=]{20,}$")
# {SHA}..., {SSHA}..., {CRYPT}$6$..., {bcrypt}$2a$... (LDAP / Spring / dovecot password storage)
_SCHEME_HASH = re.compile(
    r"^\{[A-Za-z0-9_.-]{2,20}\}\S{8,}$|^\$(?:2[abxy]?|[156]|argon2\w*|pbkdf2[\w-]*|scrypt)\$\S{8,}$"
)
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
    if "%" in low:  # URL-encoded: pass%20pass
        from urllib.parse import unquote

        low = unquote(low)
    parts = [p for p in _NON_ALNUM.split(low) if p]
    if len(parts) > 1 and all(p in _PLACEHOLDER_WORDS for p in parts):
        return "placeholder words"  # pass pass, user_password, my-secret
    return None


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


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
    if _SCHEME_HASH.match(v):
        return "password hash"
    return None


_WORDY_SPACED = re.compile(r"^[a-z]+(?: [a-z]+)+$|^[A-Za-z][a-z]+(?: [A-Za-z][a-z]+)+[.!?]?$")
_REGEX_LIKE = re.compile(r"\[[^\]]{1,20}\][{*+]|\\[dws][{*+]|\(\?[:=!<]")
_RUN = re.compile(r"(.)\1{5,}")
_SEQUENCES = (
    "0123456789",
    "9876543210",
    "abcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcba",
    "qwertyuiop",
    "asdfghjkl",
    "lkjhgfdsa",
    "zxcvbnm",
)


def sequential_share(value: str) -> float:
    """Share of ``value`` made of runs of 4+ consecutive characters of 0123.., abcd.., qwer.."""
    low = value.lower()
    covered = [False] * len(low)
    for seq in _SEQUENCES:
        for i in range(len(seq) - 3):
            chunk = seq[i : i + 4]
            at = low.find(chunk)
            while at != -1:
                for k in range(at, at + 4):
                    covered[k] = True
                at = low.find(chunk, at + 1)
    return sum(covered) / len(low) if low else 0.0


def fake_shape(value: str) -> str | None:
    """Shapes of made-up values: runs of one character, keyboard or alphabet sequences, regexes,
    a trailing ellipsis."""
    v = value.strip()
    run = max((len(m.group(0)) for m in _RUN.finditer(v)), default=0)
    if run and run * 3 >= len(v):
        return "run of one character"
    if len(v) >= 8 and sequential_share(v) > 0.5:
        return "sequential characters"
    if _REGEX_LIKE.search(v):
        return "regular expression"
    if v.endswith(("...", "\u2026")) or "\u2026" in v:
        return "elided"
    if _CODE_BETWEEN_STRINGS.search(v):
        return "code between two strings"
    return None


_CODE_BETWEEN_STRINGS = re.compile(r"^\s*\+\s|\s\+\s*$")


def named_not_a_value(value: str) -> str | None:
    """:func:`not_a_value` for a value bound to a secret-like name: ``word_word`` values are left
    to the scorer (random passwords are often joined with ``_`` or ``-``)."""
    v = value.strip()
    if _WORDY.match(v) and not _WORDY_SPACED.match(v):
        return None if v.lower() == v else not_a_value(v)
    return not_a_value(v)


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
    fake_shape,
)
PROVIDER_FILTERS: tuple[Callable[[str], str | None], ...] = (placeholder, documented_example)


def scheme_hash(value: str) -> str | None:
    return "password hash" if _SCHEME_HASH.match(value.strip()) else None


NAMED_FILTERS: tuple[Callable[[str], str | None], ...] = (
    placeholder,
    scheme_hash,
    uuid_like,
    documented_example,
    named_not_a_value,
    public_material,
    fake_shape,
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
_SECRET_WORD = re.compile(
    r"(?i)pass|pwd|secret|token|key|credential|auth|salt|nonce|verifier|(?:^|[_.\-])pw$"
)
_NON_SECRET_NAMES = re.compile(
    r"(?i)^(?:.*(?:public|pub)[_.\-]?key.*|.*key(?:board|word|words|space|stroke|code|s)|"
    r"(?:foreign|primary|unique|sort|partition|cache|dict|map|hash|lookup|group|order|idempotency|"
    r"translation|i18n|l10n|row|col|column|index|registry|mapping|signal|event|setting|settings|"
    r"config|option|api_version|object|s3_object|bucket|bucket_key|cursor)[_.\-]?key[s]?|"
    r"token[_.\-]?type|.*bypass.*|.*passthrough.*|.*passive.*|.*compass.*|.*passenger.*|"
    r"pass(?:ed|es|ing)|.*password[_.\-]?(?:policy|reset|change|strength|rules?|expir\w*|"
    r"validators?|hasher|hashers|length|hint|prompt|label|input|field|form)s?|.*tokeni[sz]\w*)$"
)


_NAME_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_VALUE_SUFFIXES = frozenset(
    ["value", "val", "str", "string", "data", "b64", "base64", "hex", "raw", "plain", "bytes", "pw"]
    + [str(i) for i in range(10)]
)
_NON_SECRET_TAILS = _words(
    "usage usages size sizes length len type types name names id ids path paths file files url uri"
    " endpoint format mode prefix suffix count field fields label hint policy policies store"
    " manager provider service helper handler factory builder util utils class spec template"
    " pattern regex validator validation strength expiry expires expiration ttl timeout header"
    " param params column attr attribute index version enabled required changed reset prompt"
    " input form button view page route link dir folder list map set cache alias encryption"
    " encrypt encrypted hashing complexity"
)
_WORD_WITH_KEY = re.compile(
    r"(?:mon|tur|hoc|joc|don|whis|mic|luc|lac|jer|pes|bac|tur)key|keyboard|keynote|keystroke"
    r"|passenger|passage|passive|compass|bypass|surpass|trespass|tokeniz\w*|secretar\w*"
)
_PASSWORD_NAME = re.compile(r"(?i)passw|passwd|pwd|passphrase")


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
    parts = [p.lower() for p in _NAME_PARTS.findall(last)]
    if parts and parts[-1] in _NON_SECRET_TAILS:
        # the secret word is not the name's head: keyUsage, tokenizerPath, passengerCount
        return "name continues past the secret word"
    if any(_WORD_WITH_KEY.search(p) for p in parts):
        return "an ordinary word that contains a secret word"
    if value.strip().lower() == "".join(parts) or value.strip().lower() in {p for p in parts}:
        return "value repeats the name"
    words = [w for w in re.split(r"[^a-z]+", value.lower()) if len(w) >= 3]
    if words and all(w in parts for w in words):
        return "value made of the name's words"  # ETCD_CLUSTER_TOKEN=etcd_cluster
    if n.lower() == "key" and len(value) < 16:
        return "bare 'key' with a short value"
    if n.lower() in {"key", "token", "secret", "auth", "pass"} and any(c.isspace() for c in value):
        return "bare name with a value that has spaces"
    v = value.strip()
    if (
        any(c.isspace() for c in v)
        and not _PASSWORD_NAME.search(n)
        and (len(v) < 32 or shannon_entropy(v) < 4.5)
    ):
        return "value with spaces bound to a key or token name"
    return None


_PRINTABLE = re.compile(r"^[\x21-\x7e][\x20-\x7e]*$")


def basic_auth_reason(value: str) -> str | None:
    """Why an HTTP Basic credential is not one: it must be base64 of ``user:password`` with a
    password that is not a placeholder (``Basic login_and_password_removed`` is not)."""
    import base64
    import binascii

    v = value.strip()
    try:
        raw = base64.b64decode(v + "=" * (-len(v) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return "not base64"
    if ":" not in text or not _PRINTABLE.match(text):
        return "not user:password"
    user, _, password = text.partition(":")
    if not user.strip() or not password:
        return "no password"
    reason = placeholder(password) or documented_example(password)
    if reason:
        return reason
    if _TEMPLATE.match(password) or _CONTAINS_TEMPLATE.search(password):
        return "template"
    return None


_USER_FIELD = re.compile(
    r"""(?i)\b(?:user(?:name)?|login|uid|user[_ ]?id)['"]?\s*(?:=|:|=>)\s*['"]?([^\s'"&;,]+)"""
)


def same_as_user(value: str, line: str) -> bool:
    """A password equal to the user name on the same line (``user=app password=app``,
    ``postgres:postgres``) is a local default, not a credential worth reporting."""
    v = value.strip()
    return any(m.group(1) == v for m in _USER_FIELD.finditer(line))


_CONCATENATED = re.compile(
    r"""^\s*(?:\+(?![+=])|\.\.(?!\.)|%\s*[\w(]|\.\s*(?:format|concat|join)\()"""
)
# a bare lower-case word next (not ``NEXT_KEY=value``, ``https://``): prose, not a config line
_PROSE_AFTER = re.compile(r"^[ \t]+[a-z]{2,}\b(?![\w.\-]*\s*[=:])")


def partial_value(after: str, quoted: bool) -> bool:
    """The text after a match shows the value is only part of one: a quoted string that is
    concatenated or formatted (``"tampered-" + value``), or an unquoted word followed by prose
    (``credentials: provider keys for the ...`` in a README)."""
    return bool((_CONCATENATED if quoted else _PROSE_AFTER).match(after))
