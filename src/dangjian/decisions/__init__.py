"""The 三重一大 register: major matters by category, the consultations and opinions
gathered for them, the Party committee and president's office meetings that discuss and
decide them, attendance, the vote and the follow-up (RULES.md §5)."""
