"""Event wordings, failures and skip reasons, worded as in the seed documents.

Each failure and warning carries the troubleshooting key (`code`) the console uses to show the
recommended resolution.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    status: int | None  # HTTP status of the failing call; None: no call (pre-check or timeout)
    title: str
    message: str  # may use {ext} {iid} {agr} {cmp} {sku} {host} {name}
    code: str | None
    attempts: int = 1  # calls made before giving up (retried statuses)


FAILURES: dict[str, Failure] = {
    "agreement_mismatch": Failure(
        400, "Agreement mismatch",
        "Agreement with ID {agr} does not belong to company with ID {cmp}.", "agreement_mismatch",
    ),
    "unmapped_customer": Failure(
        None, "Unmapped customer", "One or more invoice line customers are not mapped.",
        "unmapped_customer",
    ),
    "invalid_sku": Failure(
        400, "Invalid SKU",
        "Invalid SKU '{sku}' during order submission: the product was not synced or its "
        "category mapping is incorrect.", "invalid_sku",
    ),
    "cw_404": Failure(
        404, "Record not found", "404 Not Found: Company with ID {iid} was not found.", None
    ),
    "cw_contact_400": Failure(
        400, "Contact rejected",
        "400 Bad Request: communicationItems: Email address 'n/a' is not a valid email address.",
        None,
    ),
    "xero_validation": Failure(
        400, "Validation error",
        "A validation exception occurred: Account code '4000' is not a valid code for this "
        "document.", None,
    ),
    "duplicate_contact": Failure(
        400, "Duplicate contact",
        "The contact name {name} is already assigned to another contact. The contact name must "
        "be unique across all active contacts.", None,
    ),
    "qbo_duplicate": Failure(
        400, "Duplicate name", "Duplicate Name Exists Error: The name supplied already exists.",
        None,
    ),
    "http_403": Failure(
        403, "Forbidden",
        "403 Forbidden: the API user lacks permission for this module (security level or "
        "line-of-business associations).", "http_403",
    ),
    "http_500": Failure(
        500, "Server error", "500 Internal Server Error from {host} after 3 attempts.",
        "http_500", attempts=3,
    ),
    "http_401": Failure(
        401, "Connection failure",
        "401 Unauthorized: {host} rejected the credentials. Incorrect user name, secret or "
        "missing tracking identifier.", "http_401",
    ),
    "oauth_expired": Failure(
        401, "Expired OAuth token",
        "401 Unauthorized: the OAuth token has expired and could not be refreshed "
        "(invalid_grant). Reconnect the connector to resume syncing.", "oauth_expired",
    ),
    "http_429": Failure(
        429, "Rate limit exhausted",
        "429 Too Many Requests from {host}: still rate limited after 5 attempts "
        "(Retry-After: 60).", "http_429", attempts=5,
    ),
    "timeout": Failure(
        None, "Request timed out",
        "ReadTimeout: no response from {host} within 30.0 s after 3 attempts.", "timeout",
        attempts=3,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Skip:
    title: str | None  # None: no log event (an unchanged record is not news)
    reason: str  # may use {field} {value}
    code: str | None
    values: tuple[str, ...] = ()


SKIPS: dict[str, Skip] = {
    "unchanged": Skip(None, "unchanged since last sync", None),
    "required_field_empty": Skip("{singular} skipped", "required field {field} is empty",
                                 "required_field_empty"),
    "lookup_unmapped_plan": Skip("Subscription skipped",
                                 "plan '{value}' has no mapping in lookup plans",
                                 "lookup_unmapped", ("bronze", "backup-50gb")),
    "lookup_unmapped_stage": Skip("{singular} skipped",
                                  "lifecycle stage '{value}' has no mapping in lookup "
                                  "lifecycle_stage", "lookup_unmapped", ("evangelist", "other")),
    "lookup_unmapped_tax": Skip("{singular} skipped",
                                "tax rate '{value}' has no mapping in lookup tax_rates",
                                "lookup_unmapped", ("EU OSS 21%",)),
    "unmapped_line": Skip("Unmapped lines skipped",
                          "Line skipped: Mapping Status is Unmapped (customer '{value}' has no "
                          "PSA Organization).", "lookup_unmapped",
                          ("Northwind Traders", "Tailspin Toys")),
    "po_not_ready": Skip("Order skipped",
                         "purchase order is not marked as ready/approved in Autotask", None),
}  # fmt: skip

SINGULAR = {
    "Customers": "Customer", "Contacts": "Contact", "Deals": "Deal", "Agreements": "Subscription",
    "Invoice lines": "Invoice line", "Products": "Product", "Orders": "Order",
    "Invoices": "Invoice",
}  # fmt: skip

REQUIRED_FIELD = {
    "contacts": "email", "customers": "email", "companies": "email", "products": "sku",
    "invoices": "email", "invoice_lines": "sku", "agreements": "email", "orders": "sku",
    "deals": "amount",
}  # fmt: skip

COMPANY_NAMES = (
    "Contoso Ltd", "Fabrikam Inc", "Northwind Traders", "Adventure Works", "Tailspin Toys",
    "Wide World Importers", "Litware Inc", "Proseware Inc", "Woodgrove Bank", "Alpine Ski House",
    "Blue Yonder Airlines", "Coho Winery", "Fourth Coffee", "Lucerne Publishing", "Margie's Travel",
)  # fmt: skip


def started(label: str, unit: str, n: int, reseller: str, months: int) -> tuple[str, str]:
    """(title, details) of a stream's start milestone, in the seeds' words."""
    if label == "Customers" and reseller:
        return (
            "Customers sync started",
            f"Customers sync started for reseller {reseller}, provider CW.",
        )
    if label == "Invoice lines":
        return "Invoice lines sync started", f"Invoice lines sync started: {n} lines to process."
    if label == "Products":
        return "Products loaded", f"Products loaded for period: last {months} months."
    return f"{label} sync started", f"{label} sync started: {n} {unit} to process."


def completed(label: str, created: int, updated: int, failed: int, ms: int) -> tuple[str, str]:
    return (
        f"{label} sync completed",
        f"{label} sync completed: {created} created, {updated} updated, {failed} failed. "
        f"Duration: {ms}ms.",
    )


COOLDOWN = (
    "Sync not started",
    "A synchronization was recently completed. Minimum interval between syncs is 60 minutes.",
    "cooldown",
)
CANCELLED = "Sync cancelled by {user} after {pages} of {total} pages."
INTERRUPTED = "The process running this sync stopped before it finished."
USERS = ("alice@acme-msp.example", "bob@acme-msp.example", "oncall@acme-msp.example")

# Connector-level events: (ago_hours, connector, level, kind, title, details, code)
CONNECTOR_EVENTS: tuple[tuple[float, str, str, str, str, str, str | None], ...] = (
    (29.9 * 24, "connectwise", "INFO", "milestone", "Test connection succeeded",
     "Connected to api-na.myconnectwise.net as company acmemsp.", None),
    (29.9 * 24, "hubspot", "INFO", "milestone", "Test connection succeeded",
     "Connected to api.hubapi.com (private app, scopes crm.objects.companies.read, "
     "crm.objects.contacts.read, crm.objects.deals.read).", None),
    (29.8 * 24, "shopify", "INFO", "milestone", "Test connection succeeded",
     "Connected to acme-outdoor.myshopify.com (Admin API 2024-07).", None),
    (29.8 * 24, "chargebee", "INFO", "milestone", "Test connection succeeded",
     "Connected to acme-msp.chargebee.com.", None),
    (29.7 * 24, "autotask", "INFO", "milestone", "Test connection succeeded",
     "Connected to webservices5.autotask.net (zone 5).", None),
    (29.7 * 24, "quickbooks", "INFO", "milestone", "Test connection succeeded",
     "Connected to QuickBooks Online company 9130351234567890.", None),
    (20.3 * 24, "xero", "ERROR", "event", "Duplicate connection",
     "This user already has an integration to that accounting software. Disconnect the current "
     "one first, or manage the linked organisations.", "duplicate_connection"),
    (20.2 * 24, "xero", "INFO", "milestone", "Test connection succeeded",
     "Connected to Xero organisation Acme Outdoor Ltd.", None),
    (12.5 * 24, "quickbooks", "ERROR", "event", "Expired OAuth token",
     "Token expired: QuickBooks answered 400 invalid_grant when refreshing the access token.",
     "oauth_expired"),
    (12.0 * 24, "quickbooks", "INFO", "milestone", "Connector disconnected",
     "Disconnected by alice@acme-msp.example; service shopify-to-quickbooks was disabled.", None),
    (8.0 * 24, "xero", "ERROR", "event", "Expired OAuth token",
     "Token expired: Xero answered 400 invalid_grant when refreshing the access token. "
     "Reconnect to resume syncing.", "oauth_expired"),
    (7.6 * 24, "xero", "INFO", "milestone", "Connector reconnected",
     "Secrets rotated by alice@acme-msp.example; services and mappings kept.", None),
    (3.2 * 24, "connectwise", "WARNING", "event", "Response Error",
     "Mapping Status: Response Error. ConnectWise did not return data when the mapping page was "
     "loaded (lookup customers).", "response_error"),
    (5.1, "autotask", "ERROR", "event", "Connection failure",
     "401 Unauthorized: webservices5.autotask.net rejected the API user. Verify User Name, "
     "Secret and ApiIntegrationCode.", "http_401"),
    (4.9, "autotask", "ERROR", "event", "Test is not successful",
     "Test is not successful: 401 Unauthorized. The API user may be inactive or its secret was "
     "rotated.", "test_connection_failed"),
    (4.8, "autotask", "ERROR", "event", "Connection was not established",
     "Connection was not established. Please validate settings information.",
     "test_connection_failed"),
)  # fmt: skip
