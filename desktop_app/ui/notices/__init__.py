"""整改销号公示 from the window: editing a notice and printing it after GB/T 9704."""
