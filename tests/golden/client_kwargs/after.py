import os

import boto3
import psycopg2
import pymysql
import redis
import requests
import stripe
from github import Auth, Github
from openai import OpenAI
from slack_sdk import WebClient
from sqlalchemy.engine import URL
from twilio.rest import Client
from _credmigrate_secrets import get_secret

s3 = boto3.client(
    "s3",
    aws_access_key_id=get_secret("credmigrate/demo/client_kwargs", "AWS_ACCESS_KEY_ID"),
    aws_secret_access_key=get_secret("credmigrate/demo/client_kwargs", "AWS_SECRET_ACCESS_KEY"),
)
session = boto3.Session(aws_access_key_id=get_secret("credmigrate/demo/client_kwargs", "AWS_ACCESS_KEY_ID"), aws_secret_access_key=get_secret("credmigrate/demo/client_kwargs", "AWS_SECRET_ACCESS_KEY"))
conn = psycopg2.connect(host="db", user="app", password=get_secret("credmigrate/demo/client_kwargs", "PG_PASSWORD"))
mysql = pymysql.connect(host="db", user="app", password=get_secret("credmigrate/demo/client_kwargs", "MYSQL_PASSWORD"), database="app")
url = URL.create("postgresql+psycopg2", username="app", password=get_secret("credmigrate/demo/client_kwargs", "PG_PASSWORD"), host="db")
cache = redis.Redis(host="cache", port=6379, password=get_secret("credmigrate/demo/client_kwargs", "REDIS_PASSWORD"))
slack = WebClient(token=get_secret("credmigrate/demo/client_kwargs", "SLACK_TOKEN"))
llm = OpenAI(api_key=get_secret("credmigrate/demo/client_kwargs", "OPENAI_API_KEY"))
stripe.api_key = get_secret("credmigrate/demo/client_kwargs", "STRIPE_API_KEY")
gh = Github(auth=Auth.Token(get_secret("credmigrate/demo/client_kwargs", "GITHUB_TOKEN")))
twilio = Client(os.environ["TWILIO_ACCOUNT_SID"], get_secret("credmigrate/demo/client_kwargs", "TWILIO_AUTH_TOKEN"))
resp = requests.get("https://api.example.com/v1/me", auth=("svc-user", get_secret("credmigrate/demo/client_kwargs", "API_PASSWORD")))
