"""Monthly cost estimate for the secrets a plan creates (AWS list prices, us-east-1)."""

from __future__ import annotations

from dataclasses import dataclass

PRICE_PER_SECRET_MONTH = 0.40
PRICE_PER_10K_CALLS = 0.05
# With the accessor's per-process cache a secret is fetched once per process start. Assume a
# service restarts or scales out about once an hour: 24 * 30 fetches per secret per month.
DEFAULT_CALLS_PER_SECRET_MONTH = 720


@dataclass(frozen=True)
class CostEstimate:
    secrets: int
    replicas: int  # replica secrets (each billed as a secret)
    calls_per_month: int
    storage_usd: float
    calls_usd: float

    @property
    def total_usd(self) -> float:
        return round(self.storage_usd + self.calls_usd, 2)

    def render(self) -> str:
        return (
            f"${self.total_usd:.2f}/month: {self.secrets} secret(s)"
            + (f" + {self.replicas} replica(s)" if self.replicas else "")
            + f" x ${PRICE_PER_SECRET_MONTH:.2f} = ${self.storage_usd:.2f}; "
            f"~{self.calls_per_month:,} GetSecretValue calls x ${PRICE_PER_10K_CALLS:.2f}/10k "
            f"= ${self.calls_usd:.2f} (assumes cached fetches, "
            f"{DEFAULT_CALLS_PER_SECRET_MONTH}/secret-month)"
        )


def estimate(
    secrets: int,
    replica_regions: int = 0,
    calls_per_secret_month: int = DEFAULT_CALLS_PER_SECRET_MONTH,
) -> CostEstimate:
    replicas = secrets * replica_regions
    calls = secrets * calls_per_secret_month
    return CostEstimate(
        secrets=secrets,
        replicas=replicas,
        calls_per_month=calls,
        storage_usd=round((secrets + replicas) * PRICE_PER_SECRET_MONTH, 2),
        calls_usd=round(calls / 10_000 * PRICE_PER_10K_CALLS, 2),
    )
