"""A large, realistic ledger for benchmarks, built through the real Ledger API.

    .venv/bin/python benchmarks/generate_ledger.py OUT.db --problems 10000 [--seed 1]

By default each problem has 5 dated progress reports and 2 evidence files on average
(10,000 problems: 50,000 reports, 20,000 evidence records; see generate_history.py).

The text is put together from a fixed vocabulary with random.Random(seed), so the same
arguments give the same ledger (apart from the created_at stamps); nothing is downloaded.
The first inspection holds 80 % of the problems: it is the one the window opens on, and the
worst case for building, filtering and scrolling the tree.
"""

import argparse
import random
import sys
import time
from pathlib import Path

from desktop_app.store.ledger import Ledger
from generate_history import add_history

REPORTS_PER_PROBLEM = 5
EVIDENCE_PER_PROBLEM = 2

BIGGEST_SHARE = 0.8  # of all problems, in the first inspection

INSPECTIONS = [  # (name, kind, feedback date, org)
    ("第三轮中央生态环境保护督察", "中央", "2024-11-20", "中央第五生态环境保护督察组"),
    ("第二轮中央生态环境保护督察", "中央", "2021-07-14", "中央第四生态环境保护督察组"),
    ("省委省政府第三生态环境保护督察", "省级", "2022-09-06", "省委省政府第三生态环境保护督察组"),
    ("中央生态环境保护督察“回头看”", "回头看", "2019-05-10", "中央第二生态环境保护督察组"),
    ("长江流域生态环境问题专项督察", "专项", "2023-04-18", "省生态环境保护督察办公室"),
    ("长江经济带生态环境警示片披露问题", "警示片", "2023-12-01", "推动长江经济带发展领导小组办公室"),
]

CATEGORIES = {  # top-level category → its possible subcategories
    "思想认识和责任落实方面": ["学习贯彻习近平生态文明思想不够深入", "“党政同责、一岗双责”落实不到位"],
    "水污染防治方面": ["城镇生活污水收集处理", "工业园区污水治理", "黑臭水体整治", "饮用水水源地保护"],
    "大气污染防治方面": ["工业企业超标排放", "建筑工地和道路扬尘", "秸秆露天焚烧"],
    "土壤和固体废物污染防治方面": ["生活垃圾填埋场", "危险废物和医疗废物", "尾矿库和历史遗留废渣"],
    "自然生态保护方面": ["自然保护区违规建设", "河道非法采砂", "矿山生态修复"],
    "农业农村污染治理方面": ["畜禽养殖污染", "农村生活污水和垃圾", "水产养殖尾水"],
    "长江保护修复方面": ["岸线违规占用", "非法码头和砂石堆场", "入河排污口整治"],
    "环境监管执法方面": ["执法宽松软", "监测数据弄虚作假"],
    "产业结构和能源结构方面": ["“两高”项目盲目上马", "落后产能淘汰"],
    "信访投诉件办理方面": [],
}

TOWNS = ["城关镇", "河口镇", "青山镇", "白沙镇", "石门乡", "龙潭街道", "东城街道", "西城街道",
         "新港镇", "桃源乡", "双桥镇", "梅溪乡", "金盆镇", "黄土岭镇", "柳林乡", "县经济开发区",
         "高新技术产业园区", "工业集中区"]
RIVERS = ["资水", "沅江", "澧水", "新墙河", "汨罗江", "华容河", "东洞庭湖", "大通湖", "梅溪河",
          "青山水库", "白沙溪", "金盆河"]
FACILITIES = ["城镇污水处理厂", "乡镇污水处理站", "生活污水收集管网", "工业园区污水集中处理设施",
              "生活垃圾填埋场", "垃圾中转站", "医疗废物暂存间", "危险废物贮存库", "尾矿库",
              "砂石码头", "混凝土搅拌站", "沥青拌合站", "规模化畜禽养殖场", "水产养殖基地",
              "饮用水水源一级保护区", "自然保护区缓冲区", "废弃矿山", "建筑工地", "加油站",
              "餐饮集中区", "入河排污口", "渗滤液处理站", "农村集中供水工程", "化工园区"]
