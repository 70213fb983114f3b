"""The values every stage shares: Finding, Span, Binding, ScanResult and friends.

Also what is derived from a finding alone: fingerprints, redaction, and baselines of accepted
findings (which store fingerprints, never values). Imports nothing from the other stages.
"""
