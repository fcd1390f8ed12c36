"""Listing an input folder, where every entry that cannot be listed or looked at is named.

`Path.rglob` passes over a subfolder it may not open (PermissionError) in silence, and
`Path.is_file` answers False for a broken link or a file removed while the folder is listed:
a county's file would drop out of the month unnoticed. Here each such entry comes back as a
problem (path, reason), which the caller makes a file-level issue.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fivestar.issues import GONE, NO_PERMISSION, Message, message


def os_reason(code: str, err: OSError) -> Message:
    """`code` ("unreadable-file" or "unreadable-folder") with the system's reason."""
    if isinstance(err, PermissionError):
        why = NO_PERMISSION  # worded where shown (the issue translates it)
    elif isinstance(err, FileNotFoundError):
        why = GONE
    else:
        why = str(err.strerror or err)
    return message(code, why=why)


@dataclass
class Listing:
    files: list[Path] = field(default_factory=list)  # regular files (or links to one)
    problems: list[tuple[Path, Message]] = field(default_factory=list)  # (path, reason)


def list_folder(folder: Path, recursive: bool, wanted: Callable[[str], bool]) -> Listing:
    """The files under `folder` (its subfolders too with `recursive`), sorted by path.

    An entry that is neither a file nor a folder is a problem when `wanted(name)` (a name a
    folder would offer): a broken link, a file gone since the listing, a pipe. A subfolder
    that cannot be listed is always a problem: what it holds is unknown. A linked subfolder
    is not descended into (a link may lead back up the tree), as `rglob` did. Raises the
    OSError of `folder` itself, which the caller names.
    """
    listing = Listing()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                children = list(entries)
        except OSError as err:
            if current is folder:
                raise
            listing.problems.append((current, os_reason("unreadable-folder", err)))
            continue
        for entry in children:
            path = current / entry.name
            try:
                if entry.is_dir():
                    if recursive and not entry.is_symlink():
                        pending.append(path)
                    continue
                if entry.is_file():
                    listing.files.append(path)
                    continue
            except OSError as err:  # a link loop, a name the file system cannot look up
                if wanted(entry.name):
                    listing.problems.append((path, os_reason("unreadable-file", err)))
                continue
            if wanted(entry.name):
                listing.problems.append((path, _not_a_file(path)))
    listing.files.sort(key=str)
    listing.problems.sort(key=lambda problem: str(problem[0]))
    return listing


def _not_a_file(path: Path) -> Message:
    """Why an entry listed in a folder is neither a file nor a folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return message("vanished")
    except OSError as err:
        return os_reason("unreadable-file", err)
    if stat.S_ISLNK(mode):
        return message("broken-link")
    return message("not-a-regular-file")
