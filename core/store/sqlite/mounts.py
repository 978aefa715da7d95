"""Where a SQLite store lives: a worker refuses a file on a network filesystem, since SQLite's
locks do not hold across hosts there (two workers on two hosts would corrupt it or race)."""

from __future__ import annotations

import os
from pathlib import Path

MOUNTS = Path("/proc/mounts")
NETWORK_TYPES = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs",
    "davfs", "sshfs", "ncpfs", "coda", "ocfs2", "gfs2", "beegfs", "orangefs", "virtiofs",
}  # fmt: skip


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040 (octal escapes)."""
    out, i = "", 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1 : i + 4].isdigit():
            out += chr(int(field[i + 1 : i + 4], 8))
            i += 4
        else:
            out += field[i]
            i += 1
    return out


def mount_of(path: Path, mounts: Path | None = None) -> tuple[str, str] | None:
    """(mount point, filesystem type) of the mount holding `path` (the longest matching mount
    point); None when the mount table cannot be read (not Linux)."""
    try:
        lines = (mounts or MOUNTS).read_text().splitlines()
    except OSError:
        return None
    target = os.path.realpath(path if path.exists() else path.parent)
    best: tuple[str, str] | None = None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point, fstype = _unescape(parts[1]), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    return best


def network_filesystem(path: Path, mounts: Path | None = None) -> str | None:
    """The filesystem type when `path` is on a network (or FUSE) filesystem, else None."""
    found = mount_of(path, mounts)
    if found is None:
        return None
    fstype = found[1]
    base = fstype.split(".")[0]
    if base in NETWORK_TYPES or base == "fuse" or fstype.startswith("fuse."):
        return fstype
    return None
