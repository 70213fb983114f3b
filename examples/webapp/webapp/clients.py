"""Third-party clients for the example service. Every credential below is fake."""

SLACK_BOT_TOKEN = "xoxb-2837465019283-2837465019284-Zr7Kq2Lm9Xw4Vb8Nt3Pd6Fs1"

STRIPE_API_KEY = "sk_live_9Rt4Kx2Vq7Lm3Wz8Np5Hb6Jd"


class AwsConfig:
    """Credentials for the uploads bucket."""

    REGION = "eu-west-1"
    ACCESS_KEY_ID = "AKIAQ3EGT7BZXK4WN2PL"
    SECRET_ACCESS_KEY = "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"


def payment_headers() -> dict[str, str]:
    return {"Authorization": "Bearer " + STRIPE_API_KEY}
