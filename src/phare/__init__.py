"""Phare: the workbench of an IT department's marketing & communication lead."""

__version__ = "0.1.0"
