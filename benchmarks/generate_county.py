"""A county ledger after 汇总 for benchmarks: 200 orgs × 300 problems, built through the store API.

    .venv/bin/python benchmarks/generate_county.py OUT.db [--orgs 200 --problems 300 --seed 1]

Each org (a township, named in the inspection's org column) has one inspection of its own with
8 categories and their subcategories, as generate_ledger.py fills them, written with
Ledger.add_problems (one executemany per org); then generate_history.py adds 2 dated progress
reports per problem on average. No evidence files: attaching is benchmarked on its own.
"""

import argparse
import random
import sys
import time
from pathlib import Path

from desktop_app.store.ledger import Ledger
from generate_history import add_history
from generate_ledger import CATEGORIES, _Text

ORGS = 200
PROBLEMS_PER_ORG = 300
REPORTS_PER_PROBLEM = 2
_TOWN_WORDS = "东南西北上下中新老大小青白黄石龙凤桃李柳梅金银"


def org_names(count: int) -> list[str]:
    """镇 names made of two characters: 东南镇, 东西镇 …, as many as asked for."""
    names = [a + b + "镇" for a in _TOWN_WORDS for b in _TOWN_WORDS if a != b]
    if count > len(names):
        raise ValueError(f"at most {len(names)} orgs")
    return names[:count]


def generate(path: Path, orgs: int = ORGS, per_org: int = PROBLEMS_PER_ORG, seed: int = 1,
             report=print) -> Path:
    rng = random.Random(seed)
    text = _Text(rng)
    ledger = Ledger.create(Path(path))
    try:
        ledger.set_title(f"县级汇总台账（{orgs}个乡镇，每个{per_org}项问题）")
        for number, org in enumerate(org_names(orgs), 1):
            with ledger.writing():
                inspection = ledger.add_inspection(f"{org}第三轮中央生态环境保护督察反馈问题", "中央",
                                                   "2024-11-20", org, "基准测试生成的数据")
                owners = []
                for title in rng.sample(list(CATEGORIES), 8):
                    category = ledger.add_category(inspection, title)
                    subs = rng.sample(CATEGORIES[title], rng.randint(0, len(CATEGORIES[title])))
                    if not subs or rng.random() < 0.5:
                        owners.append(category)
                    owners += [ledger.add_category(inspection, sub, category) for sub in subs]
                ledger.add_problems([(rng.choice(owners), text.problem(n)) for n in range(1, per_org + 1)])
            if number % 20 == 0:
                report(f"  {number}/{orgs} orgs")
    finally:
        ledger.close()
    add_history(Path(path), REPORTS_PER_PROBLEM * orgs * per_org, 0, seed)
    return Path(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="生成基准测试用的县级汇总台账")
    parser.add_argument("out", type=Path, help="新台账文件（不能已经存在）")
    parser.add_argument("--orgs", type=int, default=ORGS)
    parser.add_argument("--problems", type=int, default=PROBLEMS_PER_ORG, help="每个乡镇的问题数")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} already exists")
    start = time.perf_counter()
    generate(args.out, args.orgs, args.problems, args.seed)
    print(f"generated {args.orgs} × {args.problems} problems in {time.perf_counter() - start:.1f} s"
          f" → {args.out} ({args.out.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
