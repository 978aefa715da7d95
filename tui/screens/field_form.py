"""Edit one field mapping: destination, source path (completed from the fields seen in the last
pulled records), transform chain, default, required, lookup; the preview of the last pulled
record's value before and after the transforms updates as you type."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from core.console_api import ConsoleAPI
from core.text import clean

from .form_base import FormModal, Spec

TRANSFORMS_HELP = "a | b: trim lower upper title int float bool string date:%Y-%m-%d default:x"


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return clean(json.dumps(value, default=str, ensure_ascii=False), 200, single_line=True)


class FieldForm(FormModal):
    def __init__(
        self,
        api: ConsoleAPI,
        service: str,
        stream: str,
        row: Any | None,
        *,
        paths: list[str],
        lookups: list[str],
        record: dict[str, Any] | None,
        tables: dict[str, dict[str, str]],
    ) -> None:
        super().__init__()
        self.api = api
        self.service = service
        self.stream = stream
        self.old_dest = row.dest if row is not None else None
        self.paths = paths
        self.lookups = lookups
        self.record = record
        self.tables = tables
        self.title_text = (
            f"Field {row.dest} of {service} / {stream}" if row else f"New field of {stream}"
        )
        if row is not None:
            self.values.update(
                dest=row.dest, source=row.source, transforms=row.transforms,
                default=row.default, required="yes" if row.required else "no",
                lookup=row.lookup,
            )  # fmt: skip

    def specs(self) -> list[Spec]:
        return [
            Spec("dest", "Destination field", help="dotted for nested: address.city"),
            Spec(
                "source",
                "Source path",
                help="from the pulled record; a + b joins; = const",
                suggestions=self.paths,
            ),  # fmt: skip
            Spec("transforms", "Transforms", help=TRANSFORMS_HELP),
            Spec("default", "Default", help="used when the value is empty"),
            Spec(
                "required",
                "Required",
                "no",
                help="yes: an empty value skips the record",
                suggestions=["yes", "no"],
            ),  # fmt: skip
            Spec(
                "lookup",
                "Lookup table",
                help=", ".join(self.lookups) or "none declared",
                suggestions=self.lookups,
            ),  # fmt: skip
        ]

    def extra(self) -> ComposeResult:
        yield Static("", id="field-preview", markup=False)

    async def check(self, values: dict[str, str]) -> dict[str, str]:
        errors, prev = await self.api.check_field_form(
            self.service, self.stream, self.old_dest, values, self.record, self.tables
        )
        text = Text()
        if prev is None:
            text.append("Preview: —", style="dim")
        else:
            before, after, problem = prev
            text.append("Last pulled value ", style="dim")
            text.append(shown(before), style="bold")
            text.append("  →  after transforms ", style="dim")
            text.append(shown(after), style="bold #5fd75f")
            if problem:
                text.append(f"\n{clean(problem, 200, single_line=True)}", style="#d78700")
        self.query_one("#field-preview", Static).update(text)
        return errors

    async def save(self, values: dict[str, str]) -> str:
        return await self.api.set_field(self.service, self.stream, self.old_dest, values)
