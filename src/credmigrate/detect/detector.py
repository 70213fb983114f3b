"""The detector: rules + prefilter + filters over one file's content.

Works on bytes: the keyword prefilter finds candidate lines, and only those lines are decoded and
matched with the rules' regexes. Multi-line rules (private keys) run on the whole decoded text
when one of their keywords is present. Python files get a second, syntax-aware pass
(:mod:`credmigrate.detect.python_ast`) that fills each finding's binding.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from credmigrate.config import Config
from credmigrate.detect import filters, matching, python_gate
from credmigrate.detect import prefilter as prefilter_module
from credmigrate.detect.prefilter import Prefilter
from credmigrate.detect.rules import Rule, assemble
from credmigrate.errors import BadInputError
from credmigrate.findings.fingerprint import fingerprint, line_hash
from credmigrate.findings.model import Confidence, Finding, Skipped, Span
from credmigrate.findings.redact import redact

_ALLOW_RE = re.compile(rb"credmigrate:allow|gitleaks:allow|pragma: allowlist secret")
_ALLOW_TEXT = re.compile(_ALLOW_RE.pattern.decode())
_SNIFF = 8192
_LONG_LINE = 4096
_PATH_MEMORY = 200_000  # paths whose path-scoped rules are remembered
LineRanges = Sequence[tuple[int, int]]  # (first, last) line numbers, 1-based, inclusive
_WINDOW_BEFORE = 256
_WINDOW_AFTER = 768


def _windows(start: int, end: int, positions: list[int]) -> list[tuple[int, int]]:
    """Merged byte windows around keyword hits inside one long line."""
    out: list[tuple[int, int]] = []
    for pos in sorted(set(positions)):
        ws, we = max(start, pos - _WINDOW_BEFORE), min(end, pos + _WINDOW_AFTER)
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], we))
        else:
            out.append((ws, we))
    return out


def in_ranges(first: int, last: int, ranges: LineRanges) -> bool:
    """True when lines ``first..last`` overlap any of ``ranges``."""
    return any(a <= last and first <= b for a, b in ranges)


def _wanted(only: LineRanges, line_no: int, line: bytes) -> bool:
    """Whether line ``line_no`` can hold a finding in ``only``: it is in a range, or it ends in
    "(" and the next line is (the value of a wrapped assignment, see ``_scan_wrapped``)."""
    if in_ranges(line_no, line_no, only):
        return True
    return in_ranges(line_no + 1, line_no + 1, only) and line.rstrip().endswith(b"(")


def _after_name(m: re.Match[str], line: str, text: str) -> str:
    """The part of the line after the secret's name: ``process.env.X = '...'`` assigns a literal,
    ``password = process.env.X`` looks one up."""
    if "name" not in m.re.groupindex or m.group("name") is None or text is not line:
        return line
    return line[m.end("name") :]


class Detector:
    """Runs a rule set over file contents. Cheap to build; rebuild one per worker process."""

    def __init__(self, rules: Sequence[Rule], config: Config | None = None) -> None:
        self.config = config or Config()
        self.rules = tuple(rules)
        self.min_confidence = Confidence(self.config.min_confidence)
        keywords: list[str] = []
        kw_index: dict[str, int] = {}
        self._by_keyword: list[list[int]] = []
        self._always: list[int] = []  # rules without keywords: run on every line
        self._multiline: set[int] = set()
        self._path_scoped: list[int] = []  # rules limited to some paths: run only on those files
        self._keyword_scoped: set[int] = set()  # path-limited rules gated by their keywords
        for ri, rule in enumerate(self.rules):
            if not rule.regex:
                continue
            if rule.path and (rule.multiline or not rule.keywords):
                # read whole (multi-line) or on every line of the files its path names
                self._path_scoped.append(ri)
                continue
            if rule.path:
                self._keyword_scoped.add(ri)  # keyword-gated, and only on its paths
            if rule.multiline:
                self._multiline.add(ri)
            if not rule.keywords:
                self._always.append(ri)
            # with hyperscan, a rule's prefilter regex replaces its keywords: far fewer hits
            # than a bare "key" or "pass" on every line that mentions one
            use_regex = rule.prefilter and prefilter_module.HYPERSCAN
            entries = (
                (prefilter_module.REGEX_PREFIX + rule.prefilter,) if use_regex else rule.keywords
            )
            for kw in entries:
                if kw not in kw_index:
                    kw_index[kw] = len(keywords)
                    keywords.append(kw)
                    self._by_keyword.append([])
                self._by_keyword[kw_index[kw]].append(ri)
        # Python files whose shapes only the AST can read (a name and its literal on different
        # lines, positional arguments of known callees, query keys...): these entries only
        # decide whether the AST pass runs on a .py file without line findings.
        self._py_gate: set[int] = set()
        for entry in python_gate.gate_entries(prefilter_module.HYPERSCAN):
            if entry not in kw_index:
                kw_index[entry] = len(keywords)
                keywords.append(entry)
                self._by_keyword.append([])
            self._py_gate.add(kw_index[entry])
        self._rules_by_id = {r.id: r for r in self.rules}
        python_only = [kid for kid in self._py_gate if not self._by_keyword[kid]]
        self.prefilter = Prefilter(keywords, python_only)
        self._scoped_ids = frozenset(
            self.rules[ri].id for ri in (*self._path_scoped, *self._keyword_scoped)
        )
        self._path_only = [r for r in self.rules if r.path and not r.regex]
        self._generic_ids = frozenset(r.id for r in self.rules if r.generic)
        generic = [r.generic for r in self.rules]
        self._provider_first = lambda ri: (generic[ri], ri)
        # generic findings of the current file awaiting detect-secrets' verdict (see _ds_check)
        self._ds_lines: dict[int, tuple[Finding, str]] = {}
        self._left_out = False  # the current scan skipped candidate lines outside ``only``
        self._scoped_by_path: dict[str, list[int]] = {}  # path -> path-scoped rules that apply

    @classmethod
    def default(cls, config: Config | None = None) -> Detector:
        from pathlib import Path

        config = config or Config()
        rules = assemble(
            (Path(p) for p in config.extra_rules), config.disabled_rules, include_builtin=True
        )
        return cls(rules, config)

    def warm(self) -> None:
        """Compile every rule and load detect-secrets' filters now, before worker processes fork.

        Workers forked afterwards inherit all of it instead of each paying for it again.
        """
        for rule in self.rules:
            if rule.regex:
                rule.compiled  # noqa: B018
            if rule.precheck:
                rule.compiled_precheck  # noqa: B018
            if rule.path:
                rule.compiled_path  # noqa: B018
        from credmigrate.detect import (
            ds_adapter,
            python_ast,  # noqa: F401  (imported lazily elsewhere)
            scoring,
        )

        ds_adapter.warm()
        scoring.warm()

    # -- entry points -------------------------------------------------------------------------

    def scan_text(self, path: str, text: str) -> list[Finding]:
        return self._scan_named(path, text.encode("utf-8", "surrogatepass"))

    def scan_bytes(
        self, path: str, data: bytes, only: LineRanges | None = None
    ) -> list[Finding] | Skipped:
        """Findings in ``data``; with ``only``, those outside these line ranges may be left out.

        ``only`` (the lines a commit adds) is a promise by the caller that findings elsewhere
        are thrown away: single-line rules then skip the candidate lines outside it, so their
        regexes and value filters never run there. The Python pass still reads the whole file.
        """
        if len(data) > self.config.max_file_size:
            return Skipped(path, "too large")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text with a BOM (Windows)
            try:
                data = data.decode("utf-16").encode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                return Skipped(path, "binary")
        if b"\0" in data[:_SNIFF]:
            return Skipped(path, "binary")
        return self._scan_named(path, data, only)

    def _scan_named(self, path: str, data: bytes, only: LineRanges | None = None) -> list[Finding]:
        try:
            return self._scan(path, data, only)
        except BadInputError as exc:  # a user rule over its time budget: say where
            # (user_regex, and google-re2 with it, is imported only once a user rule compiles)
            from credmigrate.detect.user_regex import SlowRuleError

            if not isinstance(exc, SlowRuleError):
                raise
            raise SlowRuleError(f"{exc.message} (in {path})") from None

    # -- internals ----------------------------------------------------------------------------

    def _scan(self, path: str, data: bytes, only: LineRanges | None = None) -> list[Finding]:
        self._ds_lines = {}
        self._left_out = False
        if filters.is_lock_file(path):
            return []
        if data.startswith(b"\xef\xbb\xbf"):
            # a UTF-8 BOM (Windows editors) would hide a first-line secret from rules anchored
            # at the line start; columns then count from after it, as editors and ast do
            data = data[3:]
        findings: list[Finding] = []
        for rule in self._path_only:
            pat = rule.compiled_path
            if pat is not None and pat.search(path):
                findings.append(self._make(rule, path, data.decode("utf-8", "replace"), 1, 1, 1, 1))
        candidates: dict[int, set[int]] = defaultdict(set)  # line start -> rule indexes
        hit_pos: dict[int, list[int]] = defaultdict(list)  # line start -> keyword offsets
        multiline: set[int] = set()
        path_ok: dict[int, bool] = {}
        is_py = python_gate.is_python(path)
        py_gate = False
        py_hints: list[int] = []  # where the AST pass needs to look
        for kid, pos in self.prefilter.hits(data, is_py):
            if is_py:
                py_hints.append(pos)
            if kid in self._py_gate:
                py_gate = py_gate or is_py
                if not self._by_keyword[kid]:
                    continue
            start = data.rfind(b"\n", 0, pos) + 1
            hit_pos[start].append(pos)
            for ri in self._by_keyword[kid]:
                if ri in self._keyword_scoped:
                    ok = path_ok.get(ri)
                    if ok is None:
                        ok = path_ok[ri] = self._path_ok(self.rules[ri], path)
                    if not ok:
                        continue
                if ri in self._multiline:
                    multiline.add(ri)
                else:
                    candidates[start].add(ri)
        scoped = self._scoped_by_path.get(path)
        if scoped is None:  # a history asks again for every version of a file
            scoped = [ri for ri in self._path_scoped if self._path_ok(self.rules[ri], path)]
            if len(self._scoped_by_path) < _PATH_MEMORY:
                self._scoped_by_path[path] = scoped
        every_line = self._always + [ri for ri in scoped if not self.rules[ri].multiline]
        multiline.update(ri for ri in scoped if self.rules[ri].multiline)
        if every_line:
            pos = 0
            while pos < len(data):
                candidates[pos].update(every_line)
                nl = data.find(b"\n", pos)
                pos = len(data) if nl == -1 else nl + 1
        if candidates:
            findings.extend(self._scan_lines(path, data, candidates, hit_pos, only))
        if multiline:
            findings.extend(self._scan_multiline(path, data, multiline))
        if self._ds_lines:
            findings = self._ds_check(findings)
        if findings:
            findings = matching.dedupe(findings, self._scoped_ids, self._generic_ids)
        # lines left out (``only``) might have held findings: the Python pass runs as it would
        if is_py and (findings or py_gate or self._left_out):
            from credmigrate.detect import python_ast

            found = python_ast.detect(
                path, data, findings, self._rules_by_id, self.min_confidence, py_hints
            )
            # not valid Python 3: the line rules' findings stand, and they say so
            findings = [python_ast.unparsed(f) for f in findings] if found is None else found
        if not findings:
            return findings
        return matching.pair(findings, self.rules)

    def _scan_lines(
        self,
        path: str,
        data: bytes,
        candidates: dict[int, set[int]],
        hit_pos: dict[int, list[int]],
        only: LineRanges | None = None,
    ) -> Iterable[Finding]:
        line_no = 1
        counted_to = 0
        for start in sorted(candidates):
            line_no += data.count(b"\n", counted_to, start)
            counted_to = start
            end = data.find(b"\n", start)
            end = len(data) if end == -1 else end
            if only is not None and not _wanted(only, line_no, data[start:end]):
                self._left_out = True
                continue
            # provider rules first: a generic match inside one of their findings on this line is
            # dropped by matching.dedupe anyway, so its filters and scoring need not run
            rule_ids = sorted(candidates[start], key=self._provider_first)
            if end - start <= _LONG_LINE:
                windows = [(start, end)]
            else:  # minified or data lines: look only around the keywords
                windows = _windows(start, end, hit_pos.get(start) or [start])
            offset, prev = 0, start  # character offset of each window within its line
            for ws, we in windows:
                if ws > prev:
                    offset += len(data[prev:ws].decode("utf-8", "replace"))
                    prev = ws
                raw = data[ws:we]
                if _ALLOW_RE.search(raw):
                    continue
                text = raw.decode("utf-8", "replace")
                covered: list[tuple[int, int]] = []  # provider findings' columns on this line
                for ri in rule_ids:
                    rule = self.rules[ri]
                    pre = rule.compiled_precheck
                    if pre is not None and pre.search(text) is None:
                        continue
                    for m in rule.compiled.finditer(text):
                        f = self._accept(rule, path, text, m, line_no, -offset, covered=covered)
                        if f is not None:
                            if not rule.generic and f.span.line == f.span.end_line == line_no:
                                covered.append((f.span.column, f.span.end_column))
                            yield f
            if end - start <= _LONG_LINE and data[start:end].rstrip().endswith(b"("):
                yield from self._scan_wrapped(path, data, start, end, line_no, rule_ids)

    def _scan_wrapped(
        self, path: str, data: bytes, start: int, end: int, line_no: int, rule_ids: list[int]
    ) -> Iterable[Finding]:
        """``name = (`` with the value alone on the next line (black-style wrapping).

        The two lines are joined without the parenthesis and the generic rules run on that; a
        secret found in the value's part is placed on the value's line.
        """
        nxt = data.find(b"\n", end + 1)
        value_raw = data[end + 1 : len(data) if nxt == -1 else nxt]
        if (
            end >= len(data)
            or not value_raw.strip()
            or _ALLOW_RE.search(data[start:end] + value_raw)
        ):
            return
        head = data[start:end].decode("utf-8", "replace").rstrip()[:-1].rstrip()
        value = value_raw.decode("utf-8", "replace")
        indent = len(value) - len(value.lstrip())
        joined = f"{head} {value.lstrip()}"
        for ri in rule_ids:
            rule = self.rules[ri]
            if not rule.generic:
                continue
            for m in rule.compiled.finditer(joined):
                gi = matching.secret_group(rule, m)
                if (m.start(gi) if gi else m.start()) <= len(head):
                    continue  # on the first line: the line scan has seen it
                f = self._accept(rule, path, joined, m, line_no + 1, len(head) + 1 - indent)
                if f is not None:
                    yield f

    def _scan_multiline(self, path: str, data: bytes, rule_ids: set[int]) -> Iterable[Finding]:
        text = data.decode("utf-8", "replace")
        for ri in sorted(rule_ids):
            rule = self.rules[ri]
            if not self._path_ok(rule, path):
                continue
            for m in rule.compiled.finditer(text):
                # positions from the secret, which may start lines below the match
                gi = matching.secret_group(rule, m)
                at = m.start(gi) if gi else m.start()
                line_no = text.count("\n", 0, at) + 1
                line_start = text.rfind("\n", 0, at) + 1
                line_end = text.find("\n", at)
                line = text[line_start : len(text) if line_end == -1 else line_end]
                first = text.rfind("\n", 0, m.start()) + 1
                if _ALLOW_TEXT.search(text[first : max(line_start, first)] + line):
                    continue
                f = self._accept(rule, path, text, m, line_no, line_start, line_text=line)
                if f is not None:
                    yield f

    def _path_ok(self, rule: Rule, path: str) -> bool:
        pat = rule.compiled_path
        return pat is None or bool(pat.search(path))

    def _accept(
        self,
        rule: Rule,
        path: str,
        text: str,
        m: re.Match[str],
        line_no: int,
        line_offset: int,
        line_text: str | None = None,
        covered: Sequence[tuple[int, int]] = (),
    ) -> Finding | None:
        gi = matching.secret_group(rule, m)
        secret = m.group(gi) if gi else m.group(0)
        if not secret:
            return None
        start, end = (m.start(gi), m.end(gi)) if gi else (m.start(), m.end())
        # columns: 1-based, relative to the line where the secret starts; end exclusive
        col = start - line_offset + 1
        if (
            covered
            and rule.generic
            and "\n" not in secret
            and any(c < col + len(secret) and col < e for c, e in covered)
        ):
            return None  # inside a provider finding: matching.dedupe would drop it
        line = text if line_text is None else line_text
        if rule.min_length and len(secret) < rule.min_length:
            return None
        if rule.entropy and filters.shannon_entropy(secret) < rule.entropy:
            return None
        named = rule.generic and (
            ("name" in m.re.groupindex and bool(m.group("name")))
            or "header" in rule.tags
            or "password" in rule.tags
        )
        if filters.reject_reason(secret, rule.generic, named):
            return None
        if rule.generic and "name" in m.re.groupindex:
            name = m.group("name")
            if name and filters.name_reason(name, secret):
                return None
        if (
            rule.generic
            and filters.line_is_env_lookup(_after_name(m, line, text))
            and not matching.literal_fallback(line)
        ):
            return None
        if rule.generic and "name" in m.re.groupindex and filters.same_as_user(secret, line):
            return None
        if rule.generic:
            nl = text.find("\n", m.end())
            quoted = "q" in m.re.groupindex and m.group("q") is not None
            if filters.partial_value(text[m.end() : len(text) if nl == -1 else nl], quoted):
                return None
        if matching.allowed(rule, path, secret, m.group(0), line):
            return None
        if "basic-auth" in rule.tags and filters.basic_auth_reason(secret):
            return None
        confidence = rule.confidence
        if rule.generic:
            from credmigrate.detect import scoring  # loaded on the first generic candidate

            name = m.group("name") if "name" in m.re.groupindex else None
            scored = scoring.confidence(
                scoring.Candidate(name or "", secret, path, line, rule.tags, rule.id, line_no),
                rule.confidence,
            )
            if scored is None:
                return None
            confidence = scored
        if matching.CONF_ORDER[confidence] < matching.CONF_ORDER[self.min_confidence]:
            return None
        if "\n" in secret:
            end_line = line_no + secret.count("\n")
            end_col = len(secret) - secret.rfind("\n")
        else:
            end_line, end_col = line_no, col + len(secret)
        del end
        f = self._make(rule, path, secret, line_no, col, end_line, end_col, line)
        f = f if confidence == rule.confidence else f._replace(confidence=confidence)
        if rule.generic:  # detect-secrets' heuristics still to run: see _ds_check
            self._ds_lines[id(f)] = (f, line)
        return f

    def _ds_check(self, findings: list[Finding]) -> list[Finding]:
        """Drop the generic candidates detect-secrets' heuristics reject (asked last of all).

        Run after the scan, not per match: a generic candidate that overlaps a provider rule's
        finding is dropped by :func:`matching.dedupe` whatever detect-secrets says, so it is not
        asked (the same result), and a commit whose only candidate is, say, a GitHub token also
        matched by a generic name = value rule never imports detect-secrets (~0.15 s).
        """
        pending, self._ds_lines = self._ds_lines, {}
        generic = self._generic_ids
        provider = [
            (f.span.line, f.span.column, f.span.end_column, f)
            for f in findings
            if f.rule_id not in generic
        ]
        out: list[Finding] = []
        for f in findings:
            entry = pending.get(id(f))
            if entry is not None and not any(
                ln == f.span.line and c < f.span.end_column and f.span.column < e and g is not f
                for ln, c, e, g in provider
            ):
                from credmigrate.detect import ds_adapter

                if ds_adapter.reject_reason(f.secret, entry[1]):
                    continue
            out.append(f)
        return out

    def _make(
        self,
        rule: Rule,
        path: str,
        secret: str,
        line: int,
        col: int,
        end_line: int,
        end_col: int,
        line_text: str = "",
    ) -> Finding:
        return Finding(
            rule_id=rule.id,
            description=rule.description,
            path=path,
            span=Span(line, col, end_line, end_col),
            secret=secret,
            fingerprint=fingerprint(secret, rule.id, path),
            confidence=rule.confidence,
            redacted=redact(secret),
            line_text_hash=line_hash(line_text) if line_text else "",
        )
