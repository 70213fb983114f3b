# Keys used to sign webhooks.
SIGNING_KEY = """@@pem:SIGNING_KEY@@"""

BUNDLE = """
@@pem:BUNDLE_KEY@@
-----BEGIN CERTIFICATE-----
not-a-secret
-----END CERTIFICATE-----
"""
