"""生成填报表 and 回收填报表: the monthly loop with each 责任单位, from the window."""
