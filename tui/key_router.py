"""Keys in the order typed, each one handled before the next.

A terminal delivers a paste, a fast typist or a laggy SSH link as a burst. Textual forwards each
key to the widget focused *when it arrives*, but what a key does (open a form, show the search
box, move the focus) lands later: the next keys of the burst went to the screen underneath, or to
the form before its inputs existed, and were lost. The app hands every key from the terminal to
this router, which:

- runs a key's binding at once (priority bindings, then the focused widget up to the screen and
  the app, as Textual does) and types a printable key straight into a focused Input;
- after a binding, and while a screen is being shown, holds the keys that follow until what that
  key started is on screen: the focus has moved, the new screen is mounted, a screen that loads
  first (a form that fetches its values, a grid's first page) says it is ready (`ready`);
- an action that opens a form only after a query calls `hold()` first, and the form releases.

Screens that take keys only once loaded subclass `TypeAhead` and call `keys_ready()`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App

HOLD_LIMIT = 3.0  # seconds: a hold nothing releases (a query that failed) lets the keys go


class TypeAhead:
    """A screen that is not ready for keys when shown: keys wait until `keys_ready()`."""

    keys_are_ready = False

    def keys_ready(self: Any) -> None:
        if self.keys_are_ready:
            return
        self.keys_are_ready = True
        router = getattr(self.app, "keys", None)
        if router is not None:  # after the focus this screen just asked for
            self.app.call_later(router.release_for, self)


class KeyRouter:
    def __init__(self, app: App) -> None:
        self.app = app
        self.held: list[events.Key] | None = None
        self.epoch = 0
        self.routing = False

    # ---- holding -----------------------------------------------------------------------

    def hold(self, *, limited: bool = True) -> None:
        """Keep the keys that follow until a release (a form being fetched or mounted). A
        limited hold lets the keys go after HOLD_LIMIT seconds should nothing release it."""
        self.epoch += 1
        if self.held is None:
            self.held = []
        if limited:
            limit = HOLD_LIMIT
            epoch = self.epoch
            self.app.set_timer(limit, lambda: self._expire(epoch))

    def _expire(self, epoch: int) -> None:
        if self.held is not None and self.epoch == epoch:
            self.app.call_later(self.release)

    def screen_changed(self, screen: Screen) -> None:
        """A screen was pushed, popped or switched to: keys wait until it can take them."""
        self.hold()
        if isinstance(screen, TypeAhead) and not screen.keys_are_ready:
            return  # its keys_ready() releases
        self.app.call_after_refresh(self.release)

    def release_for(self, screen: Screen) -> None:
        if screen is self.app.screen:
            self.app.call_later(self.release)

    def settle_then_release(self, focused: object = None) -> None:
        """After a binding: what it asked for (a focus, a push) runs before the next key. A
        binding of an Input (enter submits) posts a message that its screen handles later
        (hide the search box, focus the grid): the keys wait for that too, or a `q` typed
        after `/ text enter` went into the hidden box instead of quitting."""
        self.hold(limited=False)
        if isinstance(focused, Input) and focused.is_attached:
            screen = focused.screen
            focused.call_later(lambda: screen.call_later(lambda: self.app.call_later(self.release)))
            return
        self.app.call_later(self.release)

    async def release(self) -> None:
        if self.held is None or self.routing:
            return
        screen = self.app.screen
        if isinstance(screen, TypeAhead) and not screen.keys_are_ready:
            return  # its keys_ready() releases
        epoch = self.epoch
        while self.held:
            event = self.held.pop(0)
            await self._route(event)
            if self.epoch != epoch:  # that key opened something: the rest wait for it
                return
        self.held = None

    # ---- routing -----------------------------------------------------------------------

    async def take(self, event: events.Key) -> None:
        """A key from the terminal."""
        if self.held is not None:
            self.held.append(event)
            return
        await self._route(event)

    async def _route(self, event: events.Key) -> None:
        app = self.app
        self.routing = True
        try:
            focused = app.focused
            if isinstance(focused, Input) and event.is_printable and event.character:
                _type_into(focused, event.character)
                self._after_key(focused)
                return
            epoch = self.epoch
            if await app._check_bindings(event.key, priority=True) or await app._check_bindings(
                event.key
            ):
                self._after_key(focused)
                if self.epoch == epoch:
                    self.settle_then_release(focused)
                return
        finally:
            self.routing = False
        (app.focused or app.screen)._forward_event(event)

    def _after_key(self, focused: object) -> None:
        """The screen may hold what follows (a form whose fields change with that value)."""
        hook = getattr(self.app.screen, "after_key", None)
        if hook is not None and isinstance(focused, Input):
            hook(focused)


def _type_into(field: Input, text: str) -> None:
    field._restart_blink()
    if field.selection.is_empty:
        field.insert_text_at_cursor(text)
    else:
        field.replace(text, *field.selection)
