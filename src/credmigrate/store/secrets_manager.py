"""The AWS Secrets Manager adapter: the only module that imports boto3/botocore.

Every botocore failure is translated into :class:`credmigrate.errors.StoreError` (exit 4) or,
for a broken local AWS configuration, :class:`credmigrate.errors.BadInputError` (exit 3), with one
line that names the secret and the likely cause. Values never appear in messages.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import boto3
import botocore.config
import botocore.exceptions

from credmigrate.errors import BadInputError, StoreError

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

MAX_SECRET_BYTES = 65536  # the service's SecretString limit
BATCH = 20  # BatchGetSecretValue's SecretIdList limit
DEFAULT_MAX_ATTEMPTS = 8
_WRITE_CALLS = frozenset(
    {
        "CreateSecret",
        "PutSecretValue",
        "UpdateSecret",
        "RotateSecret",
        "TagResource",
        "DeleteSecret",
    }
)


@dataclass(frozen=True)
class StoreSettings:
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None  # else AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS config
    max_attempts: int | None = None  # else AWS_MAX_ATTEMPTS, else DEFAULT_MAX_ATTEMPTS
    max_pool: int = 32


@dataclass(frozen=True)
class RemoteSecret:
    """What the store holds under a name. ``value`` is None when the secret is deleted."""

    name: str
    arn: str
    version_id: str
    value: str | None = field(repr=False, default=None)
    deleted: bool = False


@dataclass(frozen=True)
class Written:
    arn: str
    version_id: str


@dataclass
class CallCounter:
    """Counts API calls by operation name (for the plan, the report and the benchmark)."""

    counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, operation: str) -> None:
        with self._lock:
            self.counts[operation] = self.counts.get(operation, 0) + 1

    @property
    def writes(self) -> int:
        return sum(n for op, n in self.counts.items() if op in _WRITE_CALLS)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _error_code(exc: botocore.exceptions.ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "")) or "Unknown"


def _error_message(exc: botocore.exceptions.ClientError) -> str:
    return " ".join(str(exc.response.get("Error", {}).get("Message", "")).split())


def is_deleted_message(message: str) -> bool:
    lowered = " ".join(message.lower().split())
    return any(
        m in lowered for m in ("marked for deletion", "marked deleted", "scheduled for deletion")
    )


class SecretStore:
    """A thread-safe Secrets Manager client with adaptive retries and translated errors."""

    def __init__(self, settings: StoreSettings | None = None) -> None:
        self.settings = settings or StoreSettings()
        self.calls = CallCounter()
        self._batch_ok = True
        attempts = self.settings.max_attempts
        if attempts is None:
            env = os.environ.get("AWS_MAX_ATTEMPTS", "")
            attempts = int(env) if env.isdigit() and int(env) > 0 else DEFAULT_MAX_ATTEMPTS
        config = botocore.config.Config(
            retries={"mode": "adaptive", "total_max_attempts": attempts},
            max_pool_connections=self.settings.max_pool,
            connect_timeout=5,
            read_timeout=30,
        )
        try:
            session = boto3.session.Session(
                profile_name=self.settings.profile, region_name=self.settings.region
            )
            self._client: SecretsManagerClient = session.client(
                "secretsmanager", endpoint_url=self.settings.endpoint_url, config=config
            )
        except botocore.exceptions.ProfileNotFound:
            raise BadInputError(f"AWS profile not found: {self.settings.profile}") from None
        except botocore.exceptions.NoRegionError:
            raise BadInputError(
                "no AWS region configured: pass --region or set AWS_DEFAULT_REGION"
            ) from None
        except (botocore.exceptions.BotoCoreError, ValueError) as exc:
            raise BadInputError(f"invalid AWS configuration: {exc}") from None
        self.region: str = self._client.meta.region_name
        self.endpoint: str = self._client.meta.endpoint_url
        self._client.meta.events.register("before-call.secrets-manager", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls.add(str(model.name))

    def _translate(self, exc: Exception, action: str, name: str) -> StoreError:
        where = f"{action} {name!r}"
        if isinstance(exc, botocore.exceptions.ClientError):
            code, message = _error_code(exc), _error_message(exc)
            if code in {"AccessDeniedException", "AccessDenied", "UnrecognizedClientException"}:
                return StoreError(
                    f"access denied to {where}: the AWS identity lacks permission ({code})"
                )
            if code in {"ThrottlingException", "Throttling", "TooManyRequestsException"}:
                return StoreError(
                    f"throttled while trying to {where}, still after retries; rerun later "
                    "(the journal resumes where this run stopped)"
                )
            if code == "InvalidRequestException" and is_deleted_message(message):
                return StoreError(
                    f"cannot {where}: a secret with that name is scheduled for deletion; restore "
                    "it (aws secretsmanager restore-secret) or choose another name/--prefix"
                )
            return StoreError(f"secret store refused to {where}: {code}: {message}"[:400])
        if isinstance(exc, botocore.exceptions.NoCredentialsError):
            return StoreError("no AWS credentials found (set a profile or AWS_* variables)")
        if isinstance(
            exc,
            (
                botocore.exceptions.EndpointConnectionError,
                botocore.exceptions.ConnectionClosedError,
                botocore.exceptions.ReadTimeoutError,
                botocore.exceptions.ConnectTimeoutError,
                botocore.exceptions.HTTPClientError,
            ),
        ):
            return StoreError(f"cannot reach the secret store at {self.endpoint} to {where}")
        return StoreError(f"secret store failure while trying to {where}: {exc}"[:400])

    def _call(self, action: str, name: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise self._translate(exc, action, name) from None

    def get(self, name: str) -> RemoteSecret | None:
        """The current value under ``name``, or None if no such secret exists."""
        try:
            resp = self._client.get_secret_value(SecretId=name)
        except botocore.exceptions.ClientError as exc:
            code, message = _error_code(exc), _error_message(exc)
            if code == "ResourceNotFoundException":
                return None
            if code == "InvalidRequestException" and is_deleted_message(message):
                desc = self._call(
                    "describe", name, lambda: self._client.describe_secret(SecretId=name)
                )
                return RemoteSecret(name=name, arn=str(desc["ARN"]), version_id="", deleted=True)
            raise self._translate(exc, "read", name) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise self._translate(exc, "read", name) from None
        if "SecretString" not in resp:
            return RemoteSecret(name, resp["ARN"], resp["VersionId"], value=None)
        return RemoteSecret(name, resp["ARN"], resp["VersionId"], value=resp["SecretString"])

    def get_many(self, names: Sequence[str]) -> dict[str, RemoteSecret | None]:
        """Current values of up to :data:`BATCH` names in one BatchGetSecretValue call.

        Falls back to one GetSecretValue per name where the batch API is denied (it needs its
        own IAM permission) or unavailable.
        """
        if not names:
            return {}
        if len(names) > BATCH:
            raise ValueError(f"at most {BATCH} names per batch")
        if not self._batch_ok:
            return {n: self.get(n) for n in names}
        try:
            resp = self._client.batch_get_secret_value(SecretIdList=list(names))
        except botocore.exceptions.ClientError as exc:
            code = _error_code(exc)
            if code in {"AccessDeniedException", "UnknownOperationException", "NotImplemented"}:
                self._batch_ok = False
                return {n: self.get(n) for n in names}
            raise self._translate(exc, "read", names[0]) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise self._translate(exc, "read", names[0]) from None
        out: dict[str, RemoteSecret | None] = {}
        for v in resp.get("SecretValues", []):
            name = str(v["Name"])
            out[name] = RemoteSecret(
                name, str(v["ARN"]), str(v["VersionId"]), value=v.get("SecretString")
            )
        for err in resp.get("Errors", []):
            sid, code = str(err.get("SecretId", "")), str(err.get("ErrorCode", ""))
            if code == "ResourceNotFoundException":
                out[sid] = None
            else:  # deleted, denied for this one, ...: the single call explains it exactly
                out[sid] = self.get(sid)
        for n in names:
            if n not in out:  # answered under its ARN only, or not at all: ask singly
                out[n] = self.get(n)
        return out

    def create(
        self,
        name: str,
        value: str,
        *,
        description: str = "",
        tags: Mapping[str, str] | None = None,
        kms_key_id: str | None = None,
        replica_regions: Sequence[str] = (),
        token: str | None = None,
    ) -> Written | None:
        """Create ``name``; None if it already exists (the caller then reads it back)."""
        check_size(name, value)
        kwargs: dict[str, Any] = {"Name": name, "SecretString": value}
        if description:
            kwargs["Description"] = description
        if tags:
            kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        if kms_key_id:
            kwargs["KmsKeyId"] = kms_key_id
        if replica_regions:
            replicas = [{"Region": r} for r in replica_regions]
            if kms_key_id:
                replicas = [{**r, "KmsKeyId": kms_key_id} for r in replicas]
            kwargs["AddReplicaRegions"] = replicas
        if token:
            kwargs["ClientRequestToken"] = token
        try:
            resp = self._client.create_secret(**kwargs)
        except botocore.exceptions.ClientError as exc:
            if _error_code(exc) == "ResourceExistsException":
                return None
            raise self._translate(exc, "create", name) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise self._translate(exc, "create", name) from None
        return Written(arn=resp["ARN"], version_id=resp["VersionId"])

    def put(self, name: str, value: str, token: str | None = None) -> Written:
        """Write a new current version of an existing secret."""
        check_size(name, value)
        kwargs: dict[str, Any] = {"SecretId": name, "SecretString": value}
        if token:
            kwargs["ClientRequestToken"] = token
        resp = self._call("update", name, lambda: self._client.put_secret_value(**kwargs))
        return Written(arn=str(resp["ARN"]), version_id=str(resp["VersionId"]))

    def rotate(self, name: str, lambda_arn: str, days: int) -> None:
        self._call(
            "set up rotation for",
            name,
            lambda: self._client.rotate_secret(
                SecretId=name,
                RotationLambdaARN=lambda_arn,
                RotationRules={"AutomaticallyAfterDays": days},
                RotateImmediately=False,
            ),
        )

    def rotation(self, name: str) -> tuple[str, int]:
        """(rotation Lambda ARN, days) when rotation is enabled, else ("", 0)."""
        d = self._call("describe", name, lambda: self._client.describe_secret(SecretId=name))
        if not d.get("RotationEnabled"):
            return "", 0
        days = d.get("RotationRules", {}).get("AutomaticallyAfterDays", 0)
        return str(d.get("RotationLambdaARN", "")), int(days or 0)

    def version_count(self, name: str) -> int:
        """How many versions the secret holds (tests and verification of 'exactly once')."""
        resp = self._call(
            "list versions of", name, lambda: self._client.list_secret_version_ids(SecretId=name)
        )
        return len(resp.get("Versions", []))

    def list_names(self) -> list[str]:
        names: list[str] = []
        paginator = self._client.get_paginator("list_secrets")
        try:
            for page in paginator.paginate(IncludePlannedDeletion=True):
                names.extend(str(s["Name"]) for s in page.get("SecretList", []))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise self._translate(exc, "list", "secrets") from None
        return names

    def delete(self, name: str, *, force: bool = False, recovery_days: int = 7) -> None:
        kwargs: dict[str, Any] = {"SecretId": name}
        if force:
            kwargs["ForceDeleteWithoutRecovery"] = True
        else:
            kwargs["RecoveryWindowInDays"] = recovery_days
        self._call("delete", name, lambda: self._client.delete_secret(**kwargs))


def check_size(name: str, value: str) -> None:
    size = len(value.encode("utf-8"))
    if size > MAX_SECRET_BYTES:
        raise BadInputError(
            f"secret {name!r} would be {size} bytes, over Secrets Manager's 64 KB limit; "
            "split it (--group none) or exclude the file"
        )
