from flask import Flask

app = Flask(__name__)
app.config['SECRET_KEY'] = '@@token:SECRET_KEY@@'
app.config["MAIL_PASSWORD"] = "@@password:MAIL_PASSWORD@@"
app.config.update(
    SQLALCHEMY_DATABASE_URI="postgresql://app:@@password:DB_PASSWORD@@@db.example.com/app",
    DEBUG=False,
)


@app.route("/")
def index() -> str:
    return "ok"
