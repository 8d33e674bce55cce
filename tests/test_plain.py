"""plain(): text from data files and links stays text, including bare web addresses."""

from __future__ import annotations

from components.ui.widgets import plain
from tests.conftest import markdown_tables


def test_bare_addresses_leave_nothing_to_autolink():
    for text in ("https://evil.example", "see www.evil.example", "mail a@evil.example"):
        out = plain(text).replace("\\", "")
        assert "://" not in out and "www." not in out and "a@" not in out
        assert out.replace("\u2060", "") == text  # still reads the same


def test_ordinary_text_is_unchanged_apart_from_escapes():
    assert plain("Pakistan 2.7 %").replace("\\", "") == "Pakistan 2.7 %"


def test_a_table_cell_from_a_data_file_is_text(tmp_path):
    """Table cells are Markdown: render_table sends every text cell through plain()."""
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd

        from components.ui.widgets import render_table

        render_table(pd.DataFrame({"Entity": ["[x](https://evil.example)", None], "Value": [1.5, 2.0],
                                   "Note": ["a | b\nc", "> 6"]}))

    at = AppTest.from_function(page).run()
    assert not at.exception
    [table] = markdown_tables(at)
    assert list(table.columns) == ["Entity", "Value", "Note"]
    assert table["Entity"].tolist() == [plain("[x](https://evil.example)"), ""]
    assert table["Value"].tolist() == ["1.5", "2.0"]
    assert table["Note"].tolist() == ["a \\| b c", "\\> 6"]  # no cell split, no line break, no quote block
