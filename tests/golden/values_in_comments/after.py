# API_TOKEN = "<get_secret('credmigrate/demo/values_in_comments', 'API_TOKEN')>"  (the old token, kept for reference)
from _credmigrate_secrets import get_secret

API_TOKEN = get_secret("credmigrate/demo/values_in_comments", "API_TOKEN")


def client() -> dict[str, str]:
    # token: <get_secret('credmigrate/demo/values_in_comments', 'API_TOKEN')>
    return dict(token=get_secret("credmigrate/demo/values_in_comments", "API_TOKEN"))
