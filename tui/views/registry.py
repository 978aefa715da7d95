"""Every view of the log viewer by kind."""

from __future__ import annotations

from typing import Any

from .drill import CallsView, EntitiesView, InstancesView
from .logs import LogsView
from .runs import RunsView, StepsView

VIEWS: dict[str, Any] = {
    v.kind: v
    for v in (LogsView(), RunsView(), StepsView(), InstancesView(), EntitiesView(), CallsView())
}
