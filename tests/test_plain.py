"""plain(): text from data files and links stays text, including bare web addresses."""

from __future__ import annotations

from components.widgets import plain


def test_bare_addresses_leave_nothing_to_autolink():
    for text in ("https://evil.example", "see www.evil.example", "mail a@evil.example"):
        out = plain(text).replace("\\", "")
        assert "://" not in out and "www." not in out and "a@" not in out
        assert out.replace("\u2060", "") == text  # still reads the same


def test_ordinary_text_is_unchanged_apart_from_escapes():
    assert plain("Pakistan 2.7 %").replace("\\", "") == "Pakistan 2.7 %"
