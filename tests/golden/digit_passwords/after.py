import psycopg2
from _credmigrate_secrets import get_secret

conn = psycopg2.connect(host="db.internal", user="app", password=get_secret("credmigrate/demo/digit_passwords", "DB_PASSWORD"), dbname="app")
VAULT_PASSWORD = get_secret("credmigrate/demo/digit_passwords", "VAULT_PASSWORD")
