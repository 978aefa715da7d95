"""In-repo APIs for trials, tests, the demo and benchmarks (starlette + uvicorn): a CRM, an ERP,
and sandboxes of Xero and QuickBooks Online that answer as those APIs do."""

from .crm import CrmState, crm_app, make_customers
from .erp import ErpState, erp_app
from .faults import Faults
from .oauth import TokenIssuer
from .quickbooks import QboState, qbo_app
from .serve import Served, free_port, serve
from .xero import XeroState, xero_app

__all__ = [
    "CrmState", "ErpState", "Faults", "QboState", "Served", "TokenIssuer", "XeroState",
    "crm_app", "erp_app", "free_port", "make_customers", "qbo_app", "serve", "xero_app",
]  # fmt: skip
