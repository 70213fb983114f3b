"""Where secrets go: the AWS Secrets Manager adapter (the only boto3 importer) and the local
stand-in (moto in server mode on 127.0.0.1) used by the demo.

Takes named JSON/string values; gives created/updated/unchanged outcomes and ARNs, or StoreError.
"""
