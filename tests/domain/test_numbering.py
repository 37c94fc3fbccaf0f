"""文号 form and block arithmetic: numbers come only from a laptop's own blocks, never reused."""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.numbering import Block, check_block, format_number, next_serial
from fuanjian_desktop.errors import UserError


def test_number_reads_like_the_template() -> None:
    """（深福）应急责改〔2026〕12号, and a second document of a case's serial reads 12-2号."""
    assert format_number("深福", "应急责改", 2026, 12) == "（深福）应急责改〔2026〕12号"
    assert format_number("深福", "应急询", 2026, 12, part=2) == "（深福）应急询〔2026〕12-2号"


def test_next_serial_counts_up_inside_the_blocks() -> None:
    """The first serial is the block's first; then one above the highest used."""
    blocks = [Block("深福", 2026, 301, 600)]
    assert next_serial(blocks, []) == 301
    assert next_serial(blocks, [301, 302]) == 303


def test_voided_or_skipped_numbers_are_never_handed_out_again() -> None:
    """After 305 the next is 306 even if 303 was voided (used includes voided serials)."""
    blocks = [Block("深福", 2026, 301, 600)]
    assert next_serial(blocks, [301, 302, 303, 305]) == 306


def test_next_serial_moves_to_the_next_block_and_ends_when_used_up() -> None:
    """A full block gives way to the next one; all full means None (the user is told)."""
    blocks = [Block("深福", 2026, 901, 1000), Block("深福", 2026, 1, 2)]
    assert next_serial(blocks, [1, 2]) == 901
    assert next_serial(blocks, [1, 2, 1000]) is None


def test_other_laptops_numbers_do_not_move_this_laptops_counter() -> None:
    """Serials outside this laptop's blocks (synced from others) are ignored."""
    assert next_serial([Block("深福", 2026, 1, 300)], [301, 450]) == 1


def test_overlapping_or_malformed_blocks_are_refused() -> None:
    """Blocks of one prefix and year must not overlap; first ≤ last within 1–99999."""
    known = [Block("深福", 2026, 1, 300)]
    with pytest.raises(UserError, match="重叠"):
        check_block(Block("深福", 2026, 300, 400), known)
    check_block(Block("深福", 2027, 1, 300), known)
    check_block(Block("深福", 2026, 301, 600), known)
    with pytest.raises(UserError, match="起止号不正确"):
        check_block(Block("深福", 2026, 500, 400), known)
    with pytest.raises(UserError, match="机关代字"):
        check_block(Block(" ", 2026, 1, 2), [])
