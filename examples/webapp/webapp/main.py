"""Entry point: shows that the service can read every credential it needs.

It prints a fingerprint of each value, never the value itself, so the demo can compare the
migrated program's view of its secrets with the original without revealing them.
"""

import hashlib

from webapp import clients, settings


def fingerprints() -> dict[str, str]:
    values = {
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASES.default.PASSWORD": settings.DATABASES["default"]["PASSWORD"],
        "CACHE_URL": settings.CACHE_URL,
        "SLACK_BOT_TOKEN": clients.SLACK_BOT_TOKEN,
        "STRIPE_API_KEY": clients.STRIPE_API_KEY,
        "AwsConfig.ACCESS_KEY_ID": clients.AwsConfig.ACCESS_KEY_ID,
        "AwsConfig.SECRET_ACCESS_KEY": clients.AwsConfig.SECRET_ACCESS_KEY,
    }
    return {k: hashlib.sha256(v.encode()).hexdigest()[:12] for k, v in sorted(values.items())}


if __name__ == "__main__":
    for name, fp in fingerprints().items():
        print(f"{name}: sha256:{fp}")
