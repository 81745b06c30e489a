"""The catalogue's quick choice of a QR code's mask is segno's own choice."""

from __future__ import annotations

import random
import string

import pytest
import segno
import segno.encoder

from gallery.catalogue.masks import SEGNO_BEST_MASK, best_mask, quick_masks


def _data() -> list[str]:
    """Return URLs like the catalogue's, and texts and numbers of many lengths (versions 1
    to 10 or so)."""
    rng = random.Random(18004)
    urls = [f"https://example.org/exhibit-{r:03d}-{e:02d}" for r in range(1, 8) for e in (1, 20)]
    texts = [
        "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 400)))
        for _ in range(120)
    ]
    numbers = [str(rng.randrange(10 ** rng.randint(1, 150))) for _ in range(20)]
    return urls + texts + numbers + ["https://expo.example.org/2021/fr/rooms/lab/lanterns/"]


def test_quick_masks_choose_segnos_mask_and_give_segnos_matrix() -> None:
    data = [(text, "lmqh"[index % 4]) for index, text in enumerate(_data())]
    made = [segno.make(text, error=error, micro=False, boost_error=False) for text, error in data]
    with quick_masks():
        quick = [
            segno.make(text, error=error, micro=False, boost_error=False) for text, error in data
        ]
    assert len({code.version for code in made}) > 8
    assert len({code.mask for code in made}) == 8
    for text, code, fast in zip(data, made, quick, strict=True):
        assert (fast.mask, fast.matrix) == (code.mask, code.matrix), text


def test_quick_masks_leave_segno_as_it_was_even_after_an_error() -> None:
    own = segno.encoder.find_and_apply_best_mask
    with pytest.raises(RuntimeError), quick_masks():
        assert segno.encoder.find_and_apply_best_mask is not own
        raise RuntimeError
    assert segno.encoder.find_and_apply_best_mask is own


def test_a_given_mask_and_micro_codes_are_left_to_segno() -> None:
    with quick_masks():
        given = segno.make("https://example.org/", mask=5, micro=False)
        micro = segno.make("12345", micro=True)
    assert given.mask == 5
    own = segno.make("12345", micro=True)
    assert (micro.matrix, micro.mask) == (own.matrix, own.mask)


def test_a_matrix_with_a_module_neither_light_nor_dark_is_left_to_segno() -> None:
    size, rng = 21, random.Random(0)
    matrix = tuple(bytearray(rng.choice((0, 1, 2)) for _ in range(size)) for _ in range(size))
    copy = tuple(bytearray(row) for row in matrix)
    assert best_mask(matrix, size, size) == SEGNO_BEST_MASK(copy, size, size)
