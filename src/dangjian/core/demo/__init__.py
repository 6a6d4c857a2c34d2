"""The demo data: fictitious hospitals named after the seed articles' hospitals (with a
"示例" prefix) under the guidance committee `DEMO`, built to reproduce the figures the
seeds quote (`FIGURES`), loaded through the roster importer, plus one account per role
(`DEMO_ACCOUNTS`, password `DEMO_PASSWORD`, demo only).

    from dangjian.core.demo import load_demo
    result = load_demo()   # `dangjian load-demo` does this once
"""

from .accounts import DEMO_ACCOUNTS, DEMO_ACCOUNTS_MARKDOWN, DEMO_PASSWORD, accounts_text
from .figures import FIGURES, GUIDANCE, HOSPITALS, SeedFigure, demo_periods
from .loader import DemoError, DemoResult, build_rosters, demo_loaded, load_demo
from .workbook import build_workbook

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_ACCOUNTS_MARKDOWN",
    "DEMO_PASSWORD",
    "FIGURES",
    "GUIDANCE",
    "HOSPITALS",
    "DemoError",
    "DemoResult",
    "SeedFigure",
    "accounts_text",
    "build_rosters",
    "build_workbook",
    "demo_loaded",
    "demo_periods",
    "load_demo",
]
