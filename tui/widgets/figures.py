"""Cells of figures ('2/13/239/7', '1,187') that are never cut: in a narrow column they drop
their thousands separators, then abbreviate ('23,914' -> '24k'), the failed count last."""

from __future__ import annotations

from rich.text import Text

FAILED_STYLE = "bold #ff5f5f"


def compact(value: int) -> str:
    """1234 -> '1.2k', 23914 -> '24k', 1250000 -> '1.3M'; below 1000 as it is."""
    size = abs(value)
    for limit, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if size >= limit:
            scaled = value / limit
            if abs(round(scaled, 1)) < 10:
                return f"{scaled:.1f}".replace(".0", "") + suffix
            return f"{round(scaled):d}{suffix}"
    return str(value)


class Figures(Text):
    """Numbers joined by '/', the last one (the failed count, when `failed_last`) in its own
    style. `shown(width)` is the widest form that fits; `narrowest` the narrowest whole one."""

    def __init__(
        self,
        values: tuple[int, ...],
        *,
        last_style: str = "",
        failed_last: bool = False,
        style: str = "",
    ) -> None:
        super().__init__(justify="right", no_wrap=True, style=style)
        self.values = values
        self.last_style = last_style
        self.failed_last = failed_last
        self._forms = [self._form(tier) for tier in range(4)]
        self.append_text(self._forms[0])

    def _form(self, tier: int) -> Text:
        """tier 0: '23,914'; 1: '23914'; 2: the others abbreviated; 3: all abbreviated."""
        parts = []
        last = len(self.values) - 1
        for i, v in enumerate(self.values):
            keep = self.failed_last and i == last
            if tier == 0:
                parts.append(f"{v:,}")
            elif tier == 1 or (tier == 2 and keep):
                parts.append(str(v))
            else:
                parts.append(compact(v))
        out = Text(justify="right", no_wrap=True)
        out.append("/".join(parts[:-1]) + ("/" if last else ""))
        out.append(parts[-1], style=self.last_style)
        return out

    @property
    def narrowest(self) -> int:
        """The narrowest form that keeps the failed count exact (every figure whole)."""
        return self._forms[2].cell_len

    def shown(self, width: int) -> Text:
        for form in self._forms:
            if form.cell_len <= width:
                return form
        # not even the abbreviated form fits: the first figures give way, whole ('…/24k/1.2k')
        form = self._forms[3]
        cuts = [i for i, ch in enumerate(form.plain) if ch == "/"]
        for cut in cuts:
            rest = form[cut:]
            if rest.cell_len + 1 <= width:
                return Text("…", justify="right", no_wrap=True) + rest
        out = form[cuts[-1] + 1 :] if cuts else form
        out.truncate(width, overflow="ellipsis")
        return out


def counts_cell(*counts: int, failed: int) -> Figures:
    """'2/13/239/7' for created/updated/skipped/failed (or pulled/C/U/F): the failed count is
    red when above 0, and exact as long as any form fits."""
    style = FAILED_STYLE if failed else ""
    return Figures((*counts, failed), last_style=style, failed_last=True)


def figure(value: int | None, style: str = "") -> Text:
    """One number, right-aligned, '1,187' (abbreviated when its column is narrow)."""
    if value is None:
        return Text("", justify="right")
    return Figures((value,), last_style=style, failed_last=bool(style))
