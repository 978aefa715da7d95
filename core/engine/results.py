"""What a run reports: progress while it goes, its result (summary line, exit code) at the end."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import RunStatus

EXIT_CODES = {
    RunStatus.SUCCESS: 0,
    RunStatus.PARTIAL: 3,
    RunStatus.FAILED: 1,
    RunStatus.CANCELLED: 1,
    RunStatus.INTERRUPTED: 1,
}


@dataclass
class Progress:
    run_id: int
    stream: str
    page: int
    pulled: int
    created: int
    updated: int
    skipped: int
    failed: int
    done: bool = False


@dataclass
class RunResult:
    run_id: int
    service: str
    status: RunStatus
    pulled: int
    created: int
    updated: int
    skipped: int
    failed: int
    duration_ms: int
    message: str = ""
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def summary(self) -> str:
        dry = " (dry run: nothing was sent)" if self.dry_run else ""
        return (
            f"Run {self.run_id} of {self.service}: {self.status.value}{dry}. "
            f"{self.pulled} pulled: {self.created} created, {self.updated} updated, "
            f"{self.skipped} skipped, {self.failed} failed. Duration: {self.duration_ms}ms."
            + (f" {self.message}" if self.message and self.status != RunStatus.SUCCESS else "")
        )
