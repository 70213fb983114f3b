import psycopg2

conn = psycopg2.connect(host="db.internal", user="app", password="@@digits:DB_PASSWORD@@", dbname="app")
VAULT_PASSWORD = "@@digits:VAULT_PASSWORD@@"
