"""The task ledger (清单式分解 · 台账式推进 · 销号式落实): a yearly target list per
organisation split into areas and tasks, a dated progress ledger with evidence, and
close-out (销号) with review."""
