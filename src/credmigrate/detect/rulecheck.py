"""Run rule files' own examples through the whole detector (``credmigrate rules check``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.detect.rules import Example, Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule_id: str
    kind: str  # "missed" (an example that should match) or "matched" (a negative that did)
    example: Example


def check_rules(rules: Sequence[Rule], config: Config | None = None) -> list[ExampleFailure]:
    """Each rule's examples must produce a finding of that rule; negatives must not.

    The examples go through the same path as a real scan (prefilter, path scope, filters,
    Python-aware refinement), with every other rule active too, so that one rule's example
    won by a more specific rule shows up as a failure to look at.
    """
    config = (config or Config()).with_(min_confidence="low")
    detector = Detector(rules, config)
    failures: list[ExampleFailure] = []
    for rule in rules:
        for ex in rule.examples:
            found = detector.scan_text(ex.path, ex.text)
            if not any(f.rule_id == rule.id for f in found):
                failures.append(ExampleFailure(rule.id, "missed", ex))
        for ex in rule.negative_examples:
            found = detector.scan_text(ex.path, ex.text)
            if any(f.rule_id == rule.id for f in found):
                failures.append(ExampleFailure(rule.id, "matched", ex))
    return failures
