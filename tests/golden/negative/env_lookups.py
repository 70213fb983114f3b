import os

PASSWORD = os.environ["DB_PASSWORD"]
TOKEN = os.getenv("TOKEN")
API_KEY = os.environ.get("API_KEY", "")
SECRET_KEY = os.environ.get("SECRET_KEY", default=None)
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/app")
