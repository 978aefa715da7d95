"""Building blocks of the detail pane: sections, key/value lines, troubleshooting, JSON bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from rich.text import Text

from core.text import clean
from core.troubleshooting import Trouble, lookup

BODY_LIMIT = 20_000
_SECRET_NAMES = re.compile(r"auth|token|secret|key|cookie|password|signature", re.IGNORECASE)


class Detail:
    """Accumulates plain, cleaned text with a few styles; `text` is what the pane shows."""

    def __init__(self) -> None:
        self.text = Text()

    def heading(self, title: str) -> Detail:
        if self.text.plain:
            self.text.append("\n")
        self.text.append(title + "\n", style="bold underline")
        return self

    def line(self, value: object, style: str = "", limit: int = 4000) -> Detail:
        self.text.append(clean(value, limit) + "\n", style=style)
        return self

    def kv(self, key: str, value: object, limit: int = 500) -> Detail:
        if value is None or value == "":
            return self
        self.text.append(f"{key}: ", style="dim")
        self.text.append(clean(value, limit, single_line=True) + "\n")
        return self

    def mapping(self, title: str, values: Mapping[str, object], *, redact: bool = False) -> Detail:
        if not values:
            return self
        self.text.append(f"{title}:\n", style="dim")
        for key, value in values.items():
            shown = "••••••" if redact and _SECRET_NAMES.search(str(key)) and value else value
            if not isinstance(shown, str):
                shown = json.dumps(shown, ensure_ascii=False, default=str)
            self.text.append(f"  {clean(key, 80, single_line=True)}: ")
            self.text.append(clean(shown, 500, single_line=True) + "\n")
        return self

    def body(self, title: str, body: str | None) -> Detail:
        if body is None:
            return self
        self.text.append(f"{title}:\n", style="dim")
        self.text.append(clean(pretty_json(body), BODY_LIMIT) + "\n")
        return self

    def trouble(self, code: str | None = None, status: int | None = None, text: str = "") -> Detail:
        found = lookup(code, status, text)
        if found is not None:
            add_trouble(self.text, found)
        return self


def add_trouble(text: Text, found: Trouble) -> None:
    text.append("\nKnown error: ", style="bold #ff8700")
    text.append(found.title + "\n", style="bold")
    text.append("Likely cause:\n", style="dim")
    for cause in found.causes:
        text.append(f"  • {cause}\n")
    text.append("What to do:\n", style="dim")
    for action in found.actions:
        text.append(f"  → {action}\n")


def pretty_json(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except (ValueError, TypeError):
        return body
