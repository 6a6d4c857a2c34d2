"""`dangjian gen-data`: a deterministic synthetic city shaped like seed 002 (87 hospitals,
2,066 branches, 24,411 members) with years of meetings, attendance, development
milestones, dues, tasks and 三重一大 decisions, written in bulk (SPEC.md §4).

The same seed, hospital count, years and day give the same data; the encrypted ID-card
and phone numbers differ byte for byte only because each value gets its own nonce.
"""
