"""Detectors: one module per family. Each yields findings for a document and prints nothing."""
