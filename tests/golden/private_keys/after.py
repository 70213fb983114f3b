# Keys used to sign webhooks.
from _credmigrate_secrets import get_secret

SIGNING_KEY = get_secret("credmigrate/demo/private_keys", "SIGNING_KEY")

BUNDLE = f"""
{get_secret('credmigrate/demo/private_keys', 'BUNDLE_KEY')}
-----BEGIN CERTIFICATE-----
not-a-secret
-----END CERTIFICATE-----
"""
