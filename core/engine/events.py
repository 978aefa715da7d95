"""Log event wordings, following the seeds ("Customers sync completed: 12 created, ...")."""

from __future__ import annotations

from ..models import LogKind, LogLevel
from ..store.records import LogRow
from ..timeutil import now


def label(stream: str) -> str:
    """'customers' -> 'Customers', 'invoice_lines' -> 'Invoice lines'."""
    words = stream.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else stream


def started(stream: str, service: str, source: str, destination: str) -> tuple[str, str]:
    title = f"{label(stream)} sync started"
    return title, f"{title} for service {service}, from {source} to {destination}."


def completed(stream: str, created: int, updated: int, failed: int, ms: int) -> tuple[str, str]:
    title = f"{label(stream)} sync completed"
    return title, (
        f"{title}: {created} created, {updated} updated, {failed} failed. Duration: {ms}ms."
    )


def failed(stream: str, reason: str) -> tuple[str, str]:
    title = f"{label(stream)} sync failed"
    return title, f"{title}: {reason}"


def auth_cause(status: int, connector: str, auth_type: str) -> str:
    if status == 401:
        return (
            f"{connector} answered 401 Unauthorized to the first request: the credentials were "
            f"rejected. Likely cause: a wrong, expired or revoked {auth_type} secret, or its "
            f"environment variable holds an old value. Check connectors.{connector}.auth."
        )
    return (
        f"{connector} answered 403 Forbidden to the first request: the credentials are valid "
        f"but lack permission for this resource. Likely cause: the API user's role or scopes, "
        f"or an IP allow-list. Check the API user's permissions at {connector}."
    )


def oauth_expired(connector: str, error: str) -> str:
    return (
        f"Expired OAuth token: {error}. Reconnect the connector (R in the Connectors screen, or "
        f"syncdeck connectors reconnect {connector} refresh_token=env:NAME) and complete the "
        "OAuth authorization again; syncing resumes on its own."
    )


def row(
    level: LogLevel,
    title: str,
    details: str = "",
    *,
    kind: LogKind = LogKind.EVENT,
    connector_id: int | None = None,
    service_id: int | None = None,
    run_id: int | None = None,
    step_id: int | None = None,
    entity_id: int | None = None,
    code: str | None = None,
) -> LogRow:
    return LogRow(
        ts=now(),
        level=level.value,
        kind=kind.value,
        title=title,
        details=details,
        connector_id=connector_id,
        service_id=service_id,
        run_id=run_id,
        step_id=step_id,
        entity_id=entity_id,
        code=code,
    )
