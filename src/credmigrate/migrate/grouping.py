"""Grouping findings into secrets: related values become one JSON secret.

One module's module-level values, one config class, one settings dict (``DATABASES``) and one
service's key pair (AWS key id + secret, marked by :attr:`Finding.group`) each become one JSON
secret: fewer secrets, lower cost, one fetch. ``mode="none"`` gives one plain secret per value.

A value is stored once, however many files hold it: the first unit (in sorted order) that holds
a value owns it, and every other location of the same value points at that member, so the same
database password in fourteen files is one stored value, one rotation entry and one cost item.
Values escaped inside a JSON string (``\\n`` in a service-account key) are stored unescaped.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from credmigrate.findings.model import Finding

GROUP_MODES = ("auto", "none")
_KEY_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


def stored_value(f: Finding) -> str:
    """The value to store for ``f``: a JSON file's escapes (``\\n``, ``\\u00e9``) decoded."""
    if "\\" in f.secret and f.path.endswith((".json", ".ipynb")):
        try:
            decoded = json.loads(f'"{f.secret}"')
        except ValueError:
            return f.secret
        if isinstance(decoded, str):
            return decoded
    return f.secret


@dataclass(frozen=True)
class Member:
    """One value inside a secret; every finding here holds the same value."""

    key: str | None  # JSON key; None for a plain-string secret
    findings: tuple[Finding, ...]

    @property
    def secret(self) -> str:
        return stored_value(self.findings[0])


@dataclass(frozen=True)
class Group:
    key: str  # the group's unit: "app/settings", "app/settings/DATABASES", "app/settings/aws"
    module: str  # the template's {module}
    path: str  # the first source path
    members: tuple[Member, ...]

    def value(self) -> str:
        """The secret string to store: JSON for grouped secrets, the bare value otherwise."""
        if len(self.members) == 1 and self.members[0].key is None:
            return self.members[0].secret
        return json.dumps(
            {m.key: m.secret for m in self.members}, sort_keys=True, ensure_ascii=False
        )

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for m in self.members for f in m.findings)


def module_of(path: str) -> str:
    """``src/app/settings.py`` -> ``src/app/settings``; other files keep their name."""
    return path[:-3] if path.endswith(".py") else path


def json_key(f: Finding, setting: str = "") -> str:
    """The JSON key for ``f``: its binding's name, else the setting its line names, else the rule."""
    b = f.binding
    if b is None:
        raw = setting or f.rule_id
    elif b.kind == "dict_key" and "." in b.target:
        raw = b.target.split(".", 1)[1]
    else:
        raw = b.name or f.rule_id
    return _KEY_BAD.sub("_", raw).strip("_") or "value"


def _unit(f: Finding, module: str, pairs: dict[str, str]) -> str:
    b = f.binding
    if f.group and f.group in pairs:
        return pairs[f.group]
    if b is not None and b.kind == "class_attr" and b.scope:
        return f"{module}/{b.scope}"
    if b is not None and b.kind == "dict_key" and b.target:
        return f"{module}/{b.target.split('.', 1)[0]}"
    return module


def _pair_units(findings: Sequence[Finding]) -> dict[str, str]:
    """AWS pairs (and other service pairs): group id -> unit, numbered in source order."""
    firsts: dict[str, Finding] = {}
    sizes: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.group:
            sizes[f.group] += 1
            firsts.setdefault(f.group, f)
    firsts = {gid: f for gid, f in firsts.items() if sizes[gid] > 1}  # a lone half is no pair
    per_module: dict[str, list[str]] = defaultdict(list)
    for gid, f in sorted(firsts.items(), key=lambda kv: kv[1].sort_key()):
        per_module[module_of(f.path)].append(gid)
    units: dict[str, str] = {}
    for module, gids in per_module.items():
        for i, gid in enumerate(gids, 1):
            units[gid] = f"{module}/pair" + ("" if i == 1 else f"_{i}")
    return units


def _members(
    findings: Iterable[Finding], plain: bool, settings: Mapping[str, str]
) -> tuple[Member, ...]:
    by_value: dict[str, list[Finding]] = {}
    for f in findings:
        by_value.setdefault(stored_value(f), []).append(f)
    members: list[Member] = []
    used: set[str] = set()
    for fs in by_value.values():
        base = json_key(fs[0], settings.get(fs[0].fingerprint, ""))
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}_{n}"
        used.add(key)
        members.append(Member(key=None if plain else key, findings=tuple(fs)))
    return tuple(members)


def _one_owner_per_value(units: Mapping[str, list[Finding]]) -> dict[str, list[Finding]]:
    """Move every finding to the first unit (sorted) that holds its value; drop emptied units."""
    owner: dict[str, str] = {}
    for unit in sorted(units):
        for f in units[unit]:
            owner.setdefault(stored_value(f), unit)
    merged: dict[str, list[Finding]] = {}
    for unit in sorted(units):
        for f in units[unit]:
            merged.setdefault(owner[stored_value(f)], []).append(f)
    return merged


def group_findings(
    findings: Sequence[Finding], mode: str = "auto", settings: Mapping[str, str] | None = None
) -> list[Group]:
    """Group live findings into secrets, deterministically (sorted by source position).

    ``settings`` maps a fingerprint to the setting its line names (``SECRET_KEY`` in a YAML or
    .env line), used as the JSON key where the finding has no Python binding.
    """
    names = settings or {}
    ordered = sorted(findings, key=lambda f: f.sort_key())
    pairs = _pair_units(ordered)
    units: dict[str, list[Finding]] = {}
    for f in ordered:
        units.setdefault(_unit(f, module_of(f.path), pairs), []).append(f)
    groups: list[Group] = []
    for unit, fs in sorted(_one_owner_per_value(units).items()):
        if mode == "none":
            for m in _members(fs, plain=False, settings=names):
                assert m.key is not None
                groups.append(
                    Group(
                        key=f"{unit}/{m.key}",
                        module=f"{unit}/{m.key}",
                        path=m.findings[0].path,
                        members=(Member(key=None, findings=m.findings),),
                    )
                )
        else:
            groups.append(
                Group(key=unit, module=unit, path=fs[0].path, members=_members(fs, False, names))
            )
    return groups
