"""Rewriting Python so it fetches each secret at runtime.

Takes replacements (a finding and the secret/key that now holds it); gives RewriteOutcomes
(rewritten with a diff, unchanged, skipped or flagged with a reason), the generated accessor
module and dependency-file edits. ``codemod/`` is the only code that imports libcst.
"""
