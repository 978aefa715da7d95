"""The demo's world: connectors, services and streams modelled on the seed documents.

Plain data only. Secrets are `env:NAME` references, never values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .configs import CONNECTOR_CONFIGS, lookups_of, stream_config


@dataclass(frozen=True)
class ConnectorSpec:
    name: str
    preset: str | None  # None: a generic REST connector (no preset)
    base_url: str
    status: str
    status_detail: str
    config: dict
    request_headers: dict[str, str]
    rate_header: str  # response header carrying the remaining budget
    rate_budget: int  # budget per window, to render "remaining" from headroom


@dataclass(frozen=True)
class Pull:
    """How a stream's source is paginated: style, path, page size."""

    style: str  # cursor | page | offset | page_info | query | xero | qbo
    path: str
    page_size: int


@dataclass(frozen=True)
class StreamSpec:
    name: str
    label: str  # "Customers", used in "Customers sync completed: ..."
    unit: str  # "customers", used in "... sync started: N customers to process."
    pull: Pull
    push_path: str  # collection path on the destination
    ext_style: str  # how source ids look
    int_style: str  # how destination ids look
    full_size: int  # records in a full run at scale 1
    update_size: int  # mean records in an update / background run at scale 1
    fails: tuple[str, ...]  # failure keys (wordings.FAILURES) this stream can hit
    skips: tuple[str, ...]  # skip keys (wordings.SKIPS)


@dataclass(frozen=True)
class Cadence:
    sync_type: str  # full | update | background
    every_hours: float
    at_hour: float = 0.0  # offset in the day (UTC) for daily cadences
    size: str = "update"  # which stream size to use: full | update


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    source: str
    destination: str
    streams: tuple[StreamSpec, ...]
    schedule: str
    cadences: tuple[Cadence, ...]
    enabled: bool = True
    capture_payloads: bool = False
    stopped_days_ago: float = 0.0  # a disabled service's last run
    run_failures: tuple[str, ...] = ("http_500",)  # run-level failure keys
    reseller_id: str = ""  # named in the companies stream's "sync started" log
    config: dict = field(default_factory=dict)  # the ServiceConfig dict, set by _service


_UA = "syncdeck/0.1"


def _hdr(**extra: str) -> dict[str, str]:
    return {"Accept": "application/json", "User-Agent": _UA, **extra}


CONNECTORS: tuple[ConnectorSpec, ...] = (
    ConnectorSpec(
        "connectwise", "connectwise",
        "https://api-na.myconnectwise.net/v4_6_release/apis/3.0", "connected", "",
        CONNECTOR_CONFIGS["connectwise"],
        _hdr(Authorization="***", clientId="***"), "X-RateLimit-Remaining", 60,
    ),
    ConnectorSpec(
        "autotask", "autotask",
        "https://webservices5.autotask.net/ATServicesRest/V1.0", "error",
        "401 Unauthorized: check the API user's User Name, Secret and ApiIntegrationCode.",
        CONNECTOR_CONFIGS["autotask"],
        _hdr(UserName="***", Secret="***", ApiIntegrationCode="***"),
        "X-Autotask-Threshold-Remaining", 10000,
    ),
    ConnectorSpec(
        "hubspot", "hubspot",
        "https://api.hubapi.com", "connected", "",
        CONNECTOR_CONFIGS["hubspot"],
        _hdr(Authorization="***"), "X-HubSpot-RateLimit-Remaining", 100,
    ),
    ConnectorSpec(
        "shopify", "shopify",
        "https://acme-outdoor.myshopify.com/admin/api/2024-07", "connected", "",
        CONNECTOR_CONFIGS["shopify"],
        _hdr(**{"X-Shopify-Access-Token": "***"}), "X-Shopify-Shop-Api-Call-Limit", 40,
    ),
    ConnectorSpec(
        "xero", "xero",
        "https://api.xero.com/api.xro/2.0", "connected", "",
        CONNECTOR_CONFIGS["xero"],
        _hdr(Authorization="***", **{"xero-tenant-id": "3f6c1a9e-5b2d-4e8f-9a7c-1d2e3f4a5b6c"}),
        "X-MinLimit-Remaining", 60,
    ),
    ConnectorSpec(
        "chargebee", "chargebee",
        "https://acme-msp.chargebee.com/api/v2", "connected", "",
        CONNECTOR_CONFIGS["chargebee"],
        _hdr(Authorization="***"), "X-RateLimit-Remaining", 150,
    ),
    ConnectorSpec(
        "quickbooks", "quickbooks",
        "https://quickbooks.api.intuit.com/v3/company/9130351234567890", "disconnected",
        "Disconnected by an admin; its services are disabled.",
        CONNECTOR_CONFIGS["quickbooks"],
        _hdr(Authorization="***"), "intuit_tid", 500,
    ),
    ConnectorSpec(
        "json-server", "json_server",
        "http://127.0.0.1:3000", "untested", "",
        CONNECTOR_CONFIGS["json-server"],
        _hdr(), "", 0,
    ),
)  # fmt: skip

