from _credmigrate_secrets import get_secret as _credmigrate_get_secret

def get_secret(name):
    """This project's own helper, unrelated to credmigrate."""
    return name.upper()


TOKEN = _credmigrate_get_secret("credmigrate/demo/aliased_get_secret", "TOKEN")
