"""填报表 (form): the workbook sent to one 责任单位, and reading it back when it returns."""
