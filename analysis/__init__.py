"""Analysis of model output: summaries, comparisons, sensitivity sweeps, validation."""
