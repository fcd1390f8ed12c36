"""Text that leaves the tool: one definition of the characters that must never reach output.

Control characters (C0, DEL, C1: ESC, bell, CSI …) can retitle, clear or recolour a terminal
and make a workbook unreadable (XML 1.0 forbids most of C0); bidi overrides, isolates and
marks reorder what follows them on screen, so a name could read differently from what it
holds ("Trojan source"). Every output path — terminal, workbook, CSV export, JSON — goes
through these functions. Bottom layer: imports nothing of fivestar.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_C0 = "".join(map(chr, range(0x20)))
_DEL_C1 = "\x7f-\x9f"
SHOWN = "\ufffd"  # what stands in for a removed character, visibly


@lru_cache(maxsize=8)
def unsafe(keep: str = "") -> re.Pattern[str]:
    """The pattern of the characters `clean` replaces, but those in `keep`."""
    c0 = "".join(re.escape(ch) for ch in _C0 if ch not in keep)
    return re.compile(f"[{c0}{_DEL_C1}{BIDI}]")


def first_unsafe(text: str, keep: str = "") -> str | None:
    """The first control or bidi character of `text` (other than those in `keep`), or None."""
    found = unsafe(keep).search(text)
    return found.group() if found else None


def clean(value: object, keep: str = "\t\n") -> str:
    """Text with every control and bidi character shown as U+FFFD (ordinary text unchanged).

    `keep` names the controls let through: tab and newline by default, which neither move
    the cursor backwards nor escape."""
    text = "" if value is None else str(value)
    pattern = unsafe(keep)
    return pattern.sub(SHOWN, text) if pattern.search(text) else text


def clean_line(value: object) -> str:
    """`clean` on one line: line breaks and tabs become spaces, for one-line messages."""
    text = "" if value is None else str(value)
    return clean(" ".join(text.replace("\t", " ").splitlines()), keep="")


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def json_text(obj: object) -> str:
    """JSON with non-ASCII text kept readable, but control and bidi characters as \\u escapes.

    json.dumps already escapes C0; DEL, C1 and the bidi characters it writes raw. They
    can only stand inside strings, where a \\u escape means the same character."""
    text = json.dumps(obj, ensure_ascii=False)
    return unsafe("").sub(_escape, text)
