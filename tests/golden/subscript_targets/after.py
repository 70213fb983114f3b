from _credmigrate_secrets import get_secret

DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}
DATABASES["default"]["PASSWORD"] = get_secret("credmigrate/demo/subscript_targets", "DATABASES_PASSWORD")
CONFIG: dict[str, dict[str, str]] = {"smtp": {}}
CONFIG["smtp"]["password"] = (
    get_secret("credmigrate/demo/subscript_targets", "SMTP_PASSWORD")
)


class App:
    config: dict[str, str] = {}


app = App()
app.config["MAIL_PASSWORD"] = get_secret("credmigrate/demo/subscript_targets", "MAIL_PASSWORD")
