"""The migration plan: one value that ``--dry-run`` shows and ``--yes`` executes.

A :class:`Plan` serialises to JSON with names, keys, fingerprints, hashes and paths, never
values; the values travel beside it in memory (``Plan.values``, excluded from JSON, repr and
equality) and are re-read from the source by fingerprint when a saved plan is applied.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credmigrate import strict
from credmigrate.config import Config
from credmigrate.detect import testcode
from credmigrate.errors import BadInputError, UsageError
from credmigrate.findings.fingerprint import secret_hash
from credmigrate.findings.model import Finding, RewriteOutcome, RewriteStatus, Status
from credmigrate.migrate.code_changes import (
    Flagged,
    flagged_from,
    import_time_notes,
    plan_code_changes,
    step_notes,
)
from credmigrate.migrate.cost import CostEstimate, estimate
from credmigrate.migrate.grouping import GROUP_MODES, Group, group_findings
from credmigrate.migrate.naming import assign_names, check_template, sanitize
from credmigrate.migrate.policy import build_policy

PLAN_VERSION = 1
MAX_TAG_VALUE = 256


@dataclass(frozen=True)
class PlanOptions:
    """Everything besides the findings that shapes the plan."""

    group: str = "auto"
    name_template: str | None = None  # None: the config's template
    prefix: str | None = None  # None: the config's prefix
    region: str = "us-east-1"
    account: str = "*"
    kms_key_id: str | None = None
    replica_regions: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    rotation_lambda: str | None = None
    rotate_after_days: int | None = None
    include_tests: bool = False  # upload values found only in test code too


@dataclass(frozen=True)
class KeyPlan:
    key: str | None  # JSON key, None for a plain secret
    fingerprints: tuple[str, ...]
    locations: tuple[str, ...]  # "path:line (rule)"
    redacted: str


@dataclass(frozen=True)
class SecretPlan:
    name: str
    group: str
    keys: tuple[KeyPlan, ...]
    paths: tuple[str, ...]
    description: str
    tags: tuple[tuple[str, str], ...]
    value_sha256: str
    size: int


@dataclass(frozen=True)
class RotationItem:
    fingerprint: str
    rule_id: str
    location: str
    redacted: str
    status: str  # "history-only" (rotate and purge) or "migrated" (exposed in git: rotate too)
    commit: str = ""


@dataclass(frozen=True)
class Plan:
    repo: str
    options: PlanOptions
    secrets: tuple[SecretPlan, ...]
    rotation: tuple[RotationItem, ...]
    flagged: tuple[Flagged, ...]
    rewrite_paths: tuple[str, ...]  # files the apply step will write
    source_digest: str
    version: int = PLAN_VERSION
    values: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    outcomes: tuple[RewriteOutcome, ...] = field(default=(), repr=False, compare=False)
    rewrite_available: bool = field(default=True, compare=False)
    # What a human must know before applying (skipped values, modules that fetch at import,
    # committed bytecode, dependency steps). Recomputed from the source, never serialised.
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.secrets]

    def cost(self) -> CostEstimate:
        return estimate(len(self.secrets), len(self.options.replica_regions))

    def policy(self, exact_arns: Sequence[str] = ()) -> dict[str, Any]:
        o = self.options
        return build_policy(
            self.names,
            region=o.region,
            account=o.account,
            replica_regions=o.replica_regions,
            kms_key_id=o.kms_key_id,
            exact_arns=exact_arns,
        )

    def diff(self) -> str:
        return "".join(o.diff for o in self.outcomes if o.diff)

    def to_json(self) -> str:
        data = _to_data(self)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _to_data(plan: Plan) -> dict[str, Any]:
    def conv(obj: Any) -> Any:
        if hasattr(obj, "__dataclass_fields__"):
            return {
                k: conv(getattr(obj, k))
                for k, f in obj.__dataclass_fields__.items()
                if f.compare  # values, outcomes: never serialised
            }
        if isinstance(obj, tuple | list):
            return [conv(x) for x in obj]
        return obj

    data: dict[str, Any] = conv(plan)
    data["credmigrate_plan"] = data.pop("version")
    return data


def plan_from_json(text: str) -> Plan:
    """Load a saved plan (no values: apply re-reads them from the source by fingerprint).

    Every field is checked against its type (:func:`credmigrate.strict.build`): a saved plan is
    a file anyone can edit, and a wrong type must fail here, naming the field."""
    try:
        d = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadInputError(f"invalid plan file: not JSON ({type(exc).__name__})") from None
    if not isinstance(d, dict) or d.get("credmigrate_plan") != PLAN_VERSION:
        raise BadInputError("not a credmigrate plan file (or from another version)")
    return strict.build(Plan, d, "invalid plan file", skip=("credmigrate_plan", *_NOT_SAVED))


_NOT_SAVED = tuple(f.name for f in dataclasses.fields(Plan) if not f.compare)


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in items)


def _tag_value(text: str) -> str:
    allowed = "".join(c if c.isalnum() or c in " _.:/=+-@" else "_" for c in text)
    return allowed[:MAX_TAG_VALUE]


def _secret_plan(g: Group, name: str, repo: str, opts: PlanOptions, config: Config) -> SecretPlan:
    value = g.value()
    paths = tuple(sorted({f.path for f in g.findings}))
    fps = sorted(f.fingerprint for f in g.findings)
    tags: dict[str, str] = {
        "credmigrate:repo": _tag_value(repo),
        "credmigrate:path": _tag_value(",".join(paths)),
        "credmigrate:fingerprint": hashlib.sha256("\n".join(fps).encode()).hexdigest()[:40],
    }
    tags.update(config.tags)
    tags.update(dict(opts.tags))
    keys = tuple(
        KeyPlan(
            key=m.key,
            fingerprints=tuple(f.fingerprint for f in m.findings),
            locations=tuple(f"{f.path}:{f.line} ({f.rule_id})" for f in m.findings),
            redacted=m.findings[0].redacted,
        )
        for m in g.members
    )
    return SecretPlan(
        name=name,
        group=g.key,
        keys=keys,
        paths=paths,
        description=f"Migrated by credmigrate from {repo}: {', '.join(paths)}"[:2048],
        tags=tuple(sorted(tags.items())),
        value_sha256=secret_hash(value),
        size=len(value.encode("utf-8")),
    )


def source_digest(root: Path | None, paths: Sequence[str]) -> str:
    h = hashlib.sha256()
    for p in sorted(set(paths)):
        h.update(p.encode("utf-8", "surrogateescape") + b"\0")
        if root is not None:
            try:
                h.update(hashlib.sha256((root / p).read_bytes()).digest())
            except OSError:
                h.update(b"<missing>")
    return h.hexdigest()


def _split_test_code(
    live: list[Finding], include_tests: bool
) -> tuple[list[Finding], list[Finding]]:
    """(to migrate, test values left in place). A test value also used by the application's
    own code is migrated with it; one found only in test code is never uploaded by default."""
    if include_tests:
        return live, []
    app_values = {f.secret for f in live if not testcode.is_test_code(f)}
    keep = [f for f in live if f.secret in app_values]
    return keep, [f for f in live if f.secret not in app_values]


def _test_flags(in_tests: Sequence[Finding]) -> tuple[Flagged, ...]:
    by_path: dict[tuple[str, str], list[Finding]] = {}
    for f in sorted(in_tests, key=Finding.sort_key):
        by_path.setdefault((f.path, testcode.why(f)), []).append(f)
    return tuple(
        Flagged(
            path,
            f"{why}: not uploaded",
            f"{path}:{', '.join(str(f.line) for f in fs)}: keep an obviously fake value in the "
            "test, or read it from a fixture or the environment; --include-tests migrates it",
            tuple(dict.fromkeys(f.fingerprint for f in fs)),
        )
        for (path, why), fs in by_path.items()
    )


_SCHEME_ONLY = frozenset({"bearer", "basic", "token", "digest", "bot", "apikey", "api-key", "jwt"})
_SETTING = re.compile(
    r"""^\s*(?:#\s*)?(?:-\s*)?(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]"""
)


