"""Whether the machine has the memory a catalogue needs, asked before hours of layout.

WeasyPrint holds every laid-out page until the PDF is written, so a catalogue's peak grows
with its exhibits; one that does not fit would be killed by the system, silently, late.
"""

from __future__ import annotations

from pathlib import Path

MIB = 1024 * 1024
# Measured with benchmarks/archive.py (docs/benchmarks.md): 416 MiB at 200 exhibits,
# 3,146 MiB at 2,000; a page per exhibit with a text, a team, an image and two QR codes.
# The cycle collector is off during the layout (build.py), so its garbage counts too.
BASE = 113 * MIB
PER_EXHIBIT = int(1.52 * MIB)


def needed(exhibits: int) -> int:
    """Return the estimated peak memory, in bytes, of a catalogue of `exhibits` exhibits."""
    return BASE + PER_EXHIBIT * exhibits


def available(
    meminfo: Path = Path("/proc/meminfo"), cgroup: Path = Path("/sys/fs/cgroup")
) -> int | None:
    """Return the memory, in bytes, a new process may use here (RAM and swap, within the
    container's limit), or None where the system does not say."""
    try:
        fields = {
            name: int(value.split()[0]) * 1024
            for name, value in (
                line.split(":", 1) for line in meminfo.read_text().splitlines() if ":" in line
            )
        }
    except (OSError, ValueError):
        return None
    if "MemAvailable" not in fields:
        return None
    free = fields["MemAvailable"] + fields.get("SwapFree", 0)
    try:
        limit = (cgroup / "memory.max").read_text().strip()
        used = int((cgroup / "memory.current").read_text())
    except (OSError, ValueError):
        return free
    return free if limit == "max" else min(free, int(limit) - used)


def shortage(exhibits: int, free: int | None, held: int | None = None) -> str | None:
    """Return why a catalogue of `exhibits` exhibits cannot be made with `free` bytes, or
    None when it fits (or nothing is known); laid out in parts, the workers hold the pages
    of `held` exhibits at once."""
    want = needed(exhibits if held is None else held)
    if free is None or want <= free:
        return None
    return (
        f"a catalogue of {exhibits:,} exhibits needs about {_size(want)} of memory and this "
        f"machine has {_size(free)} free; print part of the exhibition with --room (one or "
        "more rooms per catalogue), or run it where there is more memory"
    )


def _size(count: int) -> str:
    """Return a byte count as the organiser reads it: 1.2 GB, 350 MB."""
    return f"{count / 1e9:.1f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"
