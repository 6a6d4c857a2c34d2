"""The demo data: fictitious hospitals named after the seed articles' hospitals (with a
"示例" prefix) under the guidance committee `DEMO`, built to reproduce the figures the
seeds quote (`FIGURES`), loaded through the roster importer, plus one account per role
(`DEMO_ACCOUNTS`, password `DEMO_PASSWORD`, demo only).

    from dangjian.demo.loader import load_demo
    result = load_demo()   # `dangjian load-demo` does this once
"""
