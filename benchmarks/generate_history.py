"""A benchmark ledger's months of work: dated progress reports and evidence files, through the
real store API (so the audit chain and the evidence store are what the app itself writes).

Evidence records point to small real files, copied in by store.evidence_attach.attach_files: each is a
96×72 JPEG (one of a few colours) with a unique tail after its end marker, so every record has
its own object in the store (as real photos do) and thumbnails still decode. Files, not bare
rows: opening a ledger checks that every recorded file exists, and would stop at 20,000
missing ones.
"""

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from desktop_app.domain.vocabulary import DEFAULT_EVIDENCE_KINDS
from desktop_app.jobs import finish
from desktop_app.store.evidence_attach import attach_files
from desktop_app.store.ledger import Ledger
from desktop_app.store.progress import add_report

REPORTS = ["已召开专题调度会，{unit}通报了整改进度，{n}项措施已完成{pct}%。",
           "{unit}完成现场核查{n}处，正在按时序推进，未发现问题反弹。",
           "已完成管网建设{n}公里，占计划的{pct}%，剩余工程正在施工。",
           "本月完成整改措施{n}项，{unit}组织了现场验收，佐证材料已收集。",
           "受汛期影响进度有所滞后，已制定赶工计划，确保按时完成。",
           "已立案查处{n}起，责令整改{n}家，{unit}每周开展巡查。"]
REPORTERS = ["县水利局 张伟", "县生态环境局 李娜", "城关镇 王强", "县住建局 刘洋", "县农业农村局 陈静",
             "青山镇 杨帆", "县自然资源局 赵磊", "县督察整改办 周敏"]
EVIDENCE_NAMES = ["整改前现场照片", "整改后现场照片", "会议纪要", "验收意见", "施工合同", "整改方案", "巡查记录"]
COLOURS = ["#4a7a5a", "#6d8fb3", "#b38a5a", "#8a8a8a", "#5a9ab3", "#a35a5a"]


def _jpegs() -> list[bytes]:
    """A few small JPEGs made once with Qt (loaded only here: the ledger part needs no Qt)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage
    made = []
    for colour in COLOURS:
        image = QImage(96, 72, QImage.Format_RGB32)
        image.fill(QColor(colour))
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        image.save(buffer, "JPG", 70)
        made.append(bytes(data))
    return made


def share(total: int, parts: int, rng: random.Random) -> list[int]:
    """total split over parts, unevenly (0 … 2× the mean each), summing exactly to total."""
    weights = [rng.random() * 2 for _ in range(parts)]
    scale = total / (sum(weights) or 1)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(parts), total - sum(counts)):
        counts[i] += 1
    return counts


def add_history(path: Path, reports: int, evidence: int, seed: int = 1) -> None:
    """Add that many progress reports and evidence records, spread over the ledger's problems."""
    rng = random.Random(seed)
    ledger = Ledger.open(path)
    try:
        problems = [row[0] for row in ledger.db.execute("SELECT id FROM problems ORDER BY id")]
        with ledger.writing():
            for problem_id, count in zip(problems, share(reports, len(problems), rng)):
                day = date(2024, 1, 25) + timedelta(days=rng.randint(0, 60))
                for _ in range(count):
                    text = rng.choice(REPORTS).format(unit=rng.choice(REPORTERS).split()[0],
                                                      n=rng.randint(2, 60), pct=rng.randint(20, 100))
                    add_report(ledger, problem_id, day, text, rng.choice(REPORTERS))
                    day += timedelta(days=rng.randint(25, 35))  # monthly 调度
        _attach(ledger, problems, share(evidence, len(problems), rng), rng)
    finally:
        ledger.close()


def _attach(ledger: Ledger, problems: list[int], counts: list[int], rng: random.Random) -> None:
    jpegs = _jpegs()
    # One transaction for all rows (each batch's commit joins it); the files are still copied,
    # fsynced and renamed one by one, as a clerk's would be.
    with tempfile.TemporaryDirectory(prefix="dc-ledger-evidence-") as folder, ledger.writing():
        number = 0
        for problem_id, count in zip(problems, counts):
            if not count:
                continue
            files = []
            for _ in range(count):
                number += 1
                name = f"{rng.choice(EVIDENCE_NAMES)}{number}.jpg"
                source = Path(folder) / name
                source.write_bytes(rng.choice(jpegs) + number.to_bytes(4, "big") + rng.randbytes(rng.randint(0, 4096)))
                files.append(source)
            finish(attach_files(ledger, problem_id, files, kind=rng.choice(DEFAULT_EVIDENCE_KINDS),
                                caption="基准测试生成", taken_on="2024-06-01"))
            for source in files:
                source.unlink()
