"""The push vocabulary of a stream: how records are written to the destination.

```toml
[services.s.streams.push]
create = "PUT /Contacts"                    # METHOD /path; {key} is the record's external id
update = "POST /Contacts/{id}"              # {id} is the destination's id from the id map
id_path = "Contacts.0.ContactID"            # where the new id is in the create answer
body = { wrap = "Contacts", as_list = true } # {"Contacts": [payload]}
encoding = "json"                           # or "form" (application/x-www-form-urlencoded)
update_as = "object"                        # or "json_patch": RFC 6902 ops of the changed fields
id_field = "Id"                             # put the destination id into the update body too
read = { path = "GET /customer/{id}", token_path = "Customer.SyncToken", token_field = "SyncToken" }
batch = { size = 100, create = "POST /crm/v3/objects/contacts/batch/create", items = "inputs" }
```
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_METHOD_PATH = re.compile(r"^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)$")
BATCH_MAX = 1000  # no API we know takes more records in one call


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def parse_endpoint(text: str) -> tuple[str, str]:
    """'POST /accounts' -> ('POST', '/accounts')."""
    m = _METHOD_PATH.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not 'METHOD /path' (for example 'POST /accounts')")
    return m.group(1), m.group(2)


def _check(v: str | None) -> str | None:
    if v is not None:
        parse_endpoint(v)
    return v


class BodyEnvelope(_Model):
    """The object a record's payload is sent in: wrap = "Contacts", as_list = true gives
    {"Contacts": [payload]} (Xero); as_list = false gives {"Customer": payload}."""

    wrap: str = Field(min_length=1)
    as_list: bool = False


class ReadBeforeWrite(_Model):
    """Optimistic concurrency: read the record first and send its version with the update.
    token_path/token_field: a token in the body (QuickBooks' SyncToken); etag: the answer's
    ETag header sent back as If-Match. A 409 or 412 answer (or a 400 holding `conflict`)
    re-reads once, then fails."""

    path: str  # GET /customer/{id}
    token_path: str | None = None  # where the version is in the read answer
    token_field: str | None = None  # where it goes in the update body (default: token_path)
    etag: bool = False
    record_path: str | None = None  # where the record is in the answer (for update_as)
    # a 400 answer holding this text is a conflict too (QuickBooks: "Stale Object Error")
    conflict: str | None = None

    _endpoint = field_validator("path")(lambda cls, v: _check(v))


class BatchPush(_Model):
    """Many records a call. `items` is where the list of payloads goes in the request body,
    `results` where the answer lists one result per record, `result_id` the id in each result.
    Results are matched back by `match` (a field sent and echoed back, e.g. "properties.email")
    or, without it, by position (the answer must list as many results as were sent)."""

    size: int = Field(ge=1, le=BATCH_MAX)
    create: str | None = None
    update: str | None = None
    items: str = "inputs"
    results: str = "results"
    result_id: str = "id"
    match: str | None = None
    id_field: str = "id"  # where an update item carries the destination id
    error_path: str | None = None  # a per-result list of errors (Xero's ValidationErrors)

    _endpoints = field_validator("create", "update")(lambda cls, v: _check(v))

    @model_validator(mode="after")
    def _some(self) -> BatchPush:
        if self.create is None and self.update is None:
            raise ValueError("batch needs create or update (the batch endpoint)")
        return self


class Push(_Model):
    create: str
    update: str | None = None
    delete: str | None = None
    find: str | None = None  # 'GET /accounts?source_id={key}': reconcile after a crash
    find_selector: str | None = None
    find_id_path: str | None = None  # the id in a found record (default: id_path)
    id_path: str = "id"
    concurrency: int | None = Field(default=None, ge=1, le=64)
    body: BodyEnvelope | None = None
    encoding: Literal["json", "form"] = "json"
    form_arrays: Literal["index_first", "index_last"] = "index_first"  # a[0][b] or a[b][0]
    update_as: Literal["object", "json_patch"] = "object"
    id_field: str | None = None  # the destination id also goes in the update body (Autotask)
    id_type: Literal["string", "integer"] = "string"  # how id_field sends it
    read: ReadBeforeWrite | None = None
    batch: BatchPush | None = None
    # A create whose answer was lost (timeout, reset, 5xx, a crash) may exist at the destination.
    # look_up: ask push.find first; fail: keep it failed until someone decides;
    # assume_not_created: send it again (may duplicate). Default: look_up with find, else fail.
    on_lost_create: Literal["look_up", "assume_not_created", "fail"] | None = None
    # A header the destination dedupes creates by ('Idempotency-Key'): a lost create is then
    # resent with the same key (one per service, stream and external id).
    idempotency_header: str | None = None
    # The same as a query parameter (QuickBooks' `requestid`): POST /customer?requestid=<key>
    idempotency_param: str | None = None

    _endpoints = field_validator("create", "update", "delete", "find")(lambda cls, v: _check(v))

    @model_validator(mode="after")
    def _buildable(self) -> Push:
        if self.encoding == "form" and self.body is not None:
            raise ValueError(
                "body = { wrap = ... } wraps a JSON body; a form-encoded body has no envelope "
                '(remove body, or use encoding = "json")'
            )
        if self.encoding == "form" and self.update_as == "json_patch":
            raise ValueError('a JSON Patch is JSON: use encoding = "json" with update_as')
        if self.batch is not None and self.encoding == "form":
            raise ValueError('batch pushes send JSON: remove batch or use encoding = "json"')
        rd = self.read
        if rd is not None and not (rd.etag or rd.token_path or self.update_as == "json_patch"):
            raise ValueError(
                "read needs token_path (the version in the answer) or etag = true, "
                'or update_as = "json_patch" (patch only what changed)'
            )
        if self.on_lost_create == "look_up" and not self.find:
            raise ValueError(
                'on_lost_create = "look_up" needs push.find (for example '
                'find = "GET /accounts?source_id={key}")'
            )
        if self.update_as == "json_patch" and self.update is None:
            raise ValueError('update_as = "json_patch" needs update = "PATCH /path/{id}"')
        return self

    @property
    def lost_create(self) -> str:
        """The policy in force: the one written, else look_up when find is set, else fail."""
        return self.on_lost_create or ("look_up" if self.find else "fail")
