"""Small timing helpers shared by the benchmarks: repeat a call, summarise, print a table."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Summary:
    """Median and 95th percentile (nearest rank) of a series of times, in milliseconds."""

    median_ms: float
    p95_ms: float

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Summary:
        """Summarise samples; p95 by nearest rank, so 20 samples give the 19th smallest."""
        ordered = sorted(samples_ms)
        rank = max(1, math.ceil(0.95 * len(ordered)))
        return cls(statistics.median(ordered), ordered[rank - 1])


def time_ms(call: Callable[[], Any]) -> tuple[float, Any]:
    """How long one call takes (ms) and what it returned."""
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def repeat_ms(call: Callable[[], Any], repeat: int, warmup: int = 2) -> tuple[Summary, Any]:
    """Time ``call`` ``repeat`` times after ``warmup`` untimed calls; summary and last result."""
    result = None
    for _ in range(warmup):
        result = call()
    samples = []
    for _ in range(repeat):
        elapsed, result = time_ms(call)
        samples.append(elapsed)
    return Summary.of(samples), result


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain-text table; widths count CJK characters as two columns so it lines up."""
    cells = [[str(value) for value in row] for row in [headers, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    for number, row in enumerate(cells):
        print("  ".join(_pad(text, width) for text, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
