"""Pinyin keys for Chinese names: full pinyin ("zhangwei") for sorting and searching, initials ("zw")
for quick search. Stored on the row so that SQLite and PostgreSQL sort the same way."""

from pypinyin import Style, lazy_pinyin


def full_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name or "", errors="default")).lower().replace(" ", "")


def initials(name: str) -> str:
    return "".join(p[:1] for p in lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")).lower()


def sort_key(name: str) -> str:
    """Per-character pinyin separated by spaces, so 李 (li) sorts before 李明 and 黎 by syllable."""
    return " ".join(lazy_pinyin(name or "", errors="default")).lower()
