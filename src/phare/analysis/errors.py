"""The one error ``phare.analysis`` raises for input it cannot use."""

from __future__ import annotations


class AnalysisError(ValueError):
    """The data cannot give a meaningful result: the message says what and where."""
