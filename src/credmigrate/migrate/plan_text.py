"""The plan as text for a human to review: the same data ``--yes`` executes.

Secret values never appear: previews are redacted, and the code diff's removed lines (which hold
the literals) have each value replaced by its redacted form unless ``show_secrets``.
"""

from __future__ import annotations

from credmigrate.findings.redact import redact
from credmigrate.migrate.plan import Plan
from credmigrate.migrate.policy import render_policy


def redact_values(text: str, values: list[str]) -> str:
    for v in sorted(values, key=len, reverse=True):
        if len(v) >= 4:
            text = text.replace(v, redact(v))
    return text


def plan_secret_values(plan: Plan) -> list[str]:
    """Every individual value in the plan (JSON members too), for redaction."""
    import json

    out: list[str] = []
    for v in plan.values.values():
        out.append(v)
        try:
            obj = json.loads(v)
        except ValueError:
            continue
        if isinstance(obj, dict):
            out.extend(str(x) for x in obj.values())
    return out


def _diff_text(plan: Plan) -> str:
    """The unified diff; a generated new file is summarised in one line, not shown whole."""
    parts: list[str] = []
    for o in plan.outcomes:
        if not o.diff:
            continue
        if o.diff.startswith("--- /dev/null"):
            n = o.new_source.count("\n")
            parts.append(f"+++ new file {o.path} ({n} lines, generated; see it after applying)\n")
        else:
            parts.append(o.diff if o.diff.endswith("\n") else o.diff + "\n")
    return "".join(parts)


def render_plan(plan: Plan, *, show_secrets: bool = False) -> str:
    o = plan.options
    lines: list[str] = []
    add = lines.append
    n = len(plan.secrets)
    add(f"credmigrate migration plan for {plan.repo} (region {o.region})")
    add("")
    add(f"Secrets to create or reuse in AWS Secrets Manager: {n}")
    extras = []
    if o.kms_key_id:
        extras.append(f"KMS key {o.kms_key_id}")
    if o.replica_regions:
        extras.append(f"replicas in {', '.join(o.replica_regions)}")
    if o.rotation_lambda:
        extras.append(f"rotation by {o.rotation_lambda} every {o.rotate_after_days} days")
    if extras:
        add("  with " + "; ".join(extras))
    for s in plan.secrets:
        keys = [k.key for k in s.keys if k.key is not None]
        add(f"  {s.name}" + (f"  (JSON keys: {', '.join(keys)})" if keys else "  (plain string)"))
        for k in s.keys:
            label = k.key if k.key is not None else "value"
            for loc in k.locations:
                add(f"      {label} <- {loc}  {k.redacted}")
    add("")
    diff = _diff_text(plan)
    if diff:
        add("Code changes (applied only after every upload is verified):")
        add(diff if show_secrets else redact_values(diff, plan_secret_values(plan)))
    elif not plan.rewrite_available and plan.secrets:
        add(
            "Code changes: the codemod (credmigrate.rewrite.project) is not available; nothing rewritten."
        )
    else:
        add("Code changes: none.")
    if plan.flagged:
        add("")
        add(f"Needs a human (flagged, not rewritten): {len(plan.flagged)}")
        for f in plan.flagged:
            add(f"  {f.path}: {f.reason}")
            add(f"      -> {f.instruction}")
    if plan.notes:
        add("")
        add(f"Before you apply, note: {len(plan.notes)}")
        for note in plan.notes:
            add(f"  - {note}")
    if plan.rotation:
        add("")
        add(f"Rotate (only in git history, not migrated): {len(plan.rotation)}")
        for r in plan.rotation:
            commit = f" in {r.commit[:10]}" if r.commit else ""
            add(f"  {r.location}{commit} ({r.rule_id}) {r.redacted}")
    if plan.secrets:
        add("")
        add("Estimated cost: " + plan.cost().render())
        add("")
        add("Least-privilege IAM policy for the application's role:")
        add(render_policy(plan.policy()))
    return "\n".join(lines) + "\n"
