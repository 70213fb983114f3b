import json

import boto3

from _credmigrate_secrets import get_secret

client = boto3.client("secretsmanager")
DB = json.loads(client.get_secret_value(SecretId="prod/app/database")["SecretString"])
PASSWORD = DB["password"]
API_TOKEN = get_secret("credmigrate/app/settings", "API_TOKEN")
