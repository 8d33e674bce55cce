"""Chart images (pure, no streamlit): a view's figure as a PNG or SVG file at a slide preset,
with its title and description inside the SVG. May import components.views and forcedata."""

from __future__ import annotations

import re
import threading
from xml.sax.saxutils import escape as xml_escape

import plotly.graph_objects as go

from components.views.layout import PRESETS, layout_for_export

FORMATS = ("png", "svg")

# NOTE: one kaleido (Chromium) server per process, started on the first export: later exports
# take ~0.2 s instead of ~2 s. kaleido's sync server is not safe for concurrent calls (one
# shared return queue), so exports from different Streamlit sessions take turns.
_KALEIDO_LOCK = threading.Lock()


def export_image(fig: go.Figure, fmt: str = "png", preset: str = "16:9") -> bytes:
    """The figure as a PNG or SVG file at a slide preset, laid out for that canvas.

    Args:
        fig: a ``fig_family`` figure.
        fmt: "png" or "svg".
        preset: a key of ``PRESETS``.

    Returns:
        The file's bytes.
    """
    import kaleido  # NOTE: here, not at the top: the app imports this module, and most visits draw no file

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    width, height, scale = PRESETS[preset]
    out = layout_for_export(fig, width, height)
    # NOTE: an SVG is vector: it keeps the preset's own size (scale 1), a PNG is drawn at 2x.
    opts = dict(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    with _KALEIDO_LOCK:
        kaleido.start_sync_server(silence_warnings=True)  # no-op once running
        data = kaleido.calc_fig_sync(out, opts=opts)
    if fmt == "svg":
        meta = fig.layout.meta or {}
        data = svg_with_text(data, title=meta.get("title", ""), description=meta.get("description", ""))
    return data


def svg_with_text(svg: bytes, *, title: str, description: str) -> bytes:
    """The SVG with ``<title>`` and ``<desc>`` as the first children of its root element (what a
    screen reader or an image's tooltip reads), XML-escaped; it is labelled as one image."""
    root = re.search(rb"<svg\b[^>]*?(/?)>", svg)
    if root is None or root.group(1):
        return svg
    text = f"<title>{_xml_text(title)}</title><desc>{_xml_text(description)}</desc>".encode("utf-8")
    head = svg[: root.end() - 1]
    if b" role=" not in head:
        head += b' role="img"'
    return head + b">" + text + svg[root.end():]


def _xml_text(text: object) -> str:
    """Text safe inside an XML element: &, < and > escaped, characters XML 1.0 forbids dropped."""
    clean = "".join(ch for ch in str(text or "") if ch in "\t\n\r" or ord(ch) >= 0x20)
    return xml_escape(clean)


