"""The Chinese name a clerk sees for each stored table, field and audited action (GLOSSARY)."""

ENTITIES = {
    "ledger": "台账",
    "inspection": "督察批次",
    "category": "类别",
    "problem": "反馈问题",
    "measure": "整改措施",
    "progress_report": "调度进展",
    "deadline_change": "时限调整",
    "signoff": "销号",
    "signoff_event": "销号经过",
    "holiday": "节假日",
}

TABLES = {
    "meta": "台账信息",
    "inspections": "督察批次",
    "categories": "类别",
    "problems": "反馈问题",
    "measures": "整改措施",
    "progress_reports": "调度进展",
    "deadline_changes": "时限调整",
    "evidence": "佐证材料",
    "signoffs": "销号",
    "signoff_events": "销号经过",
    "petitions": "信访件",
    "accountability": "责任追究",
    "holidays": "节假日",
    "audit_log": "修改记录",
}

# (entity, field) first, then field alone: "completion" is 整改落实情况 on a problem, 完成情况 on a measure.
FIELDS = {
    ("ledger", "title"): "台账名称",
    ("inspection", "name"): "督察名称",
    ("inspection", "kind"): "督察类型",
    ("inspection", "feedback_date"): "反馈日期",
    ("inspection", "org"): "单位",
    ("category", "title"): "类别名称",
    ("category", "parent_id"): "所属大类",
    ("problem", "code"): "问题编号",
    ("problem", "description"): "反馈问题",
    ("problem", "goal"): "整改目标",
    ("problem", "lead_official"): "责任领导",
    ("problem", "lead_unit"): "责任单位",
    ("problem", "support_units"): "配合单位",
    ("problem", "deadline_text"): "整改时限",
    ("problem", "term"): "整改类型",
    ("problem", "status"): "整改状态",
    ("problem", "completion"): "整改落实情况",
    ("problem", "start_date"): "开始日期",
    ("problem", "category_id"): "所属类别",
    ("measure", "text"): "整改措施",
    ("measure", "completion"): "完成情况",
    ("measure", "problem_id"): "所属问题",
    ("progress_report", "report_date"): "进展日期",
    ("progress_report", "text"): "进展情况",
    ("progress_report", "reporter"): "报送人",
    ("progress_report", "status"): "当时的整改状态",
    ("deadline_change", "changed_on"): "调整日期",
    ("deadline_change", "old_text"): "原整改时限",
    ("deadline_change", "new_text"): "新整改时限",
    ("deadline_change", "reason"): "调整理由",
    ("signoff", "stage"): "销号阶段",
    ("signoff", "applied_on"): "申请日期",
    ("signoff", "accepted_on"): "验收日期",
    ("signoff", "checklist"): "验收清单",
    ("signoff", "publicity_start"): "公示开始",
    ("signoff", "publicity_end"): "公示结束",
    ("signoff", "publicity_working_days"): "公示工作日数",
    ("signoff", "office"): "受理单位",
    ("signoff", "contact"): "联系人",
    ("signoff", "phone"): "联系电话",
    ("signoff", "fax"): "传真",
    ("signoff", "address"): "地址",
    ("signoff", "issuer"): "发布单位",
    ("signoff", "notice_text"): "公示内容",
    ("signoff", "signed_off_on"): "销号日期",
    "notes": "备注",
    "remarks": "备注",
    "position": "顺序",
    "backup": "备份文件",
}

ACTIONS = {
    "create": "新增",
    "update": "修改",
    "move": "移动",
    "delete": "删除",
    "restore": "恢复",
}


def field_label(entity: str, field: str | None) -> str:
    if not field:
        return ""
    return FIELDS.get((entity, field)) or FIELDS.get(field) or field
