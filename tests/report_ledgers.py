"""Ledgers built to match the figures of seeds 003 and 004, for the statistics and report tests."""

from desktop_app.store import petitions

# Seed 004 (贵州, 截至2020年8月底): 7类42个问题, 30项已完成整改, 12项达到时序进度要求.
SEED_004_DATE = "2020-08-31"
SEED_004_CATEGORIES = [("思想认识类问题", 8), ("城市基础设施类问题", 11), ("自然保护地类问题", 6),
                       ("“三磷”污染类问题", 4), ("环境生态类问题", 5), ("畜禽养殖类问题", 3),
                       ("其他类问题", 5)]
# Seed 003 (2024年): 限期整改64个, 长期坚持35个; 限期整改已完成50个 (46个已销号, 4个正在销号中);
# 信访件102个, 已完成整改102个, 销号101个.
SEED_003_DATE = "2024-04-30"


def build_004(ledger) -> int:
    """42 problems in 7 大类; the first 30 (in document order) finished, the other 12 under way
    with deadlines after 2020-08-31 or 长期坚持."""
    finished = ["已完成", "销号中", "已销号"]
    with ledger.writing():
        inspection = ledger.add_inspection("中央生态环境保护督察“回头看”", "回头看", "2019-05-10",
                                           "贵州省")
        n = 0
        for title, size in SEED_004_CATEGORIES:
            category = ledger.add_category(inspection, title)
            for _ in range(size):
                if n < 30:
                    fields = {"deadline_text": "2019年12月底前", "status": finished[n % 3]}
                elif n < 36:
                    fields = {"deadline_text": "2020年12月底前", "status": "整改中"}
                else:
                    fields = {"deadline_text": "长期坚持", "status": "整改中"}
                ledger.add_problem(category, code=f"第{n + 1}项", lead_unit=f"单位{n % 4}",
                                   description=f"问题{n + 1}", **fields)
                n += 1
    return inspection


def build_003(ledger) -> int:
    """64 限期整改 (46 已销号, 4 销号中, 14 整改中 due 2024年12月底前) and 35 长期坚持 problems in
    2 大类, and 102 petitions: all 办结, 101 销号."""
    with ledger.writing():
        inspection = ledger.add_inspection("第二轮中央生态环境保护督察", "中央", "2021-04-02", "青山县")
        fixed = ledger.add_category(inspection, "限期整改问题")
        ongoing = ledger.add_category(inspection, "长期坚持问题")
        for i in range(64):
            status = "已销号" if i < 46 else "销号中" if i < 50 else "整改中"
            deadline = "2023年6月底前" if i < 50 else "2024年12月底前"
            ledger.add_problem(fixed, code=f"限{i + 1}", lead_unit="县生态环境局" if i % 2 else "县住建局",
                               deadline_text=deadline, status=status)
        for i in range(35):
            ledger.add_problem(ongoing, code=f"长{i + 1}", lead_unit="县林业局",
                               deadline_text="长期坚持", status="整改中")
        for i in range(102):
            petitions.add(ledger, inspection, code=f"X{i + 1:03d}", received_on="2021-05-01",
                          source="中央督察组交办", content=f"群众反映问题{i + 1}",
                          lead_unit="县生态环境局", concluded_on="2021-12-31",
                          signed_off_on="2022-06-30" if i < 101 else None)
    return inspection
