"""Word documents in the 公文 layout (公示, 销号审批表, 月调度表, 整改落实情况报告), and the text layer of printed PDFs."""
