"""The Qt window, dialogs and models. The only layer that imports Qt."""
