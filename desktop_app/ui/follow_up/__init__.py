"""What follows 销号 in the window: 回头看 rechecks, links, 督办 and the 责任追究 register."""
