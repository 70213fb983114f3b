API_KEY = "@@token:API_KEY@@"
LEGACY_KEY = b"@@token:LEGACY_KEY@@"
