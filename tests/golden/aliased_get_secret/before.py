def get_secret(name):
    """This project's own helper, unrelated to credmigrate."""
    return name.upper()


TOKEN = "@@token:TOKEN@@"