COMPANIES = ["某化工有限公司", "某建材有限公司", "某矿业有限责任公司", "某造纸厂", "某冶炼厂",
             "某食品加工厂", "某砂石场", "某养殖专业合作社", "某再生资源回收公司", "某陶瓷厂",
             "某电镀企业", "某印染有限公司", "某制药有限公司", "某水泥厂"]
ISSUES = ["配套管网建设滞后，雨污分流不到位", "长期超标排放，群众反映强烈", "防渗措施不完善，渗滤液外溢",
          "未批先建，环评手续不全", "整改进展缓慢，存在敷衍整改问题", "日常监管缺位，问题长期未得到解决",
          "治污设施不正常运行，偷排漏排现象时有发生", "违规占用岸线，未按要求拆除复绿",
          "在线监测数据异常，涉嫌弄虚作假", "污水直排入河，水质持续恶化", "扬尘污染防治措施落实不到位",
          "危险废物管理台账不规范，去向不明", "生态修复进度滞后，水土流失严重",
          "进水浓度偏低，污水处理效能不高", "养殖废水未经处理直接排放", "垃圾渗滤液处理能力不足，长期积存"]
CONSEQUENCES = ["周边群众多次信访投诉", "下游断面水质不能稳定达标", "对饮用水安全构成潜在威胁",
                "造成周边土壤和地下水污染风险", "影响区域空气质量改善", "破坏周边生态环境",
                "给长江生态安全带来隐患", "导致部分河段出现黑臭现象", "存在较大环境风险隐患"]
ATTITUDES = ["有关部门对问题严重性认识不足", "属地政府履行主体责任不到位", "相关部门监管责任落实不力",
             "企业主体责任意识淡薄", "一些领导干部存在畏难情绪", "有的单位以整改方案代替整改落实"]
COUNTY_UNITS = [
    "县委办公室", "县政府办公室", "县委宣传部", "县委组织部", "县纪委监委", "县发展和改革局",
    "县工业和信息化局", "县财政局", "县自然资源局", "县生态环境局", "县住房和城乡建设局",
    "县城市管理和综合执法局", "县交通运输局", "县水利局", "县农业农村局", "县林业局",
    "县商务局", "县文化旅游广电局", "县卫生健康局", "县应急管理局", "县市场监督管理局",
    "县公安局", "县司法局", "县统计局", "县审计局", "县畜牧水产事务中心", "县经济开发区管委会",
    "城关镇人民政府", "河口镇人民政府", "青山镇人民政府", "白沙镇人民政府", "龙潭街道办事处",
]
LEAD_OFFICIALS = ["县委书记", "县长", "县委副书记", "常务副县长", "分管副县长", "县委常委、宣传部部长",
                  "县委常委、组织部部长", "县委常委、县纪委书记", "县人大常委会副主任", "县政协副主席",
                  "县政府副县长（分管生态环境）", "县政府副县长（分管农业农村）"]
DEADLINES = ["2024年6月底前", "2024年12月底前", "2025年6月底前", "2025年底前", "2025年9月30日前",
             "2026年6月底前", "2026年底前", "2024年上半年", "2025年第三季度", "长期坚持",
             "立行立改，长期坚持", "2025年6月底前完成主体工程，2026年底前全面完成", "持续推进"]
STATUSES = [("未启动", 10), ("整改中", 45), ("已完成", 25), ("销号中", 8), ("已销号", 12)]

