"""The demo's connector and service configurations: what `syncdeck config import` of a real TOML
file would store for the demo's world, valid per core/config.py (history.py validates them).

Plain data only. Secrets are `env:NAME` references, never values. Sources with a preset get
their paging and record selector from it; each stream here adds what the preset cannot know:
the query parameters, the push endpoints of the destination, the field mappings and lookups.
"""

from __future__ import annotations

from typing import Any

_CW = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
_AT = "https://webservices5.autotask.net/ATServicesRest/V1.0"
_SHOP = "https://acme-outdoor.myshopify.com/admin/api/2024-07"

CONNECTOR_CONFIGS: dict[str, dict[str, Any]] = {
    "connectwise": {
        "preset": "connectwise",
        "base_url": _CW,
        "credentials": {
            "company": "acmemsp",
            "public_key": "env:CW_PUBLIC_KEY",
            "private_key": "env:CW_PRIVATE_KEY",
            "client_id": "env:CW_CLIENT_ID",
        },
    },
    "autotask": {
        "preset": "autotask",
        "base_url": _AT,
        "credentials": {
            "username": "env:AUTOTASK_USERNAME",
            "secret": "env:AUTOTASK_SECRET",
            "integration_code": "env:AUTOTASK_INTEGRATION_CODE",
        },
    },
    "hubspot": {
        "preset": "hubspot",
        "base_url": "https://api.hubapi.com",
        "credentials": {"token": "env:HUBSPOT_PRIVATE_APP_TOKEN"},
    },
    "shopify": {
        "preset": "shopify",
        "base_url": _SHOP,
        "credentials": {"access_token": "env:SHOPIFY_ACCESS_TOKEN"},
    },
    "xero": {  # the Xero preset: OAuth2 with a refresh token Xero rotates at every refresh
        "preset": "xero",
        "base_url": "https://api.xero.com/api.xro/2.0",
        "credentials": {
            "tenant_id": "3f6c1a9e-5b2d-4e8f-9a7c-1d2e3f4a5b6c",
            "client_id": "env:XERO_CLIENT_ID",
            "client_secret": "env:XERO_CLIENT_SECRET",
            "refresh_token": "env:XERO_REFRESH_TOKEN",
        },
    },
    "chargebee": {
        "preset": "chargebee",
        "base_url": "https://acme-msp.chargebee.com/api/v2",
        "credentials": {"api_key": "env:CHARGEBEE_API_KEY"},
    },
    "quickbooks": {  # the QuickBooks Online preset: OAuth2, Intuit's refresh token rotated
        "preset": "quickbooks",
        "base_url": "https://quickbooks.api.intuit.com/v3/company/9130351234567890",
        "credentials": {
            "realm_id": "9130351234567890",
            "client_id": "env:QBO_CLIENT_ID",
            "client_secret": "env:QBO_CLIENT_SECRET",
            "refresh_token": "env:QBO_REFRESH_TOKEN",
        },
    },
    "json-server": {"preset": "json_server", "base_url": "http://127.0.0.1:3000"},
}


# value-mapping tables: service -> lookup -> (source value, destination value, status)
VALUE_MAPPINGS: dict[str, dict[str, list[tuple[str, str | None, str]]]] = {
    "chargebee-to-connectwise": {
        "plans": [
            ("bronze", None, "unmapped"),
            ("silver", "Managed Services - Silver", "mapped"),
            ("gold", "Managed Services - Gold", "mapped"),
            ("platinum-annual", None, "response_error"),
            ("m365-business-basic", "Microsoft 365 Business Basic", "mapped"),
            ("m365-business-premium", "Microsoft 365 Business Premium", "mapped"),
            ("backup-50gb", None, "unmapped"),
        ],
        "customers": [
            ("Northwind Traders", None, "unmapped"),
            ("Contoso Ltd", "Contoso Ltd (CW 19342)", "mapped"),
            ("Fabrikam Inc", "Fabrikam, Inc. (CW 20117)", "mapped"),
            ("Tailspin Toys", None, "response_error"),
            ("Adventure Works", "Adventure Works Cycles (CW 18004)", "mapped"),
        ],
    },
    "hubspot-to-connectwise": {
        "deal_stages": [
            ("appointmentscheduled", "Qualification", "mapped"),
            ("qualifiedtobuy", "Qualification", "mapped"),
            ("closedwon", "Won", "mapped"),
            ("closedlost", "Lost", "mapped"),
            ("contractsent", None, "unmapped"),
        ],
        "lifecycle_stage": [
            ("customer", "Customer", "mapped"),
            ("opportunity", "Prospect", "mapped"),
            ("evangelist", None, "unmapped"),
            ("other", None, "unmapped"),
        ],
    },
    "shopify-to-xero": {
        "tax_rates": [
            ("GB VAT 20%", "OUTPUT2", "mapped"),
            ("GB VAT 5%", "RROUTPUT", "mapped"),
            ("Zero rated", "ZERORATEDOUTPUT", "mapped"),
            ("EU OSS 21%", None, "unmapped"),
        ],
        "customers": [
            ("wholesale@northwind.example", None, "unmapped"),
            ("accounts@contoso.example", "Contoso Ltd", "mapped"),
        ],
    },
}


