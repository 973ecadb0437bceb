"""The ledger as a numbered tree: categories → subcategories → problems, in document order.

Document order puts a category's own problems before its subcategories, because in the
written list everything after a （一） heading belongs to that subcategory.
"""

from dataclasses import dataclass, field

from .numbering import category_label, subcategory_label, summary_text


@dataclass
class ProblemNode:
    row: dict  # the problems row, plus "measures": list of measure rows
    number: int = 0  # 1..M across the whole inspection
    parent: "CategoryNode | None" = None

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass
class CategoryNode:
    row: dict  # the categories row
    label: str = ""  # 一、 or （一）
    parent: "CategoryNode | None" = None
    problems: list[ProblemNode] = field(default_factory=list)
    children: list["CategoryNode"] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.row["id"]

    @property
    def title(self) -> str:
        return self.row["title"]

    @property
    def is_subcategory(self) -> bool:
        return self.row["parent_id"] is not None

    def all_problems(self) -> list[ProblemNode]:
        """Its own problems and those of its subcategories, in document order."""
        found = list(self.problems)
        for child in self.children:
            found.extend(child.problems)
        return found


@dataclass
class LedgerTree:
    categories: list[CategoryNode]
    problems: list[ProblemNode]  # document order; problems[i].number == i + 1

    @property
    def summary(self) -> str:
        return summary_text(len(self.categories), len(self.problems))


def build_tree(categories: list[dict], problems: list[dict]) -> LedgerTree:
    """Number the rows of one inspection: categories by position, problems 1..M in document order."""
    by_id: dict[int, CategoryNode] = {}
    top: list[CategoryNode] = []
    for row in sorted(categories, key=lambda r: (r["parent_id"] is not None, r["position"], r["id"])):
        node = CategoryNode(row)
        by_id[row["id"]] = node
        if row["parent_id"] is None:
            node.label = category_label(len(top) + 1)
            top.append(node)
        else:
            parent = by_id[row["parent_id"]]
            node.parent = parent
            node.label = subcategory_label(len(parent.children) + 1)
            parent.children.append(node)
    for row in sorted(problems, key=lambda r: (r["position"], r["id"])):
        owner = by_id[row["category_id"]]
        owner.problems.append(ProblemNode(row, parent=owner))
    ordered: list[ProblemNode] = []
    for category in top:
        ordered.extend(category.all_problems())
    for number, problem in enumerate(ordered, start=1):
        problem.number = number
    return LedgerTree(top, ordered)
