from urllib.parse import quote

import requests


def weather(city: str) -> object:
    return requests.get(f"https://api.openweathermap.org/data/2.5/weather?q={city}&appid=@@hex:OPENWEATHER_APPID@@&units=metric")


GEOCODE = "https://maps.example.com/geocode/json?address=%s&key=%s" % ("Paris", "@@token:GEOCODE_KEY@@")
HEADERS = {"Authorization": "Token " + "@@hex:API_TOKEN@@"}
DB_URL = "postgresql://app:%s@db.internal/app" % quote("@@password:DB_PASSWORD@@")
