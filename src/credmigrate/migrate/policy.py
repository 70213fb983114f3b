"""A least-privilege IAM policy for the application that reads the migrated secrets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def secret_arn_pattern(region: str, account: str, name: str) -> str:
    """The ARN of ``name`` with its random 6-character suffix as ``??????`` (one secret only)."""
    return f"arn:aws:secretsmanager:{region}:{account}:secret:{name}-??????"


def kms_key_arn(key_id: str, region: str, account: str) -> str:
    if key_id.startswith("arn:"):
        return key_id
    if key_id.startswith("alias/"):
        # IAM can't match a key by alias in Resource; the condition below narrows by alias.
        return f"arn:aws:kms:{region}:{account}:key/*"
    return f"arn:aws:kms:{region}:{account}:key/{key_id}"


def build_policy(
    names: Sequence[str],
    *,
    region: str,
    account: str = "*",
    replica_regions: Sequence[str] = (),
    kms_key_id: str | None = None,
    exact_arns: Sequence[str] = (),
) -> dict[str, Any]:
    """``secretsmanager:GetSecretValue`` on exactly these secrets (+ ``kms:Decrypt`` on the key).

    ``exact_arns`` (known after the upload) replace the name patterns for the primary region.
    """
    resources = (
        sorted(exact_arns)
        if exact_arns
        else [secret_arn_pattern(region, account, n) for n in sorted(names)]
    )
    for replica in sorted(replica_regions):
        resources += [secret_arn_pattern(replica, account, n) for n in sorted(names)]
    statements: list[dict[str, Any]] = [
        {
            "Sid": "CredmigrateReadMigratedSecrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": resources,
        }
    ]
    if kms_key_id:
        stmt: dict[str, Any] = {
            "Sid": "CredmigrateDecryptMigratedSecrets",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": kms_key_arn(kms_key_id, region, account),
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": [
                        f"secretsmanager.{r}.amazonaws.com" for r in [region, *replica_regions]
                    ]
                }
            },
        }
        if kms_key_id.startswith("alias/"):
            stmt["Condition"]["ForAnyValue:StringEquals"] = {"kms:ResourceAliases": kms_key_id}
        statements.append(stmt)
    return {"Version": "2012-10-17", "Statement": statements}


def render_policy(policy: dict[str, Any]) -> str:
    return json.dumps(policy, indent=2, sort_keys=False)
