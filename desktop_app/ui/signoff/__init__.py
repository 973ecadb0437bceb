"""销号 of one problem: the dialog and its stages, the 公示期, the editor's 销号 line and the 审批表 print."""
