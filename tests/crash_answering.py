"""Child process for the crash test: answers every item of an inspection, announcing each save.

``python -m tests.crash_answering DATA_DIR INSPECTION_ID`` prints ``saved <item id>`` after each
answer has committed, then keeps going; the parent kills it without warning part-way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.demo import demo
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.inspections import inspections


def main(data_dir: str, inspection_id: str) -> None:
    database, actor = auth.unlock(DataFolder(Path(data_dir)), "zhangwei", demo.DEMO_PASSWORD)
    items = inspections.open_inspection(database, actor, inspection_id).items
    for round_number in range(1000):
        for position, item in enumerate(items):
            failing = (position + round_number) % 3 == 0
            result = Answer.NON_COMPLIANT if failing else Answer.COMPLIANT
            inspections.answer_item(
                database, actor, inspection_id, item, result, f"第{round_number}轮"
            )
            print(f"saved {item.id} {result.value} 第{round_number}轮", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
