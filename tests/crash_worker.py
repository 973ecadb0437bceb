"""Killing a process that is changing a ledger, and checking nothing was lost or half-written.

The child (python tests/crash_worker.py LEDGER JOURNAL SEED) opens the ledger and makes random
changes through Ledger — edits, adds, moves, deletes, undo, and imports (seeds.fill of a small
document, after a 导入前 backup) — until it is killed. Attachments are not exercised: evidence
files arrive in a later issue. Its journal, each line flushed and fsynced before it goes on:

    START <digest>                 the state it found
    PENDING <seq> <digest>         inside the transaction, just before COMMIT: the state COMMIT makes
    OK <seq> <digest> <summary>    after COMMIT returned: the change is reported committed

The parent (run_cycle) kills it with SIGKILL at a random moment, runs the start-up check
read-only, opens the ledger (the dead child's lock must clear by itself), runs check_ledger and
requires the state to be exactly the last OK one, or the PENDING one after it (killed between
COMMIT and its OK line). Anything else is a lost or half-written change.
"""

import hashlib
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.store import seeds
from desktop_app.store.backups import BackupPolicy, make_backup, prune
from desktop_app.store.evidence_check import check_ledger
from desktop_app.store.integrity import verify_file
from desktop_app.store.ledger import Ledger

MAX_INSPECTIONS = 4  # beyond this an inspection is deleted now and then: the file stays small
STATUSES = ["未启动", "整改中", "已完成", "销号中", "已销号"]
WORDS = ["污水直排", "扬尘管控", "非法占用林地", "畜禽养殖", "黑臭水体", "固废堆存", "矿山修复",
         "河道采砂", "秸秆焚烧", "油烟扰民", "饮用水源地", "自然保护区"]


def state_digest(conn) -> str:
    """Every row of every table but the audit trail (written as the transaction closes, after
    the digest is taken; the chain check covers it) and the row digests (written then too;
    check_ledger compares them with the rows)."""
    digest = hashlib.sha256()
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'row_digests'"
        " ORDER BY name")]
    for table in tables:
        if table in ("audit_log", "row_digests"):
            continue
        where = " WHERE key NOT IN ('audit_head', 'row_digests')" if table == "meta" else ""
        rows = conn.execute(f"SELECT * FROM {table}{where} ORDER BY rowid").fetchall()
        digest.update(json.dumps([table, rows], ensure_ascii=False, default=str).encode("utf-8"))
    return digest.hexdigest()


def backup_policy(ledger_path: Path) -> BackupPolicy:
    return BackupPolicy(folder=Path(ledger_path).parent / "备份", keep_daily=1, keep_monthly=1)


# -- the child ----------------------------------------------------------------------------------

class Journal:
    def __init__(self, path: Path):
        self.file = open(path, "a", encoding="utf-8")

    def write(self, *fields) -> None:
        self.file.write(" ".join(str(f) for f in fields) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))) + f"问题{rng.randint(1, 9999)}"


def _pick(ledger, rng, sql, params=()):
    rows = ledger.db.conn.execute(sql, params).fetchall()
    return rng.choice(rows) if rows else None


def _import_document(rng: random.Random) -> dict:
    return {"inspections": [{
        "name": f"导入的督察{rng.randint(1, 999)}", "kind": rng.choice(["中央", "省级", "专项"]),
        "categories": [{"title": f"大类{c}", "problems": [
            {"description": _text(rng), "measures": [_text(rng) for _ in range(rng.randint(0, 3))],
             "deadline_text": rng.choice(["长期坚持", "立行立改", "2025年6月底前"]),
             "status": rng.choice(STATUSES)} for _ in range(rng.randint(1, 4))]}
            for c in range(rng.randint(1, 3))]}]}


def change(ledger, rng: random.Random, previous) -> str:
    """One random change inside the caller's transaction; returns a summary for the journal.
    previous: the change set committed last, which 撤销 may replay backwards."""
    problem = _pick(ledger, rng, "SELECT id, category_id FROM problems")
    category = _pick(ledger, rng, "SELECT id, inspection_id FROM categories")
    roll = rng.random()
    if problem and roll < 0.30:
        field = rng.choice(["description", "goal", "completion", "lead_unit", "status"])
        value = rng.choice(STATUSES) if field == "status" else _text(rng)
        ledger.update("problem", problem[0], **{field: value})
        return f"update problem {problem[0]} {field}"
    if category and roll < 0.45:
        new = ledger.add_problem(category[0], index=rng.randint(0, 5), description=_text(rng),
                                 measures=[_text(rng) for _ in range(rng.randint(0, 3))])
        return f"add problem {new}"
    measure = _pick(ledger, rng, "SELECT id, problem_id FROM measures")
    if problem and roll < 0.52:
        return f"add measure {ledger.add_measure(problem[0], _text(rng))}"
    if measure and roll < 0.60:
        ledger.update("measure", measure[0], completion=_text(rng))
        return f"update measure {measure[0]}"
    if problem and roll < 0.68:
        target = _pick(ledger, rng, "SELECT c.id FROM categories c JOIN categories o"
                       " ON o.inspection_id = c.inspection_id WHERE o.id = ?", [problem[1]])
        ledger.move("problem", problem[0], rng.randint(0, 6), parent_id=target[0])
        return f"move problem {problem[0]} to {target[0]}"
    if measure and roll < 0.72:
        ledger.move("measure", measure[0], rng.randint(0, 3))
        return f"move measure {measure[0]}"
    if measure and roll < 0.76:
        ledger.delete("measure", measure[0])
        return f"delete measure {measure[0]}"
    if problem and roll < 0.81:
        ledger.delete("problem", problem[0])
        return f"delete problem {problem[0]}"
    if previous is not None and not previous.empty and roll < 0.84:
        ledger.revert(previous)  # 撤销 of the change just made
        return f"undo {previous.label or 'change'}"
    if category and roll < 0.87:
        new = ledger.add_category(category[1], _text(rng)[:12])
        return f"add category {new}"
    if roll < 0.90:
        ledger.set_title(f"台账{rng.randint(1, 99)}")
        return "set title"
    inspections = ledger.db.conn.execute("SELECT id FROM inspections ORDER BY id").fetchall()
    if len(inspections) > MAX_INSPECTIONS:
        ledger.delete("inspection", inspections[0][0])
        return f"delete inspection {inspections[0][0]}"
    seeds.fill(ledger, _import_document(rng))
    return "import"


