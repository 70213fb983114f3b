password_field = "password"
PASSWORD_RESET_URL = "/accounts/password/reset/"
SECRET_KEY_SETTING = "SECRET_KEY"
TOKEN_HEADER = "X-Auth-Token"


def check_password(password: str, password_hash: str) -> bool:
    return password == password_hash


def login(form: dict[str, str]) -> str:
    return form["password"]
