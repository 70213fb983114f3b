from _credmigrate_secrets import get_secret

class Config:
    """Base configuration."""

    SECRET_KEY = get_secret("credmigrate/demo/config_classes", "SECRET_KEY")
    TESTING = False


class ProductionConfig(Config):
    DATABASE_PASSWORD = get_secret("credmigrate/demo/config_classes", "DATABASE_PASSWORD")  # overridden per env

    class Mail:
        API_KEY = get_secret('credmigrate/demo/config_classes', 'MAIL_API_KEY')


class DevelopmentConfig(Config):
    DEBUG = True
