"""``phare.analysis`` stays a pure library that analysts import from a notebook."""

from __future__ import annotations

import subprocess
import sys


def test_it_imports_without_django():
    code = ("import sys, phare.analysis; "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
            "print(loaded); sys.exit(1 if loaded else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_exports_the_documented_names():
    import phare.analysis as analysis

    for name in ("nps", "csat", "ces", "mean_score", "compare", "breakdown",
                 "importance_performance", "key_drivers", "themes", "correspondence",
                 "segments", "select_portfolio", "AnalysisError"):
        assert callable(getattr(analysis, name)), name
    assert issubclass(analysis.AnalysisError, ValueError)
