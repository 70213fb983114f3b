from urllib.parse import quote

import requests
from _credmigrate_secrets import get_secret


def weather(city: str) -> object:
    return requests.get(f"https://api.openweathermap.org/data/2.5/weather?q={city}&appid={get_secret('credmigrate/demo/query_and_format', 'OPENWEATHER_APPID')}&units=metric")


GEOCODE = "https://maps.example.com/geocode/json?address=%s&key=%s" % ("Paris", get_secret("credmigrate/demo/query_and_format", "GEOCODE_KEY"))
HEADERS = {"Authorization": "Token " + get_secret("credmigrate/demo/query_and_format", "API_TOKEN")}
DB_URL = "postgresql://app:%s@db.internal/app" % quote(get_secret("credmigrate/demo/query_and_format", "DB_PASSWORD"))