DESCRIPTION_SENTENCES = [
    "督察发现，{town}{facility}{issue}，{consequence}。",
    "{town}{company}{issue}，{year}年以来被群众投诉{n}次，{consequence}。",
    "截至督察时，全县仍有{n}个{facility}{issue}。",
    "{river}流域{town}段{issue}，{year}年监测断面水质为劣Ⅴ类，{consequence}。",
    "{attitude}，{town}{facility}问题久拖不决。",
    "现场检查发现，{company}厂区内{n}吨一般工业固体废物露天堆放，{consequence}。",
    "{town}日均约{n}吨生活污水未经有效处理直排{river}，{consequence}。",
    "{year}年中央生态环境保护督察交办的{n}件信访件中，涉及{facility}的问题仍有反弹。",
    "{river}沿岸{n}处{facility}{issue}，岸线生态修复面积不足{pct}%。",
    "{attitude}，对{facility}{issue}的问题视而不见，整改标准不高、进度滞后。",
    "全县城市生活污水集中收集率仅为{pct}%，{facility}{issue}。",
    "{town}在{facility}周边违规建设{n}栋厂房，占用生态保护红线约{n}亩。",
]
GOAL_SENTENCES = [
    "{facility}问题全面整改到位，{river}水质稳定达到Ⅲ类标准。",
    "建立健全长效监管机制，确保问题不反弹。",
    "城市生活污水集中收集率提高到{pct}%以上，污水处理厂进水浓度明显提升。",
    "违法违规问题依法查处到位，生态环境得到有效修复。",
    "“党政同责、一岗双责”工作格局有效形成，生态环境保护责任全面压实。",
    "{town}{facility}按要求完成提标改造，稳定达标排放。",
    "历史遗留问题全部清零，环境风险得到有效管控。",
    "群众反映的突出生态环境问题得到有效解决，群众满意度明显提升。",
]
MEASURE_SENTENCES = [
    "由{unit}牵头，对{town}{facility}开展全面排查，建立问题清单、责任清单和整改清单，逐项销号。",
    "加快推进{facility}配套管网建设，{year}年底前新建和改造管网{n}公里，实施雨污分流改造。",
    "依法对{company}的违法行为立案查处，责令限期整改，整改不到位的依法关停。",
    "组织开展{river}流域入河排污口排查整治，完成{n}个排污口的监测、溯源和整治。",
    "将习近平生态文明思想纳入县委理论学习中心组学习重点内容，每年至少开展{n}次专题学习。",
    "制定{facility}长效运维管理办法，落实运维经费，安装在线监测设备并与生态环境部门联网。",
    "对{town}范围内的{facility}实行挂图作战，每月调度一次进展，对进度滞后的单位进行约谈。",
    "完成{n}亩废弃矿山生态修复，因地制宜实施复绿、复垦。",
    "建立部门联合执法机制，每季度开展一次专项执法检查，严厉打击偷排漏排行为。",
    "将整改工作纳入年度绩效考核，对整改不力、敷衍整改的单位和个人严肃追责问责。",
]
COMPLETIONS = [
    "已完成{facility}整改，经第三方监测连续{n}个月稳定达标。",
    "截至目前，{n}项整改措施已完成{pct}%，正在按时序推进。",
    "各项整改措施均已完成，已报请县督察整改办组织验收。",
    "已立案查处{n}起，罚款{n}万元，责任人已被约谈。",
]
REMARKS = ["", "", "", "已纳入省级督办", "公示时间：{year}年{month}月{day}日至{year}年{month}月{day2}日",
           "涉及信访件{n}件", "整改时限已申请延期"]


