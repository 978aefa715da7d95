"""syncdeck console: the Textual app. Never imports sqlite3, aiosqlite or httpx; it asks core.

Before Textual is imported: a lone Escape is told apart from a key sequence by waiting ESCDELAY
ms (Textual's default 100), which made "back" cost 167 ms end to end. 50 ms still parses arrow
keys sent over SSH (a terminal writes a whole sequence at once); users can set ESCDELAY.
"""

import os as _os

_os.environ.setdefault("ESCDELAY", "50")