# ---- streams --------------------------------------------------------------------------------

HS_COMPANIES = StreamSpec(
    "companies", "Customers", "customers",
    Pull("cursor", "/crm/v3/objects/companies", 100), "/company/companies",
    "hubspot", "cw", 60, 4, ("agreement_mismatch", "cw_404", "http_500", "http_403"),
    ("unchanged", "required_field_empty", "lookup_unmapped_stage"),
)  # fmt: skip
HS_CONTACTS = StreamSpec(
    "contacts", "Contacts", "contacts",
    Pull("cursor", "/crm/v3/objects/contacts", 100), "/company/contacts",
    "hubspot", "cw", 150, 8, ("cw_contact_400", "cw_404", "http_500"),
    ("unchanged", "required_field_empty"),
)  # fmt: skip
HS_DEALS = StreamSpec(
    "deals", "Deals", "deals",
    Pull("cursor", "/crm/v3/objects/deals", 100), "/sales/opportunities",
    "hubspot", "cw", 40, 3, ("cw_404", "http_500"), ("unchanged", "lookup_unmapped_stage"),
)  # fmt: skip
CB_AGREEMENTS = StreamSpec(
    "agreements", "Agreements", "agreements",
    Pull("offset", "/subscriptions", 100), "/finance/agreements",
    "chargebee_sub", "cw", 40, 3, ("agreement_mismatch", "http_500"),
    ("unchanged", "lookup_unmapped_plan"),
)  # fmt: skip
CB_INVOICE_LINES = StreamSpec(
    "invoice_lines", "Invoice lines", "lines",
    Pull("offset", "/invoices", 100), "/finance/agreements/additions",
    "chargebee_line", "cw", 120, 10, ("agreement_mismatch", "unmapped_customer", "http_500"),
    ("unchanged", "unmapped_line", "lookup_unmapped_plan"),
)  # fmt: skip
SH_PRODUCTS = StreamSpec(
    "products", "Products", "products",
    Pull("page_info", "/products.json", 250), "/Products",
    "shopify", "autotask", 150, 8, ("invalid_sku", "http_403", "http_500"),
    ("unchanged", "required_field_empty"),
)  # fmt: skip
AT_ORDERS = StreamSpec(
    "orders", "Orders", "orders",
    Pull("query", "/PurchaseOrders/query", 500), "/draft_orders.json",
    "autotask", "shopify", 20, 2, ("invalid_sku", "http_500"), ("unchanged", "po_not_ready"),
)  # fmt: skip
SH_CUSTOMERS = StreamSpec(
    "customers", "Customers", "customers",
    Pull("page_info", "/customers.json", 250), "/Contacts",
    "shopify", "xero", 30, 3, ("xero_validation", "duplicate_contact", "http_500"),
    ("unchanged", "required_field_empty"),
)  # fmt: skip
SH_INVOICES = StreamSpec(
    "invoices", "Invoices", "invoices",
    Pull("page_info", "/orders.json", 250), "/Invoices",
    "shopify", "xero", 60, 6, ("xero_validation", "unmapped_customer", "http_500"),
    ("unchanged", "lookup_unmapped_tax"),
)  # fmt: skip
SH_INVOICE_LINES = StreamSpec(
    "invoice_lines", "Invoice lines", "lines",
    Pull("page_info", "/orders.json", 250), "/Invoices/lines",
    "shopify", "xero", 160, 12, ("unmapped_customer", "xero_validation", "invalid_sku"),
    ("unchanged", "unmapped_line", "lookup_unmapped_tax"),
)  # fmt: skip
QB_CUSTOMERS = StreamSpec(
    "customers", "Customers", "customers",
    Pull("page_info", "/customers.json", 250), "/customer",
    "shopify", "qbo", 30, 4, ("qbo_duplicate", "http_500"), ("unchanged", "required_field_empty"),
)  # fmt: skip
QB_INVOICES = StreamSpec(
    "invoices", "Invoices", "invoices",
    Pull("page_info", "/orders.json", 250), "/invoice",
    "shopify", "qbo", 40, 4, ("qbo_duplicate", "http_500"), ("unchanged", "lookup_unmapped_tax"),
)  # fmt: skip


