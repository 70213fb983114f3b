from _credmigrate_secrets import get_secret

SERVICE_ACCOUNT = {
    "type": "service_account",
    "project_id": "demo-project",
    "private_key": get_secret("credmigrate/demo/service_account_pem", "private_key"),
    "client_email": "svc@demo-project.iam.gserviceaccount.com",
}
