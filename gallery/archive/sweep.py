"""Removing a replaced build: 17,000 files take seconds to delete on some disks (those
mounted with `discard`), which the organiser need not wait for once the new build is in place.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

# Run by a fresh interpreter (no site packages: quicker to start), at a lower priority.
SWEEP = "import os, shutil, sys; os.nice(10); shutil.rmtree(sys.argv[1], ignore_errors=True)"


def remove_now(folder: Path) -> None:
    """Delete `folder` and everything in it before returning."""
    shutil.rmtree(folder, ignore_errors=True)


def remove_later(folder: Path) -> subprocess.Popen[bytes] | None:
    """Delete `folder` in a process of its own that outlives this one and return that
    process; without one (none could start), delete it now and return None.

    The folder is already out of the way (renamed aside, hidden): what the deletion leaves
    if it is stopped half-way is never served, and the next build does not read it.
    """
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", SWEEP, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Not in the terminal's process group: a Ctrl-C after the build does not stop it.
            start_new_session=True,
        )
    except OSError:  # the new build is in place all the same: no reason to fail
        remove_now(folder)
        return None
