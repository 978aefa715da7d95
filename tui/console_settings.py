"""Apply core.settings to the App: theme and key remapping by binding id, checked up front.

A theme or a binding id the console does not know is one line naming the file, with the
list to choose from, before the screen is taken over.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from core.errors import UserError
from core.settings import Settings


def _subclasses(cls: type) -> list[type]:
    out, todo = [], [cls]
    while todo:
        c = todo.pop()
        for sub in c.__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


def binding_ids() -> dict[str, str]:
    """Every binding id of the console's app, screens and widgets (those imported by
    tui.app) -> its default key(s)."""
    ids: dict[str, str] = {}
    for cls in [DOMNode, *_subclasses(DOMNode)]:
        if not cls.__module__.startswith("tui."):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding) and b.id:
                ids.setdefault(b.id, b.key)
    return ids


def apply_settings(app: App[Any], settings: Settings) -> None:
    console = settings.console
    where = settings.source or "settings"
    if console.theme:
        themes = sorted(app.available_themes)
        if console.theme not in themes:
            raise UserError(
                f"{where}: console.theme: no theme named '{console.theme}'.",
                f"Choose one of: {', '.join(themes)}.",
            )
        app.theme = console.theme
    if console.keys:
        known = binding_ids()
        unknown = sorted(k for k in console.keys if k not in known)
        if unknown:
            raise UserError(
                f"{where}: console.keys: no binding with the id '{unknown[0]}'.",
                f"Known ids: {', '.join(sorted(known))}.",
            )
        empty = sorted(k for k, v in console.keys.items() if not v.strip())
        if empty:
            raise UserError(f"{where}: console.keys.{empty[0]}: no key given.",
                            'Give one or more keys, for example "space" or "p,space".')  # fmt: skip
        app.set_keymap(dict(console.keys))
