"""On-site speed: persisting one answer, and opening a 60-item inspection.

``python bench/inspection.py [--repeat R]``

Builds a demo database in a temporary folder, starts an inspection on a synthetic 60-item
template (every item applicable) and times, per answer, ``inspections.answer_item`` — one
transaction with the answer, its hazard when 不符合, the audit event and the outbox row, committed
with ``synchronous=FULL``. Then it times opening the finished 60-item inspection: the service
(``open_inspection``) cold (first open in the process) and warm, and the Qt view built from it
(``ChecklistView``), offscreen. Goals: answer < 20 ms, open < 300 ms. Reports; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from bench.timing import Summary, print_table, repeat_ms, time_ms
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.demo.synthetic import synthetic_checklist
from fuanjian_desktop.domain.inspection_rules import Answer, InspectionSource, SitePerson
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.setup import create_encrypted_database

if TYPE_CHECKING:
    from ui.context import AppContext

TEMPLATE_ID = "bench.sixty"
ITEMS = 60


def start(database: Database, actor: Actor, folder: Path) -> str:
    """A 60-item inspection by 张伟 and 李娜 at the first demo venue."""
    team = tuple(
        person.user_id
        for person in inspections.available_inspectors(database, actor, actor.squad_id)
        if person.full_name in {"张伟", "李娜"}
    )
    request = inspections.InspectionStart(
        enterprise_id=registry.search_enterprise_ids(database, "")[0],
        source=InspectionSource.ROUTINE,
        template_id=TEMPLATE_ID,
        inspector_ids=team,
        site_person=SitePerson("李老板"),
    )
    return inspections.start_inspection(database, actor, request, folder)


def time_answers(database: Database, actor: Actor, inspection_id: str) -> dict[str, Summary]:
    """Each item answered once (every fifth 不符合), then every answer changed."""
    items = inspections.open_inspection(database, actor, inspection_id).items
    answer = partial(inspections.answer_item, database, actor, inspection_id)
    new_ok, new_failed, changed = [], [], []
    for number, item in enumerate(items):
        failing = number % 5 == 0
        result = Answer.NON_COMPLIANT if failing else Answer.COMPLIANT
        elapsed, _ = time_ms(partial(answer, item, result))
        (new_failed if failing else new_ok).append(elapsed)
    for number, item in enumerate(items):
        result = Answer.NOT_APPLICABLE if number % 5 else Answer.COMPLIANT
        changed.append(time_ms(partial(answer, item, result, "复核"))[0])
    return {
        "符合（新答案）": Summary.of(new_ok),
        "不符合（新答案＋隐患）": Summary.of(new_failed),
        "改答案（含撤销隐患）": Summary.of(changed),
        "全部答案": Summary.of(new_ok + new_failed + changed),
    }


def time_open(
    database: Database, actor: Actor, folder: Path, inspection_id: str, repeat: int
) -> dict[str, Summary]:
    """The service cold and warm, then the Qt view."""
    cold, view = time_ms(lambda: inspections.open_inspection(database, actor, inspection_id))
    warm, _ = repeat_ms(lambda: inspections.open_inspection(database, actor, inspection_id), repeat)
    results = {"open_inspection（首次，含解析模板）": Summary.of([cold]), "open_inspection": warm}
    results.update(time_view(database, folder, inspection_id, repeat))
    assert len(view.items) == ITEMS
    return results


def time_view(
    database: Database, folder: Path, inspection_id: str, repeat: int
) -> dict[str, Summary]:
    """Building and showing the checklist view for the inspection (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from fuanjian_desktop.services.setup import installation
    from ui.app import make_application
    from ui.context import AppContext
    from ui.widgets.checklist_view import ChecklistView
    from ui.workers import Workers

    make_application()
    workers = Workers()
    actor = auth.sign_in(database, "zhangwei", demo.DEMO_PASSWORD)
    context = AppContext(database, actor, installation(database), workers, "园岭")

    def build_and_paint() -> None:
        view = ChecklistView(context)
        view.load(inspections.open_inspection(database, actor, inspection_id))
        view.resize(1100, 700)
        view.show()
        QApplication.processEvents()
        view.close()
        view.deleteLater()

    summary, _ = repeat_ms(build_and_paint, repeat)
    keys = time_keys(context, start(database, actor, folder))
    workers.shutdown()
    return {"ChecklistView 构建并绘制（含 open_inspection）": summary, "按键 1 到界面更新": keys}


def time_keys(context: AppContext, inspection_id: str) -> Summary:
    """A whole fresh inspection answered with key 1, each press until the view has repainted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.widgets.checklist_view import ChecklistView

    view = ChecklistView(context)
    view.load(inspections.open_inspection(context.database, context.actor, inspection_id))
    view.resize(1100, 700)
    view.show()
    view.focus_items()
    QApplication.processEvents()
    samples = []
    for _ in range(ITEMS):
        elapsed, _ = time_ms(
            lambda: (QTest.keyClick(view.tree, Qt.Key.Key_1), QApplication.processEvents())
        )
        samples.append(elapsed)
    view = inspections.open_inspection(context.database, context.actor, inspection_id)
    assert view.answered == ITEMS
    view.close()
    return Summary.of(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuanjian-bench-") as temporary:
        root = Path(temporary)
        folder = root / "checklists"
        folder.mkdir()
        document = synthetic_checklist(TEMPLATE_ID, ITEMS)
        (folder / f"{TEMPLATE_ID}.json").write_text(json.dumps(document, ensure_ascii=False))
        database = create_encrypted_database(DataFolder(root))
        print("building the demo database …", flush=True)
        demo.create_demo(database)
        actor = auth.sign_in(database, "zhangwei", demo.DEMO_PASSWORD)
        inspection_id = start(database, actor, folder)
        answers = time_answers(database, actor, inspection_id)
        opening = time_open(database, actor, folder, inspection_id, args.repeat)
        database.close()
    rows = [
        (label, f"{s.median_ms:.1f}", f"{s.p95_ms:.1f}")
        for label, s in {**answers, **opening}.items()
    ]
    print_table(("测量（60 项检查表）", "中位数 ms", "p95 ms"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
