import _mysql
import cx_Oracle
import ftplib
import MySQLdb
import paramiko
import pymysql
import redis
import smtplib
from requests.auth import HTTPBasicAuth

db = MySQLdb.connect("localhost", "webuser", "@@password:MYSQL_PASSWORD@@", "shop")
raw = _mysql.connect("localhost", "reporter", "@@password:RAW_PASSWORD@@", "shop")
conn = pymysql.connect("db.internal", "root", "@@password:PYMYSQL_PASSWORD@@", "shop")
ora = cx_Oracle.connect("scott", "@@password:ORACLE_PASSWORD@@", "db.internal/orcl")
ftp = ftplib.FTP("ftp.example.com", "uploader", "@@password:FTP_PASSWORD@@")
mail = smtplib.SMTP("smtp.example.com", 587)
mail.login("alerts@example.com", "@@password:SMTP_PASSWORD@@")
ssh = paramiko.SSHClient()
ssh.connect("bastion.example.com", 22, "deploy", "@@password:SSH_PASSWORD@@")
cache = redis.Redis("cache.internal", 6379, 0, "@@password:REDIS_PASSWORD@@")
auth = HTTPBasicAuth("deploy", "@@password:DEPLOY_PASSWORD@@")
