"""Errors a user can act on: a message in their words and the next step."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a state the user can fix. The CLI prints it on one line and exits 2."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class StoreError(UserError):
    """The store file is missing, unreadable, locked, corrupt or from a newer syncdeck."""


class StoreFull(StoreError):
    """The disk holding the store is full: nothing can be written until space is freed.
    Reads still work. Every backend raises this for its own "disk full" error."""


class NotFound(UserError):
    """An id or a name that is not in the store."""


class RunActive(UserError):
    """A run of the service is already queued or running: one live run per service."""

    exit_code = 1

    def __init__(self, service: str, run_id: int, status: str) -> None:
        self.run_id = run_id
        super().__init__(
            f"Service {service} already has run {run_id} {status}; one run per service at a time.",
            f"Wait for it to finish, or stop it with `syncdeck cancel {run_id}`.",
        )
