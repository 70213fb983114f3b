"""Secret names: valid for Secrets Manager, deterministic, collision-free, free of secret data.

Names, descriptions and tags show up in CloudTrail and in consoles, so a name is built only from
the template, the repository name and the group's path/identifiers, never from a value; if a
value happens to appear in a candidate name, the name falls back to a hash of the group key.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable, Mapping, Sequence

from credmigrate.errors import UsageError

MAX_NAME = 512
ALLOWED = frozenset(string.ascii_letters + string.digits + "/_+=.@-")
_BAD = re.compile(r"[^A-Za-z0-9/_+=.@-]+")
_SLASHES = re.compile(r"/{2,}")
TEMPLATE_FIELDS = frozenset({"prefix", "repo", "module", "path", "key"})
MIN_SECRET_IN_NAME = 4  # a shorter value would match by accident everywhere


def is_valid_name(name: str) -> bool:
    """True if Secrets Manager accepts ``name`` and won't confuse it with an ARN suffix."""
    return (
        1 <= len(name) <= MAX_NAME
        and all(c in ALLOWED for c in name)
        and not (len(name) >= 7 and name[-7] == "-")
    )


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def sanitize(raw: str) -> str:
    """Map any string onto the allowed alphabet; the result may still need a suffix fix-up."""
    text = _BAD.sub("_", raw)
    text = _SLASHES.sub("/", text).strip("/")
    return text


def _fix_suffix(name: str) -> str:
    # "foo-abcdef" would read as "name + random ARN suffix": break the pattern.
    if len(name) >= 7 and name[-7] == "-":
        name = name[:-7] + "_" + name[-6:]
    return name


def _fit(name: str, key: str) -> str:
    if len(name) > MAX_NAME:
        tail = "_" + short_hash(key, 12)
        name = name[: MAX_NAME - len(tail)].rstrip("/") + tail
    return name


def check_template(template: str) -> None:
    """Reject a template with unknown fields or without ``{module}``/``{path}``/``{key}``."""
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    unknown = fields - TEMPLATE_FIELDS
    if unknown:
        raise UsageError(
            f"unknown field(s) in name template: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(TEMPLATE_FIELDS))})"
        )
    if not fields & {"module", "path", "key"}:
        raise UsageError("the name template must contain {module}, {path} or {key}")


def render_name(template: str, fields: Mapping[str, str], group_key: str) -> str:
    """One name from a template: sanitized, fitted, suffix-safe. Deterministic."""
    raw = template.format(**{f: fields.get(f, "") for f in TEMPLATE_FIELDS})
    name = sanitize(raw) or "secret_" + short_hash(group_key)
    return _fix_suffix(_fit(name, group_key))


def contains_secret(name: str, secrets: Iterable[str]) -> bool:
    return any(len(s) >= MIN_SECRET_IN_NAME and s in name for s in secrets)


def assign_names(
    template: str,
    groups: Sequence[tuple[str, Mapping[str, str], Sequence[str]]],
    taken: Iterable[str] = (),
) -> dict[str, str]:
    """Names for ``(group_key, fields, secret_values)`` triples: group_key -> name.

    Groups are named in sorted key order so the result doesn't depend on input order; a
    collision gets a short hash of the group key (never of a value) appended.
    """
    used = set(taken)
    out: dict[str, str] = {}
    for key, fields, secrets in sorted(groups, key=lambda g: g[0]):
        name = render_name(template, fields, key)
        if contains_secret(name, secrets):
            safe = {f: ("" if f in {"module", "path", "key"} else v) for f, v in fields.items()}
            safe["module"] = "group_" + short_hash(key, 12)
            name = render_name(template.replace("{path}", "").replace("{key}", ""), safe, key)
            if "{module}" not in template:
                name = render_name("{prefix}/{repo}/{module}", safe, key)
            if contains_secret(name, secrets):
                name = "secret_" + short_hash(key, 16)
        base, n = name, 1
        while name in used:
            n += 1
            suffix = f"_{short_hash(f'{key}#{n}')}"
            name = _fix_suffix(_fit(base[: MAX_NAME - len(suffix)] + suffix, key))
        used.add(name)
        out[key] = name
    return out
