"""Naive twins of the kernels and frozen peer outputs."""
