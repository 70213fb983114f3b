class Config:
    """Base configuration."""

    SECRET_KEY = "@@token:SECRET_KEY@@"
    TESTING = False


class ProductionConfig(Config):
    DATABASE_PASSWORD = "@@password:DATABASE_PASSWORD@@"  # overridden per env

    class Mail:
        API_KEY = '@@token:MAIL_API_KEY@@'


class DevelopmentConfig(Config):
    DEBUG = True
