SERVICE_ACCOUNT = {
    "type": "service_account",
    "project_id": "demo-project",
    "private_key": "@@pem_escaped:private_key@@",
    "client_email": "svc@demo-project.iam.gserviceaccount.com",
}
