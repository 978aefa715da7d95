"""A real run on loopback APIs records samples for the mapping grid (paths, unmapped values),
and a secret typed in the console is read back from the secrets file at run time."""

from __future__ import annotations

from pathlib import Path

from admin_helpers import config_text

from core.config import parse_config
from core.config_io import apply
from core.console_api import ConsoleAPI
from core.sandbox import CrmState, ErpState, Faults, Served, crm_app, erp_app, make_customers
from core.store import open_store


async def test_a_run_records_samples_and_its_unmapped_values(store_location: str) -> None:
    crm = CrmState(make_customers(25, messy=True))
    with Served(crm_app(crm)) as c, Served(erp_app(ErpState())) as e:
        store = await open_store(store_location)
        text = config_text(crm=c.url, erp=e.url)
        await apply(store, parse_config(text), text)
        api = ConsoleAPI(store)
        try:
            result = await api.run_now("customers")
            assert result.pulled == 25
            sid = await store.service_id("customers")
            samples = await store.list_samples(sid, "customers")
            assert len(samples) == 10 and samples[0]["id"] == 1  # the first page
            view = await api.mapping("customers")
            assert {"company.name", "email", "plan"} <= set(view.paths)
            found = await api.value_rows("customers", "plans")
            rows = {r.source_value: r.status.value for r in found}
            assert rows["silver"] == "unmapped" and rows["bronze"] == "unmapped"
            assert rows["gold"] == "mapped"
        finally:
            await api.close()


async def test_a_stored_secret_is_resolved_when_testing(tmp_path: Path) -> None:
    crm = CrmState([{"id": 1}], Faults(token="typed-in-console"))
    with Served(crm_app(crm)) as c:
        store = await open_store(tmp_path / "t.db")
        text = config_text(crm=c.url)
        await apply(store, parse_config(text), text)
        api = ConsoleAPI(store)
        try:
            await api.edit_connector("crm", {"base_url": c.url, "auth_type": "bearer",
                                             "auth.token": "typed-in-console"})  # fmt: skip
            check = await api.test_connection("crm")
            assert check.ok, check.reason
            assert "typed-in-console" not in await api.export_config()
            assert "typed-in-console" not in (tmp_path / "t.db").read_bytes().decode("latin-1")
        finally:
            await api.close()
