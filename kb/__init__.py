"""ASEAN Return and Reintegration Knowledge Base: load, validate, render, index and search."""

__version__ = "0.1.0"
