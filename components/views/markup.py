"""Text from data files and links made inert for Streamlit's Markdown (pure: no streamlit).

Everything a data file or a URL says is shown through ``plain`` (or a text/code element):
Streamlit renders captions, headings, expander labels, tables' cells (``markdown_table``, and
``st.table`` too) as Markdown.
"""

from __future__ import annotations

import re

import pandas as pd

# NOTE: the characters that can open markdown, HTML, a Streamlit directive (:red[...]) or an
# icon shortcode (:material/x:), or a link ([text](url)).
MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#|:~$&!")

# NOTE: the app's markdown turns bare "https://x.y", "www.x.y" and "a@x.y" into links even when
# their punctuation is escaped; an invisible word joiner inside "://", "www." and before "@"
# leaves nothing to link.
AUTOLINK = re.compile(r"://|www\.|@", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """``text`` made inert for st.markdown and friends: each character that could start markup
    is backslash-escaped (CommonMark), control characters are replaced, and line breaks become
    spaces, so no link, emphasis, HTML, colour directive or icon shortcode is ever interpreted."""
    text = AUTOLINK.sub(lambda m: WORD_JOINER + WORD_JOINER.join(m.group(0)), str(text))
    return text.translate(_INERT_CHARS)


# NOTE: one table, applied in one pass (str.translate): specials escaped, line breaks and tabs
# to spaces, other C0/C1 control characters to U+FFFD
_INERT_CHARS = ({ord(ch): "\\" + ch for ch in MARKDOWN_SPECIALS}
                | {code: "\ufffd" for code in [*range(32), *range(0x7F, 0xA0)]}
                | {ord(ch): " " for ch in "\r\n\t"})


INERT = "inert"  # NOTE: DataFrame.attrs flag: every text cell already went through plain()


def inert_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for ``st.table`` (which renders each cell as Markdown): every text cell
    through ``plain``; numbers, booleans and missing cells unchanged. Flagged ``attrs[INERT]``."""
    safe = frame.copy()
    for col in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[col]) or pd.api.types.is_bool_dtype(safe[col])):
            safe[col] = [None if _missing(v) else plain(v) for v in safe[col]]
    safe.attrs[INERT] = True
    return safe


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown (GFM) table without its index: st.markdown draws it as a real HTML
    <table> that screen readers walk, without the data-table scripts st.table loads (a megabyte
    of JavaScript on a first visit). Cells go through ``inert_table`` unless they already did;
    ``plain`` escapes the '|' that would split a cell, and turns line breaks into spaces."""
    if not len(frame.columns):
        return ""
    safe = frame if frame.attrs.get(INERT) else inert_table(frame)
    lines = ["| " + " | ".join(plain(c) for c in safe.columns) + " |", "|" + " --- |" * len(safe.columns)]
    for row in safe.itertuples(index=False):
        lines.append("| " + " | ".join("" if _missing(v) else str(v) for v in row) + " |")
    return "\n".join(lines)
