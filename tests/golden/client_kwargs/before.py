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

s3 = boto3.client(
    "s3",
    aws_access_key_id="@@aws_key_id:AWS_ACCESS_KEY_ID@@",
    aws_secret_access_key="@@aws_secret_key:AWS_SECRET_ACCESS_KEY@@",
)
session = boto3.Session(aws_access_key_id="@@aws_key_id:AWS_ACCESS_KEY_ID@@", aws_secret_access_key="@@aws_secret_key:AWS_SECRET_ACCESS_KEY@@")
conn = psycopg2.connect(host="db", user="app", password="@@password:PG_PASSWORD@@")
mysql = pymysql.connect(host="db", user="app", password="@@password:MYSQL_PASSWORD@@", database="app")
url = URL.create("postgresql+psycopg2", username="app", password="@@password:PG_PASSWORD@@", host="db")
cache = redis.Redis(host="cache", port=6379, password="@@password:REDIS_PASSWORD@@")
slack = WebClient(token="@@slack_bot_token:SLACK_TOKEN@@")
llm = OpenAI(api_key="@@token:OPENAI_API_KEY@@")
stripe.api_key = "@@stripe_live:STRIPE_API_KEY@@"
gh = Github(auth=Auth.Token("@@github_pat:GITHUB_TOKEN@@"))
twilio = Client(os.environ["TWILIO_ACCOUNT_SID"], "@@token:TWILIO_AUTH_TOKEN@@")
resp = requests.get("https://api.example.com/v1/me", auth=("svc-user", "@@password:API_PASSWORD@@"))
