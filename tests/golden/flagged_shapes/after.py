def check(token: str) -> bool:
    """Compare with the deploy token @@token:DOCSTRING@@ (see wiki)."""
    match token:
        case "@@token:MATCH_CASE@@":
            return True
    return False


RAW_KEY = b"@@token:BYTES_KEY@@"
host, path = "example.com", "v1"
NESTED = f"https://{host}/{f'{path}?k=@@token:NESTED@@'}"
