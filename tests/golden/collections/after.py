from _credmigrate_secrets import get_secret

CREDENTIALS = {
    "service": "billing",
    "token": get_secret("credmigrate/demo/collections", "CREDENTIALS_token"),
}
FALLBACK_KEYS = [get_secret("credmigrate/demo/collections", "FALLBACK_KEYS_0"), get_secret("credmigrate/demo/collections", "FALLBACK_KEYS_1")]
BASIC_AUTH = ("admin", get_secret("credmigrate/demo/collections", "BASIC_AUTH"))
ALLOWED = {get_secret("credmigrate/demo/collections", "ALLOWED")}
