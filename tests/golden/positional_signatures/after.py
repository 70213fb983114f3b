import _mysql
import cx_Oracle
import ftplib
import MySQLdb
import paramiko
import pymysql
import redis
import smtplib
from requests.auth import HTTPBasicAuth
from _credmigrate_secrets import get_secret

db = MySQLdb.connect("localhost", "webuser", get_secret("credmigrate/demo/positional_signatures", "MYSQL_PASSWORD"), "shop")
raw = _mysql.connect("localhost", "reporter", get_secret("credmigrate/demo/positional_signatures", "RAW_PASSWORD"), "shop")
conn = pymysql.connect("db.internal", "root", get_secret("credmigrate/demo/positional_signatures", "PYMYSQL_PASSWORD"), "shop")
ora = cx_Oracle.connect("scott", get_secret("credmigrate/demo/positional_signatures", "ORACLE_PASSWORD"), "db.internal/orcl")
ftp = ftplib.FTP("ftp.example.com", "uploader", get_secret("credmigrate/demo/positional_signatures", "FTP_PASSWORD"))
mail = smtplib.SMTP("smtp.example.com", 587)
mail.login("alerts@example.com", get_secret("credmigrate/demo/positional_signatures", "SMTP_PASSWORD"))
ssh = paramiko.SSHClient()
ssh.connect("bastion.example.com", 22, "deploy", get_secret("credmigrate/demo/positional_signatures", "SSH_PASSWORD"))
cache = redis.Redis("cache.internal", 6379, 0, get_secret("credmigrate/demo/positional_signatures", "REDIS_PASSWORD"))
auth = HTTPBasicAuth("deploy", get_secret("credmigrate/demo/positional_signatures", "DEPLOY_PASSWORD"))
