"""Detection: rules (ours and gitleaks TOML), the hyperscan prefilter, the detector.

Takes text (a file or a blob) with its path; gives Findings (findings.model). Holds the rule
loader and checker, Go-regex translation, the Python (ast) pass, the false-positive filters and
the detect-secrets adapter (the only module that imports detect_secrets).
"""