class _Text:
    """Sentences from the vocabulary above, with random.Random(seed) choosing the blanks."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, template: str) -> str:
        r = self.rng
        month = r.randint(1, 12)
        return template.format(
            town=r.choice(TOWNS), river=r.choice(RIVERS), facility=r.choice(FACILITIES),
            company=r.choice(COMPANIES), issue=r.choice(ISSUES), consequence=r.choice(CONSEQUENCES),
            attitude=r.choice(ATTITUDES), unit=r.choice(COUNTY_UNITS), n=r.randint(2, 380),
            pct=r.randint(35, 98), year=r.randint(2016, 2024), month=month, day=r.randint(1, 15),
            day2=r.randint(16, 28))

    def paragraph(self, sentences: list[str], low: int, high: int) -> str:
        """Whole sentences until the length drawn between low and high is reached."""
        target = self.rng.randint(low, high)
        text = ""
        while len(text) < target:
            sentence = self.fill(self.rng.choice(sentences))
            if len(text) + len(sentence) > high and len(text) >= low:
                break
            text += sentence
        return text[:high]

    def units(self, low: int, high: int) -> str:
        return "、".join(self.rng.sample(COUNTY_UNITS, self.rng.randint(low, high)))

    def problem(self, number: int) -> dict:
        r = self.rng
        status = r.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        finished = status in ("已完成", "销号中", "已销号")
        return {
            "code": f"问题{number}" if r.random() < 0.5 else "",
            "description": self.paragraph(DESCRIPTION_SENTENCES, 80, 400),
            "goal": self.paragraph(GOAL_SENTENCES, 20, 120),
            "lead_official": r.choice(LEAD_OFFICIALS),
            "lead_unit": self.units(1, 3),
            "support_units": self.units(0, 4),
            "deadline_text": r.choice(DEADLINES),
            "status": status,
            "completion": (self.fill(r.choice(COMPLETIONS)) if finished or r.random() < 0.3 else ""),
            "remarks": self.fill(r.choice(REMARKS)),
            "measures": [{"text": self.paragraph(MEASURE_SENTENCES, 40, 200),
                          "completion": self.fill(r.choice(COMPLETIONS)) if finished else ""}
                         for _ in range(r.randint(1, 5))],
        }


def split_problems(problems: int, inspections: int) -> list[int]:
    """The first inspection gets BIGGEST_SHARE; the rest share what is left, 4:3:2:1…"""
    biggest = round(problems * BIGGEST_SHARE) if inspections > 1 else problems
    weights = list(range(inspections - 1, 0, -1))
    rest, left = [], problems - biggest
    for i, weight in enumerate(weights):
        share = left if i == len(weights) - 1 else round(left * weight / sum(weights[i:]))
        rest.append(share)
        left -= share
    return [biggest, *rest]


def generate(path, problems: int = 10_000, seed: int = 1, inspections: int = 5,
             reports: int | None = None, evidence: int | None = None) -> Path:
    """Create the ledger file at path (which must not exist) with that many problems, and
    reports and evidence records (default: 5 and 2 per problem)."""
    rng = random.Random(seed)
    text = _Text(rng)
    ledger = Ledger.create(Path(path))
    try:
        with ledger.writing():
            ledger.set_title(f"基准测试台账（{problems}项问题，随机种子{seed}）")
            for (name, kind, date, org), count in zip(INSPECTIONS, split_problems(problems, inspections)):
                inspection_id = ledger.add_inspection(name, kind, date, org, "基准测试生成的数据")
                _fill_inspection(ledger, text, inspection_id, count)
    finally:
        ledger.close()
    add_history(Path(path), REPORTS_PER_PROBLEM * problems if reports is None else reports,
                EVIDENCE_PER_PROBLEM * problems if evidence is None else evidence, seed)
    return Path(path)


def _fill_inspection(ledger: Ledger, text: _Text, inspection_id: int, count: int) -> None:
    rng = text.rng
    titles = rng.sample(list(CATEGORIES), 8)
    owners = []  # every category and subcategory problems may go into
    for title in titles:
        category_id = ledger.add_category(inspection_id, title)
        subs = CATEGORIES[title]
        chosen = rng.sample(subs, rng.randint(0, len(subs))) if subs else []
        if not chosen or rng.random() < 0.5:  # some problems directly under the category
            owners.append(category_id)
        owners += [ledger.add_category(inspection_id, sub, parent_id=category_id) for sub in chosen]
    weights = [rng.uniform(0.3, 2.0) for _ in owners]  # uneven, as real ledgers are
    for number in range(1, count + 1):
        owner = rng.choices(owners, weights)[0]
        ledger.add_problem(owner, **text.problem(number))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="生成基准测试用的大台账")
    parser.add_argument("out", type=Path, help="新台账文件（不能已经存在）")
    parser.add_argument("--problems", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inspections", type=int, default=5, choices=range(1, len(INSPECTIONS) + 1))
    parser.add_argument("--reports", type=int, help=f"进展条数（默认每项问题 {REPORTS_PER_PROBLEM} 条）")
    parser.add_argument("--evidence", type=int, help=f"佐证材料条数（默认每项问题 {EVIDENCE_PER_PROBLEM} 个）")
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} already exists")
    start = time.perf_counter()
    generate(args.out, args.problems, args.seed, args.inspections, args.reports, args.evidence)
    seconds = time.perf_counter() - start
    size = args.out.stat().st_size / 2**20
    print(f"generated {args.problems} problems with their reports and evidence in {seconds:.1f} s"
          f" → {args.out} ({size:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
