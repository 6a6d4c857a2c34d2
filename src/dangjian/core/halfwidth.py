"""Full-width characters typed with a Chinese input method (１２３, ＡＢＣ, ．－／, the
ideographic space) made plain, for cells that hold numbers and codes: ID numbers, phone
numbers, organisation codes, dates. Never for names: 内科（一）党支部 keeps its brackets."""

_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20  # the ideographic space


def halfwidth(text: str) -> str:
    return text.translate(_FULL_TO_HALF)
