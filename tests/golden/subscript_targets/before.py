DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}
DATABASES["default"]["PASSWORD"] = "@@password:DATABASES_PASSWORD@@"
CONFIG: dict[str, dict[str, str]] = {"smtp": {}}
CONFIG["smtp"]["password"] = (
    "@@password:SMTP_PASSWORD@@"
)


class App:
    config: dict[str, str] = {}


app = App()
app.config["MAIL_PASSWORD"] = "@@password:MAIL_PASSWORD@@"
