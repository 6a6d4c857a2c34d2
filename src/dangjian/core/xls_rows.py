"""The hidden rows of an old Excel workbook (.xls, BIFF8), which calamine does not report:
the sheets' ROW records carry a "zero height" flag for a row hidden by hand or by an
AutoFilter. The file is a compound document (MS-CFB); only what finding those records
needs is read here. A file this cannot follow raises NotFollowed (calamine has read it
already, so it is rarely so); the reader then reports no hidden rows for it.

    hidden_rows(data)  # {"人员": {3, 4}, "党组织": set()}
"""

import struct

_END = 0xFFFFFFFE
_BOUNDSHEET, _BOF, _EOF, _ROW = 0x0085, 0x0809, 0x000A, 0x0208
_HIDDEN = 0x20  # fDyZero in the ROW record's flags


class NotFollowed(ValueError):
    pass


def hidden_rows(data: bytes) -> dict[str, set[int]]:
    """Sheet name → the numbers (from 1) of its hidden rows."""
    stream = _workbook_stream(data)
    sheets = {}
    for kind, body in _records(stream, 0):
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset = struct.unpack_from("<I", body)[0]
            sheets[_short_string(body, 6)] = offset
        elif kind == _EOF:
            break
    result = {}
    for name, offset in sheets.items():
        rows = set()
        for kind, body in _records(stream, offset):
            if kind == _ROW and len(body) >= 16 and body[12] & _HIDDEN:
                rows.add(struct.unpack_from("<H", body)[0] + 1)
            elif kind == _EOF:
                break
        result[name] = rows
    return result


def _records(stream: bytes, offset: int):
    while offset + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4 : offset + 4 + size]
        offset += 4 + size


def _short_string(body: bytes, at: int) -> str:
    count, wide = body[at], body[at + 1] & 1
    raw = body[at + 2 : at + 2 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1")


def _workbook_stream(data: bytes) -> bytes:
    if len(data) < 512 or not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise NotFollowed("not a compound document")
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_sector = 1 << struct.unpack_from("<H", data, 0x20)[0]
    (fat_count, directory_start, _, cutoff, mini_fat_start, _, difat_start, difat_count) = (
        struct.unpack_from("<8I", data, 0x2C)
    )

    def read_sector(number: int) -> bytes:
        start = (number + 1) * sector
        if number >= _END or start >= len(data):
            raise NotFollowed("sector out of the file")
        return data[start : start + sector]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    for _ in range(difat_count):
        if difat_start >= _END:
            break
        block = read_sector(difat_start)
        entries = struct.unpack(f"<{sector // 4}I", block)
        fat_sectors += entries[:-1]
        difat_start = entries[-1]
    fat = []
    for number in fat_sectors[:fat_count]:
        fat += struct.unpack(f"<{sector // 4}I", read_sector(number))

    def chain(start: int, table: list[int], read) -> bytes:
        parts, seen = [], 0
        while start < _END:
            if start >= len(table) or seen > len(table):
                raise NotFollowed("broken chain")
            parts.append(read(start))
            start, seen = table[start], seen + 1
        return b"".join(parts)

    directory = chain(directory_start, fat, read_sector)
    entries = {}
    for at in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, at + 0x40)[0]
        name = directory[at : at + max(length - 2, 0)].decode("utf-16-le", errors="replace")
        start, size = struct.unpack_from("<II", directory, at + 0x74)
        entries.setdefault(name, (start, size))
    found = entries.get("Workbook") or entries.get("Book")
    if found is None or "Root Entry" not in entries:
        raise NotFollowed("no workbook stream")
    start, size = found
    if size >= cutoff:
        return chain(start, fat, read_sector)[:size]
    mini_stream = chain(entries["Root Entry"][0], fat, read_sector)
    mini_fat_bytes = chain(mini_fat_start, fat, read_sector) if mini_fat_start < _END else b""
    mini_fat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))

    def read_mini(number: int) -> bytes:
        return mini_stream[number * mini_sector : (number + 1) * mini_sector]

    return chain(start, mini_fat, read_mini)[:size]