def is_scheme_only(value: str) -> bool:
    """``'Bearer '``, ``'Basic'``, ``'token:'``: an auth scheme with no credential after it."""
    return value.strip().rstrip(":").lower() in _SCHEME_ONLY or not value.strip()


def setting_names(root: Path | None, findings: Sequence[Finding]) -> dict[str, str]:
    """Fingerprint -> the setting a line names (``SECRET_KEY: ...``, ``- PW=...``, ``# K = ...``).

    Used for findings without a Python binding: config files, and a value whose first place in a
    Python file is a commented-out assignment.
    """
    out: dict[str, str] = {}
    if root is None:
        return out
    lines: dict[str, list[str]] = {}
    for f in findings:
        if f.binding is not None:  # Python with a binding: its name is the key already
            continue
        if f.path not in lines:
            try:
                text = (root / f.path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            lines[f.path] = text.splitlines()
        got = lines[f.path]
        if 0 < f.line <= len(got):
            line = got[f.line - 1]
            m = _SETTING.match(line[: max(0, f.span.column - 1)]) or _SETTING.match(line)
            if m:
                out[f.fingerprint] = m.group(1)
    return out


def _rotation(findings: Sequence[Finding], live_values: set[str]) -> tuple[RotationItem, ...]:
    """History-only values, one entry per distinct value (its first location, then the rest)."""
    seen: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.sort_key()):
        history_only = f.status == Status.HISTORY_ONLY and f.secret not in live_values
        if history_only and not is_scheme_only(f.secret):
            seen.setdefault(f.secret, []).append(f)
    out: list[RotationItem] = []
    for fs in seen.values():
        f = fs[0]
        where = [f"{x.path}:{x.line}" for x in fs]
        out.append(
            RotationItem(
                fingerprint=f.fingerprint,
                rule_id=f.rule_id,
                location="; ".join(dict.fromkeys(where)),
                redacted=f.redacted,
                status=str(Status.HISTORY_ONLY),
                commit=f.commit.sha if f.commit else "",
            )
        )
    return tuple(out)