def _f(source: str | list[str], *transforms: Any, **kw: Any) -> dict[str, Any]:
    """One field mapping: `from`, its transforms, and lookup / default / required."""
    return {"from": source, "transforms": list(transforms), **kw}


_SHOPIFY_SINCE = {"cursor_path": "updated_at", "start_param": "updated_at_min"}
_CW_FIND = 'GET /company/companies?conditions=identifier="{key}"'
_CW_PATCH = "json_patch"  # ConnectWise PATCH takes RFC 6902 operations, not the object
# ConnectWise dates are OpenAPI date-time (2026-03-01T00:00:00Z), never a bare date
_CW_DATE = {"date": {"format": "%Y-%m-%dT%H:%M:%SZ", "tz": "UTC"}}
_XERO_FIND = 'GET /Contacts?where=AccountNumber=="{key}"'
_AT_FIND = (
    'GET /Products/query?search={"filter":[{"op":"eq","field":"externalProductID",'
    '"value":"{key}"}]}'
)
_QBO_READ = "GET /customer/{id}"

# (service, stream) -> what the stream adds to its catalogue path: pull extras, push, fields.
STREAMS: dict[tuple[str, str], dict[str, Any]] = {
    ("hubspot-to-connectwise", "companies"): {
        "params": {"properties": "name,domain,phone,city,lifecyclestage,hs_lastmodifieddate"},
        "push": {"create": "POST /company/companies", "update": "PATCH /company/companies/{id}",
                 "find": _CW_FIND, "update_as": _CW_PATCH},
        "fields": {
            "identifier": _f("id", "string", required=True),
            "name": _f("properties.name", "trim", required=True),
            "website": _f("properties.domain", "trim", "lower"),
            "phoneNumber": _f("properties.phone", "trim"),
            "city": _f("properties.city", "title"),
            "status.name": _f("properties.lifecyclestage", lookup="lifecycle_stage",
                              required=True),
        },
    },
    ("hubspot-to-connectwise", "contacts"): {
        "params": {"properties": "firstname,lastname,email,jobtitle,associatedcompanyid"},
        "push": {"create": "POST /company/contacts", "update": "PATCH /company/contacts/{id}",
                 "find": 'GET /company/contacts?childConditions=externalId="{key}"',
                 "update_as": _CW_PATCH},
        "fields": {
            "firstName": _f("properties.firstname", "trim", required=True),
            "lastName": _f("properties.lastname", "trim"),
            "title": _f("properties.jobtitle", "trim"),
            "defaultEmail": _f("properties.email", "trim", "lower", required=True),
            "company.identifier": _f("properties.associatedcompanyid", "string"),
        },
    },
    ("hubspot-to-connectwise", "deals"): {
        "params": {"properties": "dealname,dealstage,amount,closedate",
                   "associations": "companies,contacts"},
        "push": {"create": "POST /sales/opportunities",
                 "update": "PATCH /sales/opportunities/{id}", "update_as": _CW_PATCH},
        "fields": {
            "name": _f("properties.dealname", "trim", required=True),
            "stage.name": _f("properties.dealstage", lookup="deal_stages", required=True),
            "expectedCloseDate": _f("properties.closedate", _CW_DATE),
            "source": {"value": "HubSpot"},
            "company.id": _f("associations.companies.results.0.id", id_of="companies",
                             id_type="integer", required=True),
            "contact.id": _f("associations.contacts.results.0.id", id_of="contacts",
                             id_type="integer", required=True),
            "primarySalesRep.identifier": {"value": "ZAdmin"},
        },
    },
    ("chargebee-to-connectwise", "agreements"): {
        "key": "subscription.id", "data_selector": "list",  # entries hold subscription + customer
        "params": {"status[is]": "active"},
        "push": {"create": "POST /finance/agreements", "update": "PATCH /finance/agreements/{id}",
                 "update_as": _CW_PATCH},
        "fields": {
            "name": _f("subscription.plan_id", lookup="plans", required=True),
            "type.name": {"value": "Managed Services"},
            "company.name": _f("customer.company", "trim", lookup="customers", required=True),
            "contact.name": _f(["customer.first_name", "customer.last_name"],
                               {"concat": {"sep": " "}}, "trim"),
            "startDate": _f("subscription.started_at", _CW_DATE),
            "billAmount": _f("subscription.plan_amount", "float"),
            "customerPO": _f("subscription.id", "string"),
        },
    },
    ("chargebee-to-connectwise", "invoice_lines"): {
        "key": "invoice.id", "data_selector": "list",
        "params": {"status[is]": "paid"},
        "push": {"create": "POST /finance/agreements/{agreementId}/additions",
                 "update": "PATCH /finance/agreements/{agreementId}/additions/{id}",
                 "delete": "DELETE /finance/agreements/{agreementId}/additions/{id}",
                 "update_as": _CW_PATCH},
        "fields": {
            "agreementId": _f("invoice.subscription_id", id_of="agreements",
                              id_type="integer", required=True),
            "billCustomer": {"value": "Billable"},
            "product.identifier": _f("invoice.line_items.0.entity_id", lookup="plans",
                                     required=True),
            "quantity": _f("invoice.line_items.0.quantity", "int", default=1),
            "unitPrice": _f("invoice.line_items.0.unit_amount", "float"),
            "description": _f("invoice.line_items.0.description", "trim"),
        },
    },
    ("shopify-to-autotask", "products"): {
        "params": {"status": "active"},
        "incremental": _SHOPIFY_SINCE,
        "push": {"create": "POST /Products", "update": "PATCH /Products", "id_path": "itemId",
                 "id_field": "id", "id_type": "integer",  # PATCH is collection-level
                 "find": _AT_FIND, "find_selector": "items", "find_id_path": "id"},
        "fields": {
            "name": _f("title", "trim", required=True),
            "isActive": {"value": True},
            "isSerialized": {"value": False},
            "productBillingCodeID": {"value": 29682801},  # the instance's billing code id
            "sku": _f("variants.0.sku", "trim", "upper", required=True),
            "externalProductID": _f("id", "string"),
            "unitPrice": _f("variants.0.price", "float"),
            "description": _f("body_html", "trim"),
        },
    },
    ("autotask-orders-to-shopify", "orders"): {
        "json": {"MaxRecords": 500, "filter": [{"op": "eq", "field": "status", "value": 2}]},
        "push": {"create": "POST /draft_orders.json",
                 "update": "PUT /draft_orders/{id}.json",
                 "delete": "DELETE /draft_orders/{id}.json", "id_path": "draft_order.id"},
        "fields": {
            "draft_order.name": _f("purchaseOrderNumber", "trim", required=True),
            "draft_order.note": _f("generalMemo", "trim"),
            "draft_order.email": _f("shipToEmail", "lower"),
            "draft_order.tags": _f(["vendorID", "id"], {"concat": {"sep": ","}}),
            "draft_order.line_items.0.title": _f("purchaseOrderNumber", "trim", required=True),
            "draft_order.line_items.0.quantity": {"value": 1},
        },
    },
    ("shopify-to-xero", "customers"): {
        "incremental": _SHOPIFY_SINCE,
        "push": {"create": "PUT /Contacts", "update": "POST /Contacts/{id}",
                 "find": _XERO_FIND, "find_selector": "Contacts", "find_id_path": "ContactID",
                 "id_path": "Contacts.0.ContactID",
                 "body": {"wrap": "Contacts", "as_list": True}},
        "fields": {
            "Name": _f(["first_name", "last_name"], {"concat": {"sep": " "}}, "trim",
                       required=True),
            "EmailAddress": _f("email", "trim", "lower"),
            "AccountNumber": _f("id", "string", required=True),
            "Phones.0.PhoneNumber": _f("phone", "trim"),
        },
    },
    ("shopify-to-xero", "invoices"): {
        "incremental": _SHOPIFY_SINCE,
        "params": {"financial_status": "paid"},
        "push": {"create": "PUT /Invoices", "update": "POST /Invoices/{id}",
                 "id_path": "Invoices.0.InvoiceID",
                 "body": {"wrap": "Invoices", "as_list": True}},
        "fields": {
            "Type": {"value": "ACCREC"},
            "Reference": _f("name", "trim", required=True),
            "Contact.Name": _f("email", "trim", "lower", lookup="customers", required=True),
            "Date": _f("created_at", {"date": {"format": "%Y-%m-%d"}}),
            "CurrencyCode": _f("currency", "upper", default="GBP"),
            "LineAmountTypes": {"value": "Inclusive"},
        },
    },
    ("shopify-to-xero", "invoice_lines"): {
        "incremental": _SHOPIFY_SINCE,
        "params": {"financial_status": "paid"},
        # Xero has no line endpoint: a line is written into its invoice (the invoices stream's)
        "push": {"create": "POST /Invoices/{InvoiceID}", "update": "POST /Invoices/{InvoiceID}",
                 "id_path": "Invoices.0.LineItems.0.LineItemID",
                 "id_field": "LineItems.0.LineItemID",
                 "body": {"wrap": "Invoices", "as_list": True}},
        "fields": {
            "InvoiceID": _f("id", "string", id_of="invoices", required=True),
            "LineItems.0.Description": _f("line_items.0.title", "trim", required=True),
            "LineItems.0.Quantity": _f("line_items.0.quantity", "int", default=1),
            "LineItems.0.UnitAmount": _f("line_items.0.price", "float"),
            "LineItems.0.ItemCode": _f("line_items.0.sku", "trim", "upper"),
            "LineItems.0.TaxType": _f("line_items.0.tax_lines.0.title", lookup="tax_rates",
                                      required=True),
        },
    },
    ("shopify-to-quickbooks", "customers"): {
        "incremental": _SHOPIFY_SINCE,
        "push": {"create": "POST /customer", "update": "POST /customer?operation=update",
                 "id_path": "Customer.Id", "id_field": "Id",
                 "read": {"path": _QBO_READ, "token_path": "Customer.SyncToken",
                          "token_field": "SyncToken", "conflict": "Stale Object Error"}},
        "fields": {
            "sparse": {"value": True},
            "DisplayName": _f(["first_name", "last_name"], {"concat": {"sep": " "}}, "trim",
                              required=True),
            "PrimaryEmailAddr.Address": _f("email", "trim", "lower"),
            "PrimaryPhone.FreeFormNumber": _f("phone", "trim"),
            "Notes": _f("id", "string"),
        },
    },
    ("shopify-to-quickbooks", "invoices"): {
        "incremental": _SHOPIFY_SINCE,
        "params": {"financial_status": "paid"},
        "push": {"create": "POST /invoice", "update": "POST /invoice?operation=update",
                 "id_path": "Invoice.Id", "id_field": "Id",
                 "read": {"path": "GET /invoice/{id}", "token_path": "Invoice.SyncToken",
                          "token_field": "SyncToken", "conflict": "Stale Object Error"}},
        "fields": {
            "sparse": {"value": True},
            "DocNumber": _f("order_number", "string", required=True),
            "TxnDate": _f("created_at", {"date": {"format": "%Y-%m-%d"}}),
            "CustomerRef.value": _f("customer.id", "string", id_of="customers", required=True),
            "Line.0.Amount": _f("total_price", "float", required=True),
            "Line.0.DetailType": {"value": "SalesItemLineDetail"},
            "Line.0.Description": _f("line_items.0.title", "trim"),
            "Line.0.SalesItemLineDetail.ItemRef.value": {"value": "1"},  # the QBO item "Sales"
        },
    },
}  # fmt: skip


def stream_config(service: str, name: str, path: str, key: str = "id") -> dict[str, Any]:
    """The config of one demo stream: its catalogue path plus what STREAMS adds."""
    extra = STREAMS[(service, name)]
    pull: dict[str, Any] = {"path": path}
    if "params" in extra:
        pull["params"] = dict(extra["params"])
    if "json" in extra:
        pull["method"], pull["json"] = "POST", extra["json"]
    if "data_selector" in extra:
        pull["data_selector"] = extra["data_selector"]
    key = extra.get("key", key)
    out: dict[str, Any] = {"name": name, "key": key, "pull": pull, "push": dict(extra["push"])}
    out["fields"] = {dest: dict(spec) for dest, spec in extra["fields"].items()}
    if "incremental" in extra:
        out["incremental"] = dict(extra["incremental"])
    return out


def lookups_of(service: str) -> dict[str, dict[str, str]]:
    """The service's lookup tables as a TOML file declares them: the mapped pairs."""
    tables = VALUE_MAPPINGS.get(service, {})
    return {
        name: {src: dst for src, dst, status in pairs if status == "mapped" and dst is not None}
        for name, pairs in tables.items()
    }
