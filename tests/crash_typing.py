"""Child process for the transcript crash test: types answers, announcing each journal save.

``python -m tests.crash_typing DATA_DIR DOCUMENT_ID`` grows the answer of one pair a character at
a time through the journal and prints ``saved <length>`` after each save has committed; the
parent kills it without warning part-way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.demo import demo
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.transcripts import transcripts

ANSWER = "我们车间有十二名工人，去年只组织过一次消防演练，没有做过安全生产教育培训。" * 20


def main(data_dir: str, document_id: str) -> None:
    database, actor = auth.unlock(DataFolder(Path(data_dir)), "zhangwei", demo.DEMO_PASSWORD)
    for length in range(1, len(ANSWER) + 1):
        pair = {
            "id": "p1",
            "q": "你单位是否组织从业人员进行安全生产教育和培训？",
            "a": ANSWER[:length],
        }
        transcripts.autosave(database, actor, document_id, {"qa": [pair]})
        print(f"saved {length}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
