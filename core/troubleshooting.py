"""The troubleshooting catalogue: what a known error means and what to do about it.

Keyed by code (a log event's `code`, or what `match` finds from an HTTP status and message text).
Taken from the seeds' troubleshooting tables (ConnectWise, Autotask, Levelup) plus 429 and timeouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Trouble:
    code: str
    title: str
    causes: tuple[str, ...]
    actions: tuple[str, ...]


def _t(code: str, title: str, causes: list[str], actions: list[str]) -> Trouble:
    return Trouble(code, title, tuple(causes), tuple(actions))


CATALOGUE: dict[str, Trouble] = {
    t.code: t
    for t in (
        _t(
            "http_401",
            "401 Unauthorized",
            [
                "Incorrect user name, secret or API key, or a missing tracking identifier.",
                "The API user was deactivated or its key was revoked.",
            ],
            [
                "Verify the connector's credentials (user name, secret, integration code).",
                "Confirm the API user is active and has the API-only security level.",
                "Rotate the secret and reconnect the connector if it was regenerated.",
            ],
        ),
        _t(
            "http_403",
            "403 Forbidden or no results",
            [
                "The API user lacks permission for a module or line of business.",
                "Network or access restrictions block requests from this host.",
            ],
            [
                "Adjust the API user's security level or line-of-business associations "
                "(products, purchase orders, inventory...).",
                "Check IP allow lists on the third-party side.",
            ],
        ),
        _t(
            "http_429",
            "429 Too Many Requests (rate limited)",
            [
                "The sync exceeded the API's rate limit; other integrations may share the budget.",
            ],
            [
                "Nothing, if later attempts succeeded: syncdeck retries honouring Retry-After.",
                "If it keeps failing, lower the connector's rate limit or move the schedule "
                "to a quieter hour.",
            ],
        ),
        _t(
            "http_500",
            "5xx Server error",
            ["The third-party system failed or is under maintenance."],
            [
                "Wait a few minutes; syncdeck retries 5xx with backoff.",
                "If it persists, check the vendor's status page and retry the failed entities.",
            ],
        ),
        _t(
            "timeout",
            "Request timed out",
            [
                "The third-party API is slow or unreachable from this host.",
                "A page size too large for the API to answer in time.",
            ],
            [
                "Check connectivity from this host (DNS, proxy, firewall).",
                "Lower the page size or raise the connector's timeout, then retry failed.",
            ],
        ),
        _t(
            "dns",
            "Host name not found",
            [
                "The connector's base URL names a host that DNS does not know (a typo, an old "
                "instance name, a region prefix such as webservices5 vs webservices15).",
                "This host has no working DNS resolver or needs a proxy to reach the internet.",
            ],
            [
                "Check the host name in the connector's base URL against the vendor's instance "
                "URL (E edits it), then test again.",
                "From this host, try `getent hosts <host>`; if it fails, fix DNS or the proxy.",
            ],
        ),
        _t(
            "connection_refused",
            "Connection refused",
            [
                "Nothing listens at that host and port: the service is down, or the port in "
                "the base URL is wrong (http vs https, a missing :8443...).",
                "A firewall on the way rejects the connection.",
            ],
            [
                "Check the port and scheme of the connector's base URL (E edits it).",
                "Check that the service is up, and that this host may reach it (firewall, "
                "VPN), then test again.",
            ],
        ),
        _t(
            "tls",
            "TLS / certificate error",
            [
                "The server's certificate is not trusted here (self-signed, expired, another "
                "host name), or the URL says https to a port that speaks plain http.",
                "A proxy on the way intercepts TLS with its own certificate.",
            ],
            [
                "Check the scheme and host of the base URL (https to the vendor's own name).",
                "If a proxy re-signs TLS, add its CA to this host's trust store "
                "(SSL_CERT_FILE), then test again.",
            ],
        ),
        _t(
            "invalid_sku",
            "Invalid SKU during order submission",
            ["The product was not synced, or its category mapping is incorrect."],
            [
                "Run the product sync so the SKU exists at the destination.",
                "Verify the category mappings of the product.",
            ],
        ),
        _t(
            "partial_shipment",
            "Partial shipments not updating",
            ["The order status mapping does not cover partial shipments."],
            [
                "Edit the order status mapping (Autotask: the Get Order Status template) so a "
                "partial shipment maps to a status or a note field at the destination.",
                "Then retry the failed entities of the run.",
            ],
        ),
        _t(
            "no_orders_created",
            "No orders created",
            [
                "The purchase orders have not reached the status the sync requires.",
                "Automatic submission is disabled (the service or its schedule is off).",
            ],
            [
                "Confirm the purchase orders are marked ready / approved at the source (Autotask).",
                "Check that the service creating orders is enabled (Services, x) with a "
                "schedule; with manual submission, run it on schedule (g, or syncdeck run).",
            ],
        ),
        _t(
            "agreement_mismatch",
            "Agreement does not belong to company",
            [
                "An invoice line was assigned an agreement that belongs to a different customer "
                "than the line's organization.",
            ],
            [
                "Edit the line and pick an agreement that belongs to the right customer,",
                "or leave the agreement empty so a new one is created.",
            ],
        ),
        _t(
            "unmapped_customer",
            "One or more invoice line customers are not mapped",
            ["A sync was attempted with at least one line that has no destination organization."],
            [
                "Open the mappings, filter by status Unmapped and complete the mapping "
                "(bulk update when many lines share one customer), then sync again.",
            ],
        ),
        _t(
            "cooldown",
            "Sync recently completed (cooldown)",
            ["A manual run was triggered within the service's cooldown (60 minutes by default)."],
            [
                "Wait until the cooldown elapses, then run again.",
                "Scheduled runs are not affected by the cooldown.",
            ],
        ),
        _t(
            "test_connection_failed",
            "Test connection not successful",
            [
                "Incorrect API URL, company id, public key or private key.",
                "Keys generated for an account without sufficient permissions.",
                "Network or access restrictions blocking this host.",
            ],
            [
                "Verify each credential against the third-party instance; regenerate the keys "
                "if needed, then test the connection again before saving.",
            ],
        ),
        _t(
            "response_error",
            "Response Error: the API returned no data",
            ["The third-party system did not return data when the mapping was loaded."],
            [
                "Wait a few minutes and refresh.",
                "If it persists for more than 15 minutes, test the connector and look for "
                "connection errors in the log.",
            ],
        ),
        _t(
            "oauth_expired",
            "Expired OAuth token",
            ["The OAuth access or refresh token expired or was revoked; syncs stop working."],
            [
                "Reconnect the connector and complete the OAuth authorization again; "
                "syncing resumes on its own.",
                "If the user who connected left, connect with another account.",
            ],
        ),
        _t(
            "duplicate_connection",
            "Duplicate connection",
            ["This account already has a connection to that system."],
            [
                "Manage the existing connector instead of adding a new one.",
                "To connect a different account, disconnect the current one first.",
            ],
        ),
        _t(
            "required_field_empty",
            "Required field empty",
            ["A required destination field had no value after mapping and no default."],
            [
                "Fill the value at the source, or give the field mapping a default, "
                "then retry the failed entities.",
            ],
        ),
        _t(
            "lookup_unmapped",
            "Value not in lookup table",
            ["A source value has no entry in the service's value mapping (lookup table)."],
            [
                "Open the mappings, filter by Unmapped, map the value, then retry failed.",
            ],
        ),
        _t(
            "lost_create",
            "A create whose answer was lost (it may already exist)",
            [
                "The destination may have created the record, but its answer never arrived "
                "(timeout, reset, 5xx) or a run stopped before its id was kept.",
            ],
            [
                "Set push.find on the stream so syncdeck looks the record up before sending "
                "it again, or push.idempotency_header if the API takes an idempotency key.",
                "Or check the destination yourself, then set push.on_lost_create = "
                '"assume_not_created" and retry the failed entities.',
            ],
        ),
        _t(
            "credentials_withheld",
            "Credentials withheld from another host",
            ["A next link or redirect pointed to a host other than the connector's base URL."],
            [
                "If that host belongs to the same API, add it to the connector's allowed_hosts.",
                "Otherwise ask the API's owner why its links leave its host.",
            ],
        ),
        _t(
            "paging_stopped",
            "Paging stopped early",
            [
                "The API sent a cursor or next link already read (it does not advance), or the "
                "max_pages guard was reached.",
            ],
            ["Check the stream's paginator settings (cursor_path, next_url_path, max_pages)."],
        ),
    )
}

_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), code)
    for p, code in (
        (r"may already exist|answer to the create was lost|created it but", "lost_create"),
        (r"\b401\b|unauthori[sz]ed", "http_401"),
        (r"\b403\b|forbidden", "http_403"),
        (r"\b429\b|too many requests|rate.?limit", "http_429"),
        (r"timed? ?out|timeout", "timeout"),
        (
            r"name or service not known|name resolution|nodename nor servname|getaddrinfo|"
            r"no address associated|name does not resolve|\berrno -[235]\b",
            "dns",
        ),
        (r"certificate|\bssl\b|\btls\b|wrong version number|handshake", "tls"),
        (r"connection refused|errno 111|all connection attempts failed", "connection_refused"),
        (r"invalid sku", "invalid_sku"),
        (r"partial(ly)? shipp?(ed|ments?)", "partial_shipment"),
        (r"\bno orders?\b.{0,20}\bcreated\b|\b0 orders? created", "no_orders_created"),
        (r"agreement .*does not belong", "agreement_mismatch"),
        (r"customers? (are|is) not mapped|unmapped customer", "unmapped_customer"),
        (r"minimum interval between syncs|cooldown|recently completed", "cooldown"),
        (
            r"test (connection )?(is )?not successful|test connection failed",
            "test_connection_failed",
        ),
        (r"response error", "response_error"),
        (
            r"(oauth|access|refresh).{0,20}(token).{0,20}(expired|invalid)|invalid.?token|"
            r"invalid_grant|token expired",
            "oauth_expired",
        ),  # fmt: skip
        (r"already has an? (integration|connection)|duplicate connection", "duplicate_connection"),
        (r"required (field|value).{0,40}(empty|missing)", "required_field_empty"),
        (
            r"(no|not in|missing).{0,20}lookup|unmapped value|lookup.{0,30}unmapped",
            "lookup_unmapped",
        ),
        (r"\b5\d\d\b|server error|bad gateway|service unavailable", "http_500"),
    )
)


def match(status: int | None = None, text: str = "") -> str | None:
    """The catalogue key for an HTTP status and/or an error text, or None when unknown."""
    if text:
        for pattern, code in _TEXT_RULES:
            if pattern.search(text):
                return code
    if status is not None:
        if status in (401, 403, 429):
            return f"http_{status}"
        if 500 <= status <= 599:
            return "http_500"
    return None


def lookup(code: str | None = None, status: int | None = None, text: str = "") -> Trouble | None:
    """The entry for a known code, else the best match from status and text."""
    if code and code in CATALOGUE:
        return CATALOGUE[code]
    found = match(status, text)
    return CATALOGUE.get(found) if found else None


from . import troubleshooting_vendors  # noqa: E402, F401 - adds each vendor's entries
