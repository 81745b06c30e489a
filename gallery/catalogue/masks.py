"""segno's choice of a QR code's mask, made the same way with whole-matrix operations.

segno tries the 8 masks of each code and keeps the one with the lowest penalty (ISO/IEC
18004:2015, 7.8.3), module by module in Python: 3 of a code's 5 ms, 12 s of CPU for the
4,000 links of 2,000 exhibits. Here the matrix is one integer of a byte per module, so a
mask is one XOR and most of the penalty a few shifts and counts; the runs and finder-like
patterns are found in the rows and columns as bytes. The chosen mask and the masked
matrix are segno's own (a test compares them over many codes); segno is pinned below 1.7.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import segno.encoder as encoder

# A row or column of light (0) or dark (1) modules of the same colour, 5 or more long.
RUN = re.compile(rb"\x00{5,}|\x01{5,}")
# Dark, light, 3 dark, light, dark: the finder-like pattern of the third penalty.
FINDER = b"\x01\x00\x01\x01\x01\x00\x01"
# Between rows (or columns) as bytes: neither colour, so no run or pattern spans two rows.
GAP = b"\x02"
# segno's own, for what `best_mask` leaves to it.
SEGNO_BEST_MASK = encoder.find_and_apply_best_mask


@contextmanager
def quick_masks() -> Iterator[None]:
    """Let segno choose its codes' masks with `best_mask` while codes are made here."""
    encoder.find_and_apply_best_mask = best_mask
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask = SEGNO_BEST_MASK


def best_mask(matrix: Any, width: int, height: int, proposed_mask: int | None = None) -> Any:
    """Apply the mask of least penalty to a QR code's `matrix` (a tuple of bytearrays of
    0 and 1); return the mask's number and the masked matrix, as segno's function does."""
    if proposed_mask is not None or width != height or width < 21:  # a given mask, Micro QR
        return SEGNO_BEST_MASK(matrix, width, height, proposed_mask)
    flat = b"".join(matrix)
    if flat.translate(None, b"\x00\x01"):  # a module neither light nor dark: segno's way
        return SEGNO_BEST_MASK(matrix, width, height, proposed_mask)
    size = width
    modules = int.from_bytes(flat, "big")
    best, best_score, best_modules = 0, None, modules
    for number, mask in enumerate(_masks(size)):
        masked = modules ^ mask
        score = _penalty(masked, size)
        if best_score is None or score < best_score:
            best, best_score, best_modules = number, score, masked
    flat = best_modules.to_bytes(size * size, "big")
    return best, tuple(bytearray(flat[i : i + size]) for i in range(0, size * size, size))


def _penalty(modules: int, size: int) -> int:
    """Return a masked matrix's penalty as segno counts it (N1 + N2 + N3 + N4)."""
    flat = modules.to_bytes(size * size, "big")
    rows = GAP.join(flat[i : i + size] for i in range(0, size * size, size)) + GAP
    columns = GAP.join(flat[j::size] for j in range(size)) + GAP
    # N1: 3 points for a run of 5 modules of the same colour, 1 more per module beyond.
    found = RUN.findall(rows) + RUN.findall(columns)
    runs = len(b"".join(found)) - 2 * len(found)
    # N2: 3 points per 2 x 2 block of one colour (a module equal to its left neighbour,
    # to the one above, and the one above equal to its own left neighbour).
    ones, inner = _constants(size)
    left = ~(modules ^ (modules >> 8)) & ones
    above = ~(modules ^ (modules >> (8 * size))) & ones
    blocks = 3 * (left & (left >> (8 * size)) & above & inner).bit_count()
    # N4: 10 points per 5% of dark modules away from half.
    percent = float(modules.bit_count()) / (size**2)
    balance = 10 * int(abs(percent * 100 - 50) / 5)
    return runs + blocks + _finders(rows, size) + _finders(columns, size) + balance


def _finders(lines: bytes, size: int) -> int:
    """Return N3 for rows (or columns) joined by GAP, as segno finds the pattern: 40 points
    where 4 light modules (or the edge) precede or follow it, then on after it."""
    stride = size + 1
    score = 0
    index = lines.find(FINDER)
    while index != -1:
        start = index - index % stride
        at = index - start
        before = lines[max(index - 4, start) : index]
        after = lines[index + 7 : min(index + 11, start + size)]
        if at in (0, size - 7) or 1 not in before or 1 not in after:
            score += 40
            index = lines.find(FINDER, index + 7)
        else:
            index = lines.find(FINDER, index + 4)
    return score


@cache
def _constants(size: int) -> tuple[int, int]:
    """Return a matrix of ones, and of ones but on the first row and column, as integers."""
    ones = int.from_bytes(b"\x01" * (size * size), "big")
    inner = bytes(int(i >= size and i % size > 0) for i in range(size * size))
    return ones, int.from_bytes(inner, "big")


@cache
def _masks(size: int) -> tuple[int, ...]:
    """Return segno's 8 masks of a QR code of `size` modules a side, as integers: 1 where
    a module of the encoding region is flipped."""
    # segno's encoding region: what its function patterns leave (see its
    # find_and_apply_best_mask), and the dark module.
    function = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(function, size, size)
    encoder.add_alignment_patterns(function, size, size)
    function[-8][8] = 0x1
    masks = []
    for pattern in encoder.get_data_mask_functions(False):
        flipped = bytes(
            int(function[i][j] > 0x1 and bool(pattern(i, j)))
            for i in range(size)
            for j in range(size)
        )
        masks.append(int.from_bytes(flipped, "big"))
    return tuple(masks)
