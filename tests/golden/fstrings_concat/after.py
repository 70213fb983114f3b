from _credmigrate_secrets import get_secret

region = "eu-west-1"
API_URL = f"https://api.example.com/v1?region={region}&key={get_secret('credmigrate/demo/fstrings_concat', 'API_KEY')}"
AUTH_HEADER = "Token " + get_secret("credmigrate/demo/fstrings_concat", "AUTH_TOKEN")
WEBHOOK = ("https://hooks.example.com/services/"
           f"{get_secret('credmigrate/demo/fstrings_concat', 'WEBHOOK_PATH')}")
TEMPLATE = f"key={get_secret('credmigrate/demo/fstrings_concat', 'TEMPLATE_KEY')}&fmt={{}}".format("json")
