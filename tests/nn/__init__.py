"""Tests of neuronlab.nn (a package, so the harness imports as .harness)."""
