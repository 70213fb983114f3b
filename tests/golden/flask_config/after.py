from flask import Flask
from _credmigrate_secrets import get_secret

app = Flask(__name__)
app.config['SECRET_KEY'] = get_secret('credmigrate/demo/flask_config', 'SECRET_KEY')
app.config["MAIL_PASSWORD"] = get_secret("credmigrate/demo/flask_config", "MAIL_PASSWORD")
app.config.update(
    SQLALCHEMY_DATABASE_URI=f"postgresql://app:{get_secret('credmigrate/demo/flask_config', 'DB_PASSWORD')}@db.example.com/app",
    DEBUG=False,
)


@app.route("/")
def index() -> str:
    return "ok"
