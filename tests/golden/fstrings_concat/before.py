region = "eu-west-1"
API_URL = f"https://api.example.com/v1?region={region}&key=@@token:API_KEY@@"
AUTH_HEADER = "Token " + "@@token:AUTH_TOKEN@@"
WEBHOOK = ("https://hooks.example.com/services/"
           "@@token:WEBHOOK_PATH@@")
TEMPLATE = "key=@@token:TEMPLATE_KEY@@&fmt={}".format("json")
