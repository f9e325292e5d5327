"""The browser app (Solara): explore, compare, sensitivity, lesson, report."""