def _svc_config(spec: ServiceSpec) -> dict:
    """The service as a TOML file declares it (core/config.py's ServiceConfig)."""
    return {
        "source": spec.source,
        "destination": spec.destination,
        "schedule": spec.schedule,
        "enabled": spec.enabled,
        "capture_payloads": spec.capture_payloads,
        "streams": [stream_config(spec.name, s.name, s.pull.path) for s in spec.streams],
        "lookups": lookups_of(spec.name),
    }


def _service(
    name: str, source: str, dest: str, streams: tuple[StreamSpec, ...], **kw
) -> ServiceSpec:
    spec = ServiceSpec(name, source, dest, streams, **kw)
    return replace(spec, config=_svc_config(spec))


SERVICES: tuple[ServiceSpec, ...] = (
    _service(
        "hubspot-to-connectwise", "hubspot", "connectwise", (HS_COMPANIES, HS_CONTACTS, HS_DEALS),
        schedule="0 */2 * * *",
        cadences=(Cadence("full", 24, 2.0, "full"), Cadence("update", 2, 0.25)),
        capture_payloads=True, run_failures=("http_401", "http_500", "timeout"),
        reseller_id="R-20417",
    ),
    _service(
        "chargebee-to-connectwise", "chargebee", "connectwise", (CB_AGREEMENTS, CB_INVOICE_LINES),
        schedule="30 */4 * * *",
        cadences=(Cadence("full", 24, 6.0, "full"), Cadence("update", 4, 0.5)),
        capture_payloads=True, run_failures=("http_401", "http_500"),
    ),
    _service(
        "shopify-to-autotask", "shopify", "autotask", (SH_PRODUCTS,),
        schedule="0 3 * * *",
        cadences=(Cadence("full", 24, 3.0, "full"), Cadence("update", 6, 1.0)),
        run_failures=("http_401", "http_403", "http_429"),
    ),
    _service(
        "autotask-orders-to-shopify", "autotask", "shopify", (AT_ORDERS,),
        schedule="*/30 * * * *",
        cadences=(Cadence("background", 1, 0.1),),
        run_failures=("http_401", "http_403", "timeout"),
    ),
    _service(
        "shopify-to-xero", "shopify", "xero", (SH_CUSTOMERS, SH_INVOICES, SH_INVOICE_LINES),
        schedule="0 */3 * * *",
        cadences=(Cadence("full", 24, 1.0, "full"), Cadence("update", 3, 0.75)),
        capture_payloads=True, run_failures=("oauth_expired", "http_429", "http_500"),
    ),
    _service(
        "shopify-to-quickbooks", "shopify", "quickbooks", (QB_CUSTOMERS, QB_INVOICES),
        schedule="0 4 * * *",
        cadences=(Cadence("full", 24, 4.0, "full"), Cadence("update", 8, 2.0)),
        enabled=False, stopped_days_ago=12.0, run_failures=("oauth_expired", "http_500"),
    ),
)  # fmt: skip

EXTERNAL_4711 = "4711"
INTERNAL_4711 = "19342"
AGREEMENT_4711 = "8812"
