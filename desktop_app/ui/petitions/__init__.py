"""信访件登记: the register of handed-down complaints."""
