"""Crash safety at scale: a thousand SIGKILLs during the app's writes, each followed by the checks.

``python bench/crash.py [--kills 1000] [--seed 1] [--full-chain-every 100] [--data-dir D]
[--sabotage outbox]``

Builds a demo data folder (encrypted, as ``main.py demo`` does) in a temporary folder (or in the
empty ``D``), then runs the crash harness of ``tests/crash/`` round after round on it: a child
performs a seeded random mix of registry edits, checklist answers, photo imports, hazard edits,
case steps, document issues and transcript typing; it is killed with SIGKILL at a random point;
the folder is reopened as the app reopens it and checked — ``PRAGMA integrity_check``, every
acknowledged write present, change / audit event / outbox row consistent both ways, the audit
chain (only what is new after each kill; the whole trail every ``--full-chain-every`` kills and
at the end) and the evidence store holding exactly the referenced files, each decrypting whole.

Prints the figures: kills, acknowledged writes per kind, integrity failures, lost acknowledged
writes, audit/outbox mismatches, chain breaks, orphans, missing files, the files a killed import
left that the start-up sweep removed, elapsed. Reports; asserts nothing (``tests/crash`` does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from fuanjian_desktop.db.startup import open_database
from tests.crash import checks
from tests.crash.child import SABOTAGE
from tests.crash.harness import ChildFailed, Run, Tally, demo_run
from tests.crash.writes import WRITES

PROGRESS_EVERY = 50


def main() -> None:
    """Parse the options, build the demo folder and run the kills."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full-chain-every", type=int, default=100)
    parser.add_argument("--data-dir", type=Path, help="an empty folder to keep the data in")
    parser.add_argument(
        "--sabotage",
        choices=sorted(SABOTAGE),
        default="",
        help="break a rule on purpose (outbox: hazard edits skip their outbox row) to see the "
        "checks catch it",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuanjian-crash-") as scratch:
        root = args.data_dir or Path(scratch) / "data"
        root.mkdir(parents=True, exist_ok=True)
        print(f"building the demo data folder in {root} …", flush=True)
        run = demo_run(root, args.seed)
        run.chain_mark = checks.ChainMark()
        run.sabotage = args.sabotage
        failures: list[str] = []
        with run:
            for number in range(args.kills):
                try:
                    run.round(number)
                except ChildFailed as failed:  # a write path raised: count it, show it, go on
                    failures.append(str(failed))
                if (number + 1) % args.full_chain_every == 0:
                    run.tally.chain += len(_full_walk(run))
                if (number + 1) % PROGRESS_EVERY == 0:
                    _progress(run.tally)
            run.tally.chain += len(_full_walk(run))
            run.verified.clear()
            orphans, missing = _evidence_once_more(run)
        report(run.tally, orphans, missing)
        print(f"child errors (a write path raised)  {len(failures)}")
        for failure in failures[:3]:
            print(failure)


def _full_walk(run: Run) -> list[str]:
    """The whole chain and every issued document, as ``main.py audit verify`` walks them."""
    database = open_database(run.folder, run.key)
    try:
        problems = checks.chain(database)
    finally:
        database.close()
    run.tally.problems += problems
    return problems


def _evidence_once_more(run: Run) -> tuple[int, int]:
    """Every evidence file decrypted and hashed again at the end (a run checks each once)."""
    database = open_database(run.folder, run.key)
    try:
        orphans, missing = checks.evidence_files(database)
    finally:
        database.close()
    run.tally.problems += orphans + missing
    return len(orphans), len(missing)


def _progress(tally: Tally) -> None:
    problems = tally.integrity + tally.lost + tally.audit + tally.chain
    problems += tally.orphans + tally.missing
    print(
        f"  {tally.kills} kills, {sum(tally.writes.values())} writes, "
        f"{problems} problems, {tally.elapsed:.0f} s",
        flush=True,
    )


def report(tally: Tally, orphans_at_end: int, missing_at_end: int) -> None:
    """The figures, one per line, then the first problems found (if any)."""
    kinds = list(WRITES)
    rows = [
        ("kills (SIGKILL)", tally.kills),
        ("acknowledged writes", sum(tally.writes.values())),
        *[(f"  {kind}", tally.writes[kind]) for kind in kinds],
        ("integrity failures", tally.integrity),
        ("lost acknowledged writes", tally.lost),
        ("change/audit/outbox mismatches", tally.audit),
        ("chain breaks", tally.chain),
        ("orphan files", tally.orphans),
        ("missing or damaged files", tally.missing),
        ("orphans / missing in the final full check", f"{orphans_at_end} / {missing_at_end}"),
        ("leftovers removed by the start-up sweep", tally.swept),
        ("elapsed", f"{tally.elapsed:.0f} s ({tally.checking:.0f} s of it checking)"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    for problem in tally.problems[:20]:
        print(f"problem: {problem}")


if __name__ == "__main__":
    main()
