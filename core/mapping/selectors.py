"""Record selectors that are more than a dotted path, as JMESPath expressions.

JMESPath (the `jmespath` library) rather than JSONPath: it has one published specification with
a compliance suite, so `list[*].subscription` means the same in every implementation, it is
pure Python with no dependencies, and a projection over a missing key yields nothing instead of
an error. A plain dotted path ('results', 'paging.next.after') stays a dotted path, so every
existing selector keeps its meaning ('items.0.id' is not JMESPath).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError

_EXPRESSION_CHARS = frozenset("[]*|?@{}()`")


def is_expression(selector: str) -> bool:
    return any(c in _EXPRESSION_CHARS for c in selector)


@lru_cache(maxsize=256)
def compile_expression(selector: str) -> Any:
    """The compiled expression; raises ValueError in words (config validation)."""
    try:
        return jmespath.compile(selector)
    except JMESPathError as exc:
        raise ValueError(f"'{selector}' is not a valid JMESPath expression: {exc}") from None


def search(selector: str, body: Any) -> Any:
    return compile_expression(selector).search(body)
