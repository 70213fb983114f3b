CREDENTIALS = {
    "service": "billing",
    "token": "@@token:CREDENTIALS_token@@",
}
FALLBACK_KEYS = ["@@token:FALLBACK_KEYS_0@@", "@@token:FALLBACK_KEYS_1@@"]
BASIC_AUTH = ("admin", "@@password:BASIC_AUTH@@")
ALLOWED = {"@@token:ALLOWED@@"}
