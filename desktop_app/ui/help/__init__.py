"""帮助: the 使用说明 window and the 关于 box."""
