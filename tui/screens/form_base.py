"""A modal form: labelled inputs, validation as the user types (errors inline, under their
field), save with enter or ctrl+s; a refused save shows why and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from core.errors import UserError
from core.text import clean

from ..key_router import TypeAhead
from ..widgets.form_field import FormField
from .dismiss_once import DismissOnce


@dataclass
class Spec:
    key: str
    label: str
    value: str = ""
    help: str = ""
    password: bool = False
    placeholder: str = ""
    suggestions: list[str] = field(default_factory=list)
    disabled: bool = False


class FormModal(DismissOnce, TypeAhead, ModalScreen[str | None]):
    """Subclasses give `title_text`, `specs()`, `check(values)` and `save(values)`."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]
    title_text = "Form"
    footer_text = "enter or ctrl+s: save · escape: cancel · tab: next field"

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.saving = False
        self._held_for_change = False

    # ---- for subclasses --------------------------------------------------------------------

    def specs(self) -> list[Spec]:
        raise NotImplementedError

    async def check(self, values: dict[str, str]) -> dict[str, str]:
        raise NotImplementedError

    async def save(self, values: dict[str, str]) -> str:
        raise NotImplementedError

    def relayout_keys(self) -> set[str]:
        """Keys whose change rebuilds the field list (a preset, an auth type)."""
        return set()

    def extra(self) -> ComposeResult:
        """Widgets under the fields (a preview)."""
        return iter(())

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(Text(clean(self.title_text, 80), style="bold"), markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self._field_widgets()
            yield from self.extra()
            yield Static("", id="form-error", markup=False)
            yield Static(Text(self.footer_text, style="dim"), markup=False, classes="hint")

    def _field_widgets(self) -> list[FormField]:
        out = []
        for s in self.specs():
            self.values.setdefault(s.key, s.value)
            out.append(
                FormField(
                    s.key,
                    s.label,
                    self.values[s.key],
                    help=s.help,
                    password=s.password,
                    placeholder=s.placeholder,
                    suggestions=s.suggestions or None,
                    disabled=s.disabled,
                )  # fmt: skip
            )
        return out

    async def on_mount(self) -> None:
        self._focus_first()
        self.validate()
        self.keys_ready()  # keys typed since the form was asked for reach it now, in order

    def _focus_first(self) -> None:
        for f in self.query(FormField):
            if not f.input_disabled:
                self.set_focus(f.input)
                return

    async def relayout(self) -> None:
        """Rebuild the fields; keys typed meanwhile wait and then reach the new inputs."""
        router = getattr(self.app, "keys", None)
        if router is not None:  # no time limit: this always releases, however slow the mount
            router.hold(limited=False)
        try:
            box = self.query_one("#form-fields", VerticalScroll)
            focused = self.focused.id if self.focused else None
            await box.remove_children()
            await box.mount_all(self._field_widgets())
            if focused:
                found = self.query(f"#{focused}")
                if found:
                    widget = found.first()
                    self.set_focus(widget)
                    if isinstance(widget, Input):
                        widget.cursor_position = len(widget.value)
            self.validate()
        finally:
            if router is not None:
                self.app.call_later(router.release)

    # ---- typing, validating, saving --------------------------------------------------------

    def after_key(self, field: Input) -> None:
        """Called by the key router right after a key changed `field`: a value that may change
        the field list holds the next keys until `_changed` has rebuilt it (or not)."""
        holder = field.parent
        if not isinstance(holder, FormField) or holder.key not in self.relayout_keys():
            return
        router = getattr(self.app, "keys", None)
        if router is not None and self.values.get(holder.key) != field.value:
            router.hold()
            self._held_for_change = True

    @on(Input.Changed)
    async def _changed(self, event: Input.Changed) -> None:
        holder = event.input.parent
        if not isinstance(holder, FormField):
            return
        event.stop()
        try:
            if self.values.get(holder.key) == event.value:
                return
            self.values[holder.key] = event.value
            current = [f.key for f in self.query(FormField)]
            if holder.key in self.relayout_keys() and [s.key for s in self.specs()] != current:
                await self.relayout()
            else:
                self.validate()
        finally:
            # The hold of `after_key` is for the value typed last: the change of an earlier key
            # of the burst ("beare" of "bearer") must not let the keys after it go before the
            # form has seen the whole value.
            router = getattr(self.app, "keys", None)
            latest = event.value == event.input.value
            if self._held_for_change and latest and router is not None:
                self._held_for_change = False
                self.app.call_later(router.release)

    def validate(self) -> None:
        self.run_worker(self._validate, group="validate", exclusive=True, exit_on_error=False)

    async def _validate(self) -> None:
        try:
            errors = await self.check(dict(self.values))
        except UserError as exc:
            errors = {"_": str(exc)}
        self.show_errors(errors)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors = errors
        keys = set()
        for f in self.query(FormField):
            keys.add(f.key)
            f.set_error(errors.get(f.key))
        rest = [f"{k}: {v}" if k != "_" else v for k, v in errors.items() if k not in keys]
        self.form_error(" · ".join(rest))

    def form_error(self, message: str) -> None:
        box = self.query_one("#form-error", Static)
        box.update(Text(clean(message, 400), style="bold #ff5f5f"))
        box.display = bool(message)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        self.run_worker(self._save(), group="save", exclusive=True, exit_on_error=False)

    async def _save(self) -> None:
        self.saving = True
        try:
            errors = await self.check(dict(self.values))
            if errors:
                self.show_errors(errors)
                self.form_error("Not saved: correct the fields marked above.")
                return
            try:
                result = await self.save(dict(self.values))
            except UserError as exc:
                self.form_error(f"Not saved: {exc}")
                return
            self.dismiss(result)
        finally:
            self.saving = False

    def action_cancel(self) -> None:
        self.dismiss(None)
