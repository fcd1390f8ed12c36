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


def os_reason(what: str, err: OSError) -> str:
    if isinstance(err, PermissionError):
        return f"{what}：没有读取权限 (permission denied)，请检查文件权限或先复制到本机"
    if isinstance(err, FileNotFoundError):
        return f"{what}：已不存在（读取时被移动或删除 / vanished），请确认后重新运行"
    return f"{what}：{err.strerror or err}"


@dataclass
class Listing:
    files: list[Path] = field(default_factory=list)  # regular files (or links to one)
    problems: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)


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
            listing.problems.append((current, os_reason("无法打开文件夹", err)))
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
                    listing.problems.append((path, os_reason("无法打开文件", err)))
                continue
            if wanted(entry.name):
                listing.problems.append((path, _not_a_file(path)))
    listing.files.sort(key=str)
    listing.problems.sort(key=lambda problem: str(problem[0]))
    return listing


def _not_a_file(path: Path) -> str:
    """Why an entry listed in a folder is neither a file nor a folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "文件在读取文件夹时消失（已被移动或删除 / vanished），请确认后重新运行"
    except OSError as err:
        return os_reason("无法打开文件", err)
    if stat.S_ISLNK(mode):
        return "快捷方式（链接）指向的文件不存在 (broken link)，请放入文件本身"
    return "不是普通文件（如管道、设备 / not a regular file），无法读取"
