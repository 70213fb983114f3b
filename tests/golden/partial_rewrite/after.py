from _credmigrate_secrets import get_secret

API_KEY = get_secret("credmigrate/demo/partial_rewrite", "API_KEY")
LEGACY_KEY = b"@@token:LEGACY_KEY@@"