def build_plan(
    findings: Sequence[Finding],
    config: Config,
    repo_name: str,
    options: PlanOptions,
    root: Path | None = None,
    *,
    progress: bool = False,
) -> Plan:
    """Group live findings into secrets, name them, and (with ``root``) plan the code changes.

    ``progress`` shows a bar while the codemod plans the rewrites (on a terminal only).

    History-only findings go on the rotation list. Deterministic for the same input.
    """
    if options.group not in GROUP_MODES:
        raise UsageError(f"--group must be one of: {', '.join(GROUP_MODES)}")
    template = options.name_template or config.name_template
    check_template(template)
    notes: list[str] = []
    live = [f for f in findings if f.status != Status.HISTORY_ONLY]
    bare = [f for f in live if is_scheme_only(f.secret)]
    if bare:
        where = ", ".join(f"{f.path}:{f.line}" for f in bare[:5])
        notes.append(
            f"{len(bare)} value(s) are an auth scheme with no credential (e.g. 'Bearer '): "
            f"not migrated, not on the rotation list ({where})"
        )
        live = [f for f in live if not is_scheme_only(f.secret)]
    live_values = {f.secret for f in live}  # a value also live elsewhere is migrated, not listed
    live, in_tests = _split_test_code(live, options.include_tests)
    groups = group_findings(live, options.group, setting_names(root, live))
    repo = sanitize(repo_name) or "repo"
    prefix = options.prefix if options.prefix is not None else config.prefix
    names = assign_names(
        template,
        [
            (
                g.key,
                {
                    "prefix": prefix,
                    "repo": repo,
                    "module": g.module,
                    "path": g.path,
                    "key": g.key.rsplit("/", 1)[-1],
                },
                [f.secret for f in g.findings],
            )
            for g in groups
        ],
    )
    secrets = tuple(_secret_plan(g, names[g.key], repo_name, options, config) for g in groups)
    values = {names[g.key]: g.value() for g in groups}
    rotation = _rotation(findings, live_values)
    outcomes, available = plan_code_changes(root, groups, names, config, progress=progress)
    notes.extend(  # the generated accessor(s): where, and which files import them from there
        f"{o.path} (generated): {o.reason}"
        for o in outcomes
        if o.status == RewriteStatus.REWRITTEN and o.reason and o.diff.startswith("--- /dev/null")
    )
    notes.extend(
        f"{o.path}: {o.reason}"
        for o in outcomes
        if o.status == RewriteStatus.REWRITTEN and "environment override" in o.reason
    )
    notes.extend(step_notes(outcomes, groups))
    notes.extend(import_time_notes(outcomes, groups))
    flagged = flagged_from(outcomes, groups, names, available) + _test_flags(in_tests)
    rewrite_paths = tuple(
        sorted(o.path for o in outcomes if o.status == RewriteStatus.REWRITTEN and o.diff)
    )
    digest_paths = [f.path for f in live] + [o.path for o in outcomes]
    return Plan(
        repo=repo_name,
        options=options,
        secrets=secrets,
        rotation=rotation,
        flagged=flagged,
        rewrite_paths=rewrite_paths,
        source_digest=source_digest(root, digest_paths),
        values=values,
        outcomes=tuple(outcomes),
        rewrite_available=available,
        notes=tuple(notes),
    )
