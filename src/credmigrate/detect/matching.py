"""Match post-processing shared by the detector: secret groups, allowlists, de-duplication and
pairing. Pure functions over matches and findings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from credmigrate.detect.rules import Rule
from credmigrate.findings.model import Confidence, Finding

CONF_ORDER = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def secret_group(rule: Rule, m: re.Match[str]) -> int:
    if rule.secret_group:
        return rule.secret_group if m.group(rule.secret_group) is not None else 0
    if "secret" in m.re.groupindex and m.group("secret") is not None:
        return m.re.groupindex["secret"]
    for i in range(1, (m.re.groups or 0) + 1):
        if m.group(i):
            return i
    return 0


_FALLBACK = re.compile(
    r"""(?:environ\.get|getenv|environ\.setdefault|ENV\.fetch)\(\s*['"][^'"]+['"]\s*,\s*['"]"""
)


def literal_fallback(line: str) -> bool:
    return bool(_FALLBACK.search(line))


def allowed(rule: Rule, path: str, secret: str, match: str, line: str) -> bool:
    low = secret.lower()
    for al in rule.allowlists:
        checks: list[bool] = []
        if al.regexes:
            target = {"secret": secret, "match": match, "line": line}[al.regex_target]
            checks.append(any(r.search(target) for r in al.compiled_regexes))
        if al.stopwords:
            checks.append(any(s in low for s in al.stopwords))
        if al.paths:
            checks.append(any(p.search(path) for p in al.compiled_paths))
        if not checks:
            continue
        if all(checks) if al.condition == "AND" else any(checks):
            return True
    return False


def _rank(f: Finding, scoped: frozenset[str], generic: frozenset[str]) -> tuple[int, int, int]:
    return (f.rule_id not in generic, CONF_ORDER[f.confidence], f.rule_id in scoped)


def dedupe(
    findings: list[Finding], scoped: frozenset[str], generic: frozenset[str] = frozenset()
) -> list[Finding]:
    """One finding per secret occurrence: a provider rule beats a generic one, then the
    highest-confidence rule wins.

    ``generic``: ids of the name = value heuristics; without it, every finding below ``high``
    counts as generic.
    """

    def is_generic(f: Finding) -> bool:
        return f.rule_id in generic if generic else _is_generic(f)

    best: dict[tuple[int, int, str], Finding] = {}
    for f in findings:
        key = (f.span.line, f.span.column, f.secret)
        cur = best.get(key)
        if cur is None or _rank(f, scoped, generic) > _rank(cur, scoped, generic):
            best[key] = f
    # a generic match that contains a provider match at the same place is redundant
    out = list(best.values())
    spans = [(f.span.line, f.span.column, f.span.end_column, f) for f in out if not is_generic(f)]
    result = []
    for f in out:
        if is_generic(f) and any(
            ln == f.span.line and c < f.span.end_column and f.span.column < e and g is not f
            for ln, c, e, g in spans
        ):
            continue
        result.append(f)
    return sorted(result, key=Finding.sort_key)


def _is_generic(f: Finding) -> bool:
    return f.confidence != Confidence.HIGH


def pair(findings: list[Finding], rules: Sequence[Rule]) -> list[Finding]:
    pairs = {r.id: r.pair for r in rules if r.pair}
    if not pairs:
        return findings
    return [
        f._replace(group=f"{pairs[f.rule_id]}:{f.path}") if f.rule_id in pairs else f
        for f in findings
    ]
