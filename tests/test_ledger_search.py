"""The search box stays exact: every 1-, 2- and 3-character query gives what a plain scan gives,
in the tree and in the flat list a big inspection shows its hits in."""

import itertools
import random

import pytest

from desktop_app.store import progress
from desktop_app.store.ledger import Ledger
from desktop_app.ui.ledger import view as ledger_view
from desktop_app.ui.ledger.model import LedgerTreeModel
from window_helpers import visible_rows

# A small alphabet, so that every query of up to three of its characters can be tried (258 of
# them) and most match something; K/k checks that case does not matter. Category titles use
# other characters: only the problems' own text decides (a matching title shows all its
# problems, tests/test_window.py).
ALPHABET = "污水处理长K"
TYPED_FIELDS = ("code", "description", "goal", "lead_official", "lead_unit", "support_units",
                "completion", "remarks")
SEARCHED_FIELDS = (*TYPED_FIELDS, "deadline_text", "term", "status")  # the box's promise
DEADLINES = ("2025年6月底前", "长期坚持", "立行立改", "")
STATUSES = ("未启动", "整改中", "已完成")


def text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET + "k ") for _ in range(rng.randint(0, 12)))


@pytest.fixture
def generated(tmp_path):
    """A ledger of 300 random problems with measures and dated progress reports."""
    rng = random.Random(19)
    ledger = Ledger.create(tmp_path / "generated.db")
    inspection = ledger.add_inspection("生成的督察")
    categories = [ledger.add_category(inspection, f"第{n}大类") for n in range(3)]
    categories.append(ledger.add_category(inspection, "小类", categories[0]))
    items = []
    for _ in range(300):
        fields = {name: text(rng) for name in TYPED_FIELDS}
        fields.update(deadline_text=rng.choice(DEADLINES), status=rng.choice(STATUSES),
                      measures=[{"text": text(rng), "completion": text(rng)}
                                for _ in range(rng.randint(0, 3))])
        items.append((rng.choice(categories), fields))
    for problem_id in ledger.add_problems(items):
        for day in rng.sample(range(1, 28), rng.randint(0, 2)):
            progress.add_report(ledger, problem_id, f"2025-03-{day:02d}", text(rng) + "报")
    yield ledger, inspection
    ledger.close()


def scan_texts(ledger: Ledger, inspection: int) -> tuple[list[int], dict[int, list[str]]]:
    """Problem ids in ledger order, and each one's searchable texts straight from SQL: its fields,
    its measures, its newest progress report (older ones are history, not searched)."""
    texts = {}
    for row in ledger.db.query("SELECT p.* FROM problems p JOIN categories c ON c.id = p.category_id"
                               " WHERE c.inspection_id = ?", [inspection]):
        parts = [row[f] or "" for f in SEARCHED_FIELDS]
        parts += [v for m in ledger.measures(row["id"]) for v in (m["text"], m["completion"])]
        newest = ledger.db.execute("SELECT text FROM progress_reports WHERE problem_id = ?"
                                   " ORDER BY report_date DESC, id DESC LIMIT 1", [row["id"]]).fetchone()
        texts[row["id"]] = [part.casefold() for part in parts + ([newest[0]] if newest else [])]
    return [p.id for p in ledger.tree(inspection).problems], texts


def plain_scan(scanned, query: str) -> list[int]:
    order, texts = scanned
    words = query.casefold().split()
    return [pid for pid in order if all(any(w in part for part in texts[pid]) for w in words)]


def queries() -> list[str]:
    """Every query of one, two and three characters of the alphabet, sorted: typing order that
    narrows (污, 污污, 污污污, 污污K …) and widens again (… 污K, 水), as typing and deleting do."""
    return sorted("".join(chars) for n in (1, 2, 3) for chars in itertools.product(ALPHABET, repeat=n))


def test_every_short_query_matches_the_plain_scan(generated):
    ledger, inspection = generated
    scanned = scan_texts(ledger, inspection)
    model = LedgerTreeModel()
    model.set_tree(ledger.tree(inspection), progress.latest_reports(ledger, inspection))
    sizes = set()
    for query in queries() + ["处理 k", "K污 长", "水"]:  # several words: each must be there
        expected = plain_scan(scanned, query)
        shown, _categories = model.matching(query, None, None)
        assert [pid for pid, _item in model.problem_items(shown)] == expected, query
        sizes.add(len(expected))
    assert len(sizes) > 20  # the queries range from no problem to most of them


def test_an_edit_is_found_by_the_next_query(generated):
    """The index follows update_problem (a narrowed query must not reuse stale hits)."""
    ledger, inspection = generated
    model = LedgerTreeModel()
    model.set_tree(ledger.tree(inspection), progress.latest_reports(ledger, inspection))
    assert model.matching("理", None, None)[0]  # remembered as the last query
    first = ledger.tree(inspection).problems[0].id
    ledger.update("problem", first, description="麒麟")
    model.update_problem(ledger.problem(first))
    assert model.matching("麒麟", None, None)[0] == {first}


def test_a_big_inspection_shows_hits_as_a_flat_list(qtbot, open_window, generated, monkeypatch):
    """Above FLAT_RESULTS_PROBLEMS the hits are a flat list in ledger order; clearing the box
    shows the tree again, with its categories; the status filter still applies to both."""
    ledger, inspection = generated
    path = ledger.path
    scanned = scan_texts(ledger, inspection)
    ledger.close()
    monkeypatch.setattr(ledger_view, "FLAT_RESULTS_PROBLEMS", 100)
    window = open_window(path)
    view = window.ledger_view
    numbers = {p.id: str(p.number) for p in view.model.tree.problems}
    for query in ("污水", "处理长", "K"):
        view.search.setText(query)
        assert view.flat
        rows = visible_rows(view)
        assert {kind for kind, _n, _d in rows} <= {"problem"}
        assert [n for _k, n, _d in rows] == [numbers[pid] for pid in plain_scan(scanned, query)]
        assert f"筛选出 {len(rows)} 项" in view.title.text()
    view.select("problem", plain_scan(scanned, "K")[2])
    assert view.current_key() == ("problem", plain_scan(scanned, "K")[2])
    view.search.clear()
    assert not view.flat
    assert view.current_key() == ("problem", plain_scan(scanned, "K")[2])  # still selected
    assert len([r for r in visible_rows(view) if r[0] == "problem"]) == 300
    assert any(kind == "category" for kind, _n, _d in visible_rows(view))
    view.status_filter.setCurrentIndex(view.status_filter.findData("已完成"))
    view.search.setText("长")
    done = {r["id"] for r in window.document.ledger.db.query("SELECT id FROM problems WHERE status = '已完成'")}
    assert [n for _k, n, _d in visible_rows(view)] == [
        numbers[pid] for pid in plain_scan(scanned, "长") if pid in done]
