"""``credmigrate rules``: list the active rules; check a rule file against its own examples."""

from __future__ import annotations

from pathlib import Path

import click

from credmigrate.errors import ExitCode


@click.group()
def rules() -> None:
    """Inspect and check detection rules."""


@rules.command("list")
@click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra rule file (ours, gitleaks or betterleaks TOML).",
)
def list_rules(rule_files: tuple[Path, ...]) -> int:
    """List every active rule: id, confidence, keywords and description."""
    from credmigrate.detect.rules import assemble

    for r in assemble(rule_files):
        kws = ",".join(r.keywords[:4]) + ("…" if len(r.keywords) > 4 else "")
        click.echo(f"{r.id:32} {r.confidence.value:6} {kws:40} {r.description}")
    return int(ExitCode.CLEAN)


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--with-builtin/--alone",
    default=False,
    help="Check the file's rules alongside the built-in rules (default: alone).",
)
def check(files: tuple[Path, ...], with_builtin: bool) -> int:
    """Run each rule's examples and negative_examples through the scanner."""
    from credmigrate.detect.rulecheck import check_rules
    from credmigrate.detect.rules import assemble, load_rule_file

    total_fail = 0
    for path in files:
        own = load_rule_file(path)
        rules_ = assemble([path]) if with_builtin else own
        failures = [f for f in check_rules(rules_) if f.rule_id in {r.id for r in own}]
        n_examples = sum(len(r.examples) + len(r.negative_examples) for r in own)
        for f in failures:
            what = "example not detected" if f.kind == "missed" else "negative example detected"
            first = f.example.text.strip().splitlines()[0][:60] if f.example.text.strip() else ""
            click.echo(f"{path}: {f.rule_id}: {what} ({f.example.path}): {first!r}")
        status = "ok" if not failures else f"{len(failures)} failed"
        click.echo(f"{path}: {len(own)} rules, {n_examples} examples: {status}")
        total_fail += len(failures)
    return int(ExitCode.FINDINGS if total_fail else ExitCode.CLEAN)