def child(ledger_path: Path, journal_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    journal = Journal(journal_path)
    ledger = Ledger.open(ledger_path)
    journal.write("START", state_digest(ledger.db.conn))
    seq = 0
    while True:
        seq += 1
        if rng.random() < 0.05:  # an import starts with a backup, outside the transaction
            make_backup(ledger, "导入前", backup_policy(ledger_path))
        previous = ledger.last_change
        try:
            with ledger.writing():
                summary = change(ledger, rng, previous)
                digest = state_digest(ledger.db.conn)
                journal.write("PENDING", seq, digest)
        except ValueError:  # a move the rules refuse: rolled back, nothing to journal
            continue
        journal.write("OK", seq, digest, summary)


# -- the parent ---------------------------------------------------------------------------------

@dataclass
class CycleResult:
    committed: int  # changes reported committed (OK lines) before the kill
    pending_committed: bool  # killed between COMMIT and its OK line
    rolled_back: bool  # killed inside a transaction, after its PENDING line: rolled back
    started: bool  # the child got as far as opening the ledger
    problems: list  # what went wrong; empty when the cycle passed
    seconds: float


def accepted_states(journal_path: Path, previous: str) -> tuple[list[str], int]:
    """The states the ledger may be in after the kill, and how many OK lines there were."""
    accepted, pending, committed = previous, None, 0
    try:
        text = journal_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # cut short by the kill: never reached its fsync, so nothing followed it
        fields = line.split() or [""]
        if fields[0] == "START":
            accepted, pending = fields[1], None
        elif fields[0] == "PENDING":
            pending = fields[2]
        elif fields[0] == "OK":
            accepted, pending, committed = fields[2], None, committed + 1
    return [accepted] + ([pending] if pending else []), committed


def run_cycle(ledger_path: Path, journal_path: Path, seed: int, previous: str,
              rng: random.Random, max_delay: float = 0.8) -> tuple[CycleResult, str]:
    """Start a child, kill it at a random moment, check the ledger. Returns (result, state now)."""
    began = time.monotonic()
    journal_path.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, __file__, str(ledger_path), str(journal_path), str(seed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0, 0.3))  # now and then during start-up
    else:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            if journal_path.exists() and journal_path.stat().st_size:
                break
            time.sleep(0.005)
        time.sleep(rng.uniform(0, max_delay))
    proc.kill()
    _, stderr = proc.communicate()
    problems = []
    if b"Traceback" in stderr:
        problems.append(f"the child failed by itself: {stderr.decode(errors='replace')[-2000:]}")
    accepted, committed = accepted_states(journal_path, previous)

    findings = verify_file(ledger_path)  # the start-up check: read-only, before anything writes
    problems += [f"start-up check: {f.message}" for f in findings]
    ledger = Ledger.open(ledger_path)  # the dead child's lock must clear by itself
    try:
        problems += [f"check: {f.message}" for f in check_ledger(ledger)]
        state = state_digest(ledger.db.conn)
    finally:
        ledger.close()
    if state not in accepted:
        problems.append(f"state {state[:12]} is neither the last committed one {accepted[0][:12]}"
                        f" nor the pending one ({committed} changes reported committed)")
    problems += _check_backups(ledger_path)
    started = journal_path.exists() and journal_path.stat().st_size > 0
    pending = len(accepted) == 2
    return CycleResult(committed, pending and state == accepted[1], pending and state == accepted[0],
                       started, problems, time.monotonic() - began), state


def _check_backups(ledger_path: Path) -> list[str]:
    """A kill during a backup may leave a .part, never a half-written backup under its name."""
    policy = backup_policy(ledger_path)
    prune(policy, ledger_path)
    problems = []
    for path in sorted(policy.folder.glob("*.db")) if policy.folder.is_dir() else []:
        problems += [f"backup {path.name}: {f.message}" for f in verify_file(path)]
    for part in policy.folder.glob("*.part") if policy.folder.is_dir() else []:
        part.unlink()
    return problems


def new_ledger(path: Path) -> str:
    ledger = Ledger.create(path)
    try:
        seeds.fill(ledger, _import_document(random.Random(0)))
        return state_digest(ledger.db.conn)
    finally:
        ledger.close()


if __name__ == "__main__":
    child(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
