"""An in-repo pair of APIs for trials, tests, the demo and benchmarks (starlette + uvicorn)."""

from .crm import CrmState, crm_app, make_customers
from .erp import ErpState, erp_app
from .faults import Faults
from .serve import Served, free_port, serve

__all__ = [
    "CrmState", "ErpState", "Faults", "Served", "crm_app", "erp_app", "free_port",
    "make_customers", "serve",
]  # fmt: skip
