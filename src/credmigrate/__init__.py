"""credmigrate: find hardcoded secrets, move them to AWS Secrets Manager, rewrite code to fetch them."""

__version__ = "0.1.0"
