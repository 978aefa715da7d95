"""What each vendor's common errors mean, in that vendor's words, and what to do: the
troubleshooting of an entity that failed at a destination with a preset. Keyed `<preset>_<status>`
(`xero_429`); core/troubleshooting.py merges them into its catalogue and `vendor_code` picks one
for an HTTP status."""

from __future__ import annotations

from .troubleshooting import CATALOGUE, Trouble

# preset -> status -> (title, causes, actions)
_VENDORS: dict[str, dict[int, tuple[str, list[str], list[str]]]] = {
    "hubspot": {
        401: ("HubSpot: authentication credentials not found or expired",
              ["The private app access token is wrong, was rotated, or the app was deleted."],
              ["Copy the token from Settings > Integrations > Private apps and reconnect."]),
        403: ("HubSpot: MISSING_SCOPES",
              ["The private app lacks a scope the call needs (crm.objects.contacts.write...)."],
              ["Add the scope to the private app, then reconnect with its new token."]),
        404: ("HubSpot: resource not found",
              ["The record was deleted or merged into another one in HubSpot."],
              ["Retry failed: syncdeck creates it again, or remove its id map entry."]),
        409: ("HubSpot: CONFLICT, the object already exists",
              ["A contact with this email (or a company with this domain) already exists."],
              ["Set push.find to look it up by that property, so it is adopted and updated."]),
        422: ("HubSpot: VALIDATION_ERROR, property values were not valid",
              ["A mapped value is not an option of an enumeration property, or a date or number "
               "is in the wrong format."],
              ["Fix the field mapping or its value mapping, then retry failed."]),
        429: ("HubSpot: you have reached your ten_secondly_rolling limit",
              ["Private apps get 100 requests per 10 seconds (190 on Professional and "
               "Enterprise), shared by every app of the account."],
              ["Lower rate_limit.requests_per_second, use batch pushes (100 a call)."]),
    },
    "xero": {
        401: ("Xero: AuthenticationUnsuccessful / TokenExpired",
              ["The access token expired and could not be refreshed, or the refresh token "
               "expired (60 days unused) or was revoked."],
              ["Reconnect the connector with a new refresh token."]),
        403: ("Xero: AuthorizationUnsuccessful",
              ["The organisation (xero-tenant-id) is not connected to the app, or a scope such "
               "as accounting.contacts is missing."],
              ["Check tenant_id against GET /connections; reconnect with the missing scope."]),
        404: ("Xero: the resource you're looking for cannot be found",
              ["The ContactID or InvoiceID belongs to another organisation or was deleted."],
              ["Check tenant_id; retry failed to create the record again."]),
        409: ("Xero: a validation exception occurred (duplicate)",
              ["Xero answers 400 with ValidationErrors such as 'The contact name is already "
               "assigned to another contact'."],
              ["Set push.find (where=AccountNumber==\"{key}\") so the contact is adopted."]),
        422: ("Xero: a validation exception occurred",
              ["A required field is empty (Name, LineItems, Contact) or a code (TaxType, "
               "AccountCode) does not exist in the organisation."],
              ["Read ValidationErrors in the entity's reason; fix the mapping, retry failed."]),
        429: ("Xero: rate limit exceeded (X-Rate-Limit-Problem)",
              ["60 calls a minute and 5 at once per organisation, 5,000 a day."],
              ["Keep requests_per_second at 1; batch up to 50 records a call."]),
    },
    "quickbooks": {
        401: ("QuickBooks: AuthenticationFailed (3200)",
              ["The access token expired and the refresh failed, or the refresh token expired "
               "(100 days) or was revoked."],
              ["Reconnect the connector with a new refresh token."]),
        403: ("QuickBooks: ApplicationAuthorizationFailed (003100)",
              ["The user who connected lost access to the company, or its subscription lapsed."],
              ["Reconnect as a company admin."]),
        404: ("QuickBooks: object not found (610)",
              ["The customer or invoice was deleted or made inactive in QuickBooks."],
              ["Retry failed to create it again."]),
        409: ("QuickBooks: Stale Object Error (5010)",
              ["The SyncToken sent is older than the record's: someone saved it meanwhile. "
               "syncdeck reads it again once before it gives up."],
              ["Retry failed; if it persists, find who else edits the record."]),
        422: ("QuickBooks: Duplicate Name Exists Error (6240) / Business Validation Error",
              ["DisplayName must be unique across customers, vendors and employees, or an "
               "invoice lacks Line or CustomerRef."],
              ["Map a unique DisplayName; check Line and CustomerRef.value, retry failed."]),
        429: ("QuickBooks: ThrottleExceeded",
              ["500 requests a minute and 10 at once per company (realm)."],
              ["Keep requests_per_second at 8 and concurrency at 10 or less."]),
    },
    "connectwise": {
        401: ("ConnectWise: authorization has been denied for this request",
              ["company+public key:private key is wrong, the API member is inactive, or the "
               "clientId header is missing."],
              ["Check the API member's keys and the clientId, then reconnect."]),
        403: ("ConnectWise: the API member's security role denies it",
              ["The member's security role lacks Add or Edit on the module (Companies, "
               "Sales, Finance)."],
              ["Give the API member's role the permission in System > Security Roles."]),
        404: ("ConnectWise: the record was not found",
              ["The company, contact or agreement id no longer exists (deleted or merged)."],
              ["Retry failed to create it again."]),
        409: ("ConnectWise: InvalidObject, the identifier is already in use",
              ["A company identifier must be unique."],
              ["Set push.find (conditions=identifier=\"{key}\") so it is adopted."]),
        422: ("ConnectWise: InvalidObject",
              ["A required reference is missing (company, contact, type, primarySalesRep) or "
               "names an unknown record."],
              ["Read the errors in the entity's reason; fix the mapping, retry failed."]),
        429: ("ConnectWise: too many requests",
              ["Cloud instances throttle bursts of API calls per member."],
              ["Lower rate_limit.requests_per_second."]),
    },
    "autotask": {
        401: ("Autotask: unauthorized",
              ["UserName, Secret or ApiIntegrationCode is wrong, or the user is not an "
               "API-only user."],
              ["Check the three credentials; use an API User (API Only) security level."]),
        403: ("Autotask: the API user's security level forbids it",
              ["The API user lacks the entity's permission or line of business."],
              ["Adjust the security level and line-of-business associations."]),
        404: ("Autotask: not found, often the wrong zone",
              ["The base URL's zone (webservicesN) is not the database's zone, or the id is "
               "gone."],
              ["Check the zone with GET /ZoneInformation?user=..., then fix credentials.zone."]),
        409: ("Autotask: duplicate",
              ["A product with this name or SKU already exists."],
              ["Set push.find on externalProductID so it is adopted."]),
        422: ("Autotask: a required field is missing (often answered as 500)",
              ["Autotask reports validation errors in errors[] of a 500 answer."],
              ["Read errors[] in the entity's reason; fix the mapping, retry failed."]),
        429: ("Autotask: request limit exceeded",
              ["10,000 requests an hour per database and 3 threads per object."],
              ["Keep requests_per_second at 2.5 and concurrency at 3."]),
    },
    "chargebee": {
        401: ("Chargebee: api_authentication_failed",
              ["The API key is wrong or belongs to another site."],
              ["Use a key of this site (Settings > API keys) and reconnect."]),
        403: ("Chargebee: api_authorization_failed",
              ["A read-only key was used for a write, or the key lacks that permission."],
              ["Use a full-access key for writes."]),
        404: ("Chargebee: resource_not_found", ["The customer or subscription id is unknown."],
              ["Retry failed to create it again."]),
        409: ("Chargebee: invalid_state_for_request",
              ["The record's state forbids it (a cancelled subscription, a paid invoice)."],
              ["Skip such records with a filter in pull.params."]),
        422: ("Chargebee: param_wrong_value / invalid_request",
              ["A form parameter is missing or has a wrong value (email format, plan id)."],
              ["Read error_param in the entity's reason; fix the mapping, retry failed."]),
        429: ("Chargebee: api_request_limit_exceeded",
              ["150 requests a minute on a live site (lower on test sites)."],
              ["Keep requests_per_second at 2.5 or less."]),
    },
    "shopify": {
        401: ("Shopify: invalid API key or access token",
              ["The Admin API access token is wrong or the app was uninstalled."],
              ["Reinstall the app or copy its token, then reconnect."]),
        403: ("Shopify: this action requires merchant approval for a scope",
              ["The app lacks an access scope such as write_draft_orders."],
              ["Add the scope to the app and have the merchant approve it."]),
        404: ("Shopify: Not Found",
              ["The resource was deleted, or the API version in the base URL is retired."],
              ["Retry failed; move the base URL to a supported API version."]),
        409: ("Shopify: conflict", ["The resource was changed by another request meanwhile."],
              ["Retry failed."]),
        422: ("Shopify: Unprocessable Entity",
              ["The body failed validation, e.g. 'line_items: must have at least one'."],
              ["Read errors in the entity's reason; fix the mapping, retry failed."]),
        429: ("Shopify: exceeded 2 calls per second for api client",
              ["The leaky bucket holds 40 calls and drains 2 a second (4 on Plus)."],
              ["Keep requests_per_second at 2; the Retry-After header is honoured."]),
    },
}  # fmt: skip

for _preset, _codes in _VENDORS.items():
    for _status, (_title, _causes, _actions) in _codes.items():
        _code = f"{_preset}_{_status}"
        CATALOGUE[_code] = Trouble(_code, _title, tuple(_causes), tuple(_actions))


def vendor_code(preset: str | None, status: int | None, generic: str | None) -> str | None:
    """The vendor's own entry for an HTTP status when there is one (400 counts as 422: most
    vendors answer validation errors with 400), else the generic code."""
    if preset and status:
        for s in (status, 422 if status == 400 else status):
            if f"{preset}_{s}" in CATALOGUE:
                return f"{preset}_{s}"
    return generic


def vendors() -> dict[str, dict[int, tuple[str, list[str], list[str]]]]:
    return _VENDORS
