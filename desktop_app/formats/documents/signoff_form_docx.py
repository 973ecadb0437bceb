"""The 销号审批表 as a Word document: the same SignoffForm the printed form shows, as tables."""

from collections.abc import Iterable
from pathlib import Path

from ...domain.signoff_form import FULL_TEXT_NOTE, SignoffForm, abridged
from . import gongwen_docx as gw

LABEL_MM, NUMBER_MM, AREA_MM = 30.0, 14.0, 156.0
FORM_PT = 12.0  # 小四: a form's cells, as the printed one
# Past this many characters of measures and completions the form would run over its page: they
# are cut to their first sentences, as on the printed form (the notice carries them in full).
ONE_PAGE_CHARS = 600
SIGNATURE = "\n\n\n（签字、盖章）\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"


def write_forms(forms: SignoffForm | Iterable[SignoffForm], path: Path) -> Path:
    """One form a page (numbered from 1 each), in one .docx."""
    forms = [forms] if isinstance(forms, SignoffForm) else list(forms)
    return gw.write_each(forms, _form, path)


def _form(document, form: SignoffForm) -> None:
    if sum(len(m) + len(c or "") for m, c in form.measures) > ONE_PAGE_CHARS:
        form = abridged(form)
    gw.add_title(document, form.title)
    two = [LABEL_MM, AREA_MM - LABEL_MM]
    gw.add_table(document, None, [list(fact) for fact in form.facts], two, FORM_PT, labels=True)
    note = FULL_TEXT_NOTE if form.abridged else ""
    half = (AREA_MM - NUMBER_MM) / 2
    gw.add_table(document, ["序号", "整改措施" + note, "完成情况" + note],
                 [[str(n), text, completion or "（未填写）"]
                  for n, (text, completion) in enumerate(form.measures, 1)],
                 [NUMBER_MM, half, half], FORM_PT)
    checklist = "\u3000\u3000".join(("☑ " if i.checked else "☐ ") + i.item for i in form.checklist)
    evidence = "\n".join(f"{n}. {line}" for n, line in enumerate(form.evidence, 1))
    gw.add_table(document, None,
                 [["验收标准", checklist or "（无）"], ["佐证材料", evidence or "（无）"],
                  *([label, SIGNATURE] for label in form.signatures)],
                 two, FORM_PT, labels=True)


__all__ = ["write_forms"]
