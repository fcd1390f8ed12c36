"""Reading one zip member's XML in bounded chunks, refusing a DTD on the way.

The package scan (`fivestar.io.formats.package`) never holds a whole member: a member is read
in `CHUNK`s through `zipfile`, which inflates at most what the member's header declares, so
memory stays at a few chunks whatever a zip bomb claims. Every XML chunk is searched for a
DOCTYPE or entity declaration (billion laughs): OOXML and ODF never need one, so any is
refused before python-calamine's parser could expand it. `TAIL` bytes of the previous chunk
are searched again with the next, so a marker split between two chunks is still seen.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from fivestar.io.limits import MAX_UNCUT_XML, MiB, UnreadableFile
from fivestar.issues import message

CHUNK = MiB
TAIL = 32  # bytes kept between chunks so a marker split across two chunks is still seen
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            yield chunk


def stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks, each prefixed with the previous chunk's tail."""
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            yield tail + chunk
            tail = chunk[-TAIL:]


def refuse_dtd(block: bytes, name: str, tail: bytes = b"") -> None:
    """Raise UnreadableFile if `tail + block` holds a DOCTYPE or ENTITY declaration."""
    # Every marker holds the byte "!" (in UTF-8 and in both UTF-16s), so a block without
    # one, the common case, is cleared by one byte search instead of six substring ones.
    if b"!" not in block and b"!" not in tail:
        return
    text = tail + block
    if any(marker in text for marker in _DTD_MARKERS):
        raise UnreadableFile(message("xml-entities", part=name))


def whole_elements(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Re-cut a stream at '>' so no element is split between two blocks."""
    carry = b""
    for chunk in chunks:
        block = carry + chunk
        cut = block.rfind(b">") + 1
        carry = block[cut:]
        if len(carry) > MAX_UNCUT_XML:  # no '>' for megabytes
            raise UnreadableFile(message("invalid-xml"))
        yield block[:cut]
    if carry:
        yield carry


def whole_rows(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    row: bytes,
    max_carry: int | None = None,
) -> Iterator[bytes]:
    """A member's XML, each chunk cleared of a DTD, in blocks that hold whole tags and whole
    `row` elements: each block ends before an unfinished row, else after its last complete
    tag. A row kept over for longer than `max_carry` bytes raises UnreadableFile."""
    row_end = b"</" + row[1:] + b">"
    carry = b""
    tail = b""
    for chunk in member_chunks(archive, info):
        refuse_dtd(chunk, info.filename, tail)
        tail = chunk[-TAIL:]
        block = carry + chunk
        start = block.rfind(row)
        cut = start if start > block.rfind(row_end) else block.rfind(b">") + 1
        carry = block[cut:]
        if max_carry is not None and len(carry) > max_carry:
            raise UnreadableFile(message("invalid-xml"))
        yield block[:cut]
    if carry:
        yield carry
