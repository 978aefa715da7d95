"""Retry failed and cancel run from the log viewer (the CLI's `syncdeck retry RUN` and
`syncdeck cancel RUN`): on the Runs list they act on the run under the cursor, below it on the
run being looked at. Both go through ConsoleAPI; a refusal is a message, never a traceback."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from core.errors import UserError
from core.models import Run
from core.text import clean

from .confirm import Confirm

RUN_ACTION_BINDINGS = [
    Binding("R", "retry_failed", "Retry failed", show=False, id="logs.retry"),
    Binding("X", "cancel_run", "Cancel run", show=False, id="logs.cancel"),
]


class RunActions:
    """Mixed into LogsScreen (api, level, current_item, notify, run_worker, reload)."""

    api: Any
    level: Any

    def selected_run_id(self) -> int | None:
        """The run under the cursor on Runs; the run being drilled into below it."""
        if self.level.kind == "runs":
            item = self.current_item()  # type: ignore[attr-defined]
            return item.id if isinstance(item, Run) else None
        return self.level.ids.get("run_id")

    def _refuse_read_only(self, what: str) -> bool:
        if getattr(self.app, "read_only", False):  # type: ignore[attr-defined]
            self.notify(  # type: ignore[attr-defined]
                f"Read-only mode: {what} is refused. Open syncdeck without --read-only.",
                title="read-only", severity="warning", timeout=6, markup=False,
            )  # fmt: skip
            return True
        return False

    def _no_run(self) -> None:
        self.notify(  # type: ignore[attr-defined]
            "Select a run first: v opens the Runs list, or enter on a log row opens its run.",
            timeout=4, markup=False,
        )  # fmt: skip

    def action_retry_failed(self) -> None:
        run_id = self.selected_run_id()
        if run_id is None:
            self._no_run()
            return
        if self._refuse_read_only("retrying a run"):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._start_retry(run_id)

        question = (f"Start a new run that pulls the source again and pushes only the records "
                    f"that failed in run #{run_id}?")  # fmt: skip
        self.app.push_screen(  # type: ignore[attr-defined]
            Confirm(f"Retry the failures of run #{run_id}", question, "Retry"), answer
        )

    def _start_retry(self, run_id: int) -> None:
        self.notify(f"Retrying the failures of run #{run_id}…", timeout=4, markup=False)  # type: ignore[attr-defined]

        async def work() -> None:
            try:
                result = await self.api.retry_run(run_id)
            except UserError as exc:
                self.notify(str(exc), severity="error", timeout=8, markup=False)  # type: ignore[attr-defined]
                return
            ok = getattr(result.status, "value", result.status) == "success"
            self.notify(  # type: ignore[attr-defined]
                f"Retry of run #{run_id}: " + clean(result.summary(), 400),
                severity="information" if ok else "warning", timeout=8, markup=False,
            )  # fmt: skip
            self.reload()  # type: ignore[attr-defined]

        self.run_worker(work(), group="retry", exit_on_error=False)  # type: ignore[attr-defined]

    def action_cancel_run(self) -> None:
        run_id = self.selected_run_id()
        if run_id is None:
            self._no_run()
            return
        if self._refuse_read_only("cancelling a run"):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._cancel(run_id)

        question = f"Ask run #{run_id} to stop after the page in flight?"
        self.app.push_screen(  # type: ignore[attr-defined]
            Confirm(f"Cancel run #{run_id}", question, "Cancel run"), answer
        )

    def _cancel(self, run_id: int) -> None:
        async def work() -> None:
            try:
                run = await self.api.cancel_run(run_id)
            except UserError as exc:
                self.notify(str(exc), severity="error", timeout=8, markup=False)  # type: ignore[attr-defined]
                return
            self.notify(  # type: ignore[attr-defined]
                f"Cancel requested for run #{run.id} of {clean(run.service, 60)}; it stops "
                "after the page in flight.", timeout=6, markup=False,
            )  # fmt: skip
            self.reload()  # type: ignore[attr-defined]

        self.run_worker(work(), group="cancel", exit_on_error=False)  # type: ignore[attr-defined]
