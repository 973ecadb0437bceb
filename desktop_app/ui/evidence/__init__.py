"""佐证材料 in the window: the panel, attaching, previews, thumbnails, the check, export and recycle bin."""
