"""Migration: findings in, a plan out, then the plan applied.

plan: naming, grouping, IAM policy, cost and the plan text; apply: the journal, upload order
and read-back verification through store, then the code changes from rewrite; report: the
Markdown migration report. pipeline ties scan -> plan -> apply together for the CLI.
"""
