"""Streamlit building blocks shared by the pages (the only place, with state.py, that uses st.*)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.ui import cached
from components.exports.deck import Comparison, build_deck
from components.views.comparison import ComparisonView, FamilyView, HeadlineCard
from components.views.markup import markdown_table, plain  # noqa: F401 (plain: the pages' import)
from components.exports.image import export_image
from components.views.files import modebar_config, permalink, values_csv
from components.ui.state import version_from_url
from components.ui.url_state import shorten, url_choice, url_choices, url_value
from forcedata.display import qualifier_text, value_label
from forcedata.dataset import Dataset

MAX_ENTITIES = 6
PRESENT_KEY = "present"
# NOTE: anything inside a container whose key starts with "controls" is hidden in presentation
# mode (Streamlit gives keyed containers the class st-key-<key>).
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [class*="st-key-controls"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; }
.st-key-present_switch { opacity: 0; position: absolute; right: 0; z-index: 10; }
.st-key-present_switch:hover { opacity: 1; }
</style>"""


def render_table(frame: pd.DataFrame) -> None:
    """A plain HTML table (real rows and cells that screen readers walk), without the index.

    NOTE: drawn from Markdown (``markup.markdown_table``): every cell from a data file is inert
    (shown as written, never turned into a link or markup), and the page loads none of the data
    grid's or st.table's scripts.
    """
    st.markdown(markdown_table(frame))


def stop_if_unusable(ds: Dataset) -> None:
    """When the registry or the catalogue cannot be used (so no value could be checked and none
    is loaded): the message, naming the files relative to the data folder, and the page stops."""
    if not ds.unusable:
        return
    files = ", ".join(sorted({plain(p.file) for p in ds.unusable}))
    st.error(f"The data cannot be shown: {files} cannot be used, and every figure is checked against it. "
             "Fix the problems below (`python -m forcedata validate` lists them) and reload the page.",
             icon=":material/error:")
    st.code("\n".join(str(p) for p in ds.unusable), language=None, wrap_lines=True)
    st.stop()


def render_problems_banner(ds: Dataset) -> None:
    """A clear banner naming the bad files and their errors; the rest of the data is served
    (or, when the registry or the catalogue is unusable, the message and nothing else)."""
    stop_if_unusable(ds)
    if not ds.problems:
        return
    files = ", ".join(map(plain, ds.bad_files))
    st.error(f"{len(ds.problems)} problem(s) in {files}: the values concerned are left out and "
             "everything else is shown. Run `python -m forcedata validate` to check fixes.",
             icon=":material/error:")
    with st.expander("Data problems"):
        st.code("\n".join(str(p) for p in ds.problems), language=None, wrap_lines=True)


def entity_picker(ds: Dataset, *, key: str, param: str = "c", default: list[str]) -> list[str]:
    """Multiselect of 2-6 entities, seeded from ``?c=`` and written back to it (always: the link
    names the comparison); a link's id whose data file is broken gets its own warning."""
    names = {e: ent.header.name for e, ent in sorted(ds.entities.items(), key=lambda kv: kv[1].header.name)}

    def screen(unknown: list[str]) -> list[str]:
        broken = {u.upper() for u in unknown} & ds.broken_ids
        for entity_id in sorted(broken):
            st.warning(f"{plain(entity_id)}: its data file has errors, see the banner above; it is left out "
                       "until the file is fixed.", icon=":material/error:")
        return [u for u in unknown if u.upper() not in broken]

    return url_choices("Countries and actors to compare", names, key=key, param=param, default=default,
                       what="unknown id", keep_default=True, limit=MAX_ENTITIES, screen=screen,
                       items="countries or actors", shown_as="a comparison shows at most {limit}",
                       hint="Known ids are ISO 3166-1 alpha-3 codes such as PAK or AFG; see the Sources page "
                            "for the full list.",
                       help="Pick two to six. The link in your address bar reproduces this view.")


BASIS_PARAM, BASIS_KEY = "basis", "compare_basis"
BASIS_LABELS = {"best": "Best available per country", "one": "One source for all"}


def basis_picker() -> str:
    """'Best available per country' or 'One source for all', kept in ``?basis=`` (the default,
    best, keeps the link short)."""
    return url_choice(st.radio, "Figures", BASIS_LABELS, key=BASIS_KEY, param=BASIS_PARAM, default="best",
                      hint="Use basis=one or leave it out.", horizontal=True,
                      help="Best available: each country's best figure, like for like where one source edition "
                           "covers them all. One source for all: each chart from the one source edition that "
                           "covers most of the countries compared, so every bar is counted the same way.")


def render_headline(cards: Sequence[HeadlineCard], names: dict[str, str]) -> None:
    """Cards: 'Active personnel — 660,000 vs 172,000 — 3.8 : 1' for the headline metrics; a card
    whose figures are not like for like says so in the card and gives no ratio."""
    ids = list(names)
    for col, card in zip(st.columns(len(cards)), cards):
        with col.container(border=True):
            # NOTE: help= is rendered as Markdown too: the definition comes from metrics.yaml
            st.caption(f"{plain(card.label)} ({plain(card.unit)})", help=plain(card.definition))
            st.markdown(" vs ".join(f"**{plain(p)}**" for p in card.parts))
            if card.unlike:
                st.caption(f":material/warning: {plain(card.unlike[0].upper() + card.unlike[1:])}.")
            elif card.ratio:
                st.caption(f"{plain(names[ids[0]])} : {plain(names[ids[1]])} = {card.ratio}")
            if card.basis:
                st.caption(plain(card.basis))


def render_summary(sentences: Sequence[str]) -> None:
    """The comparison in plain language, one sentence per headline measure
    (``views.summary.headline_sentences``), as a list screen readers announce item by item."""
    if sentences:
        with st.container(key="compare_summary"):
            st.markdown("\n".join(f"- {plain(s)}" for s in sentences))  # NOTE: names and sources come from data files


def render_nuclear_badges(ds: Dataset, selected: list[str]) -> None:
    """Nuclear status as its own badge per entity: never added into anything else."""
    st.markdown(" ".join(f":{colour}-badge[{label}]" for colour, label in cached.nuclear_badges(ds, selected)))


def presentation_toggle() -> bool:
    """'Presentation mode' switch, seeded from ``?present=1``: hides the sidebar and controls so
    a plain screenshot of the page is slide-ready."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = st.query_params.get(PRESENT_KEY) == "1"
    with st.container(key="present_switch"):
        on = st.toggle("Presentation mode", key=PRESENT_KEY,
                       help="Hide the sidebar and controls for slide-ready screenshots (link: ?present=1)")
    if on:
        st.query_params[PRESENT_KEY] = "1"
        st.html(PRESENTATION_CSS)
    elif PRESENT_KEY in st.query_params:
        del st.query_params[PRESENT_KEY]
    return on


NO_PAGE_KEY = "no_page_note"


def render_no_page_note(param: str, *, on_default_page: bool) -> None:
    """Where the link named a page that does not exist (serve.py sends it to the compare page, the
    default, with ``?param=<the path>``): a short, inert notice, kept on that page's reruns until
    the reader goes to another page; the parameter is dropped from the link at once, so that it is
    not shared on."""
    raw = url_value(param)
    if raw is not None:
        del st.query_params[param]
        st.session_state[NO_PAGE_KEY] = raw
    if not on_default_page:
        st.session_state.pop(NO_PAGE_KEY, None)
    elif NO_PAGE_KEY in st.session_state:
        st.info(f"There is no page {shorten([st.session_state[NO_PAGE_KEY]], width=40)}: this is the compare page, "
                "with the rest of your link kept.", icon=":material/info:")


def render_version_note(version: str) -> None:
    """Keep ``?v=`` at the data version; a link made with other data gets a visible note."""
    key = "link_data_version"
    if key not in st.session_state:
        linked, bad = version_from_url()
        if bad is not None:
            st.caption(f"The link's data version {shorten([bad])} is not a version stamp "
                       "(10 hexadecimal characters) and was ignored.")
        st.session_state[key] = linked or version
    linked = st.session_state[key]
    if linked != version:
        st.info(f"This link was made with data version `{linked}`; the data have changed since "
                f"(now `{version}`), so some figures may differ from what was shared.",
                icon=":material/update:")
    if st.query_params.get("v") != version:
        st.query_params["v"] = version


def current_permalink() -> str:
    """The address that reproduces this view (selection and data version)."""
    params = {k: st.query_params[k] for k in ("c", "v", BASIS_PARAM) if k in st.query_params}
    return permalink(st.context.url or "", params)


def render_chart(fig: go.Figure, *, key: str, filename: str = "chart") -> None:
    """The chart; its camera button saves the 16:9 slide preset as ``filename``.png."""
    # NOTE: theme=None so the screen shows exactly the template that exports use.
    st.plotly_chart(fig, theme=None, key=key, config=modebar_config(filename), width="stretch")


def render_chart_exports(view: FamilyView, *, key: str, cite: str) -> None:
    """One 'Download or cite' menu under a chart: PNG (16:9, 4:3) and SVG downloads, and 'cite
    this chart' (``cite``).

    The menu's contents are built only once it is opened (opening reruns the page), and the
    files are made by kaleido only when a button is clicked (data as a callable), so a rerun
    never renders images and sends one control per chart, not five.
    """
    fig, stem = view.fig, view.stem
    # NOTE: the key starts with "controls": hidden in presentation mode
    menu = st.popover("Download or cite", icon=":material/download:", key=f"controls_export_{key}",
                      on_change="rerun", help="PNG for slides (16:9 or 4:3), SVG, and a ready-to-paste citation")
    if not menu.open:
        return
    with menu:
        for label, fmt, preset, suffix in (("PNG 16:9", "png", "16:9", ""), ("PNG 4:3", "png", "4:3", "_4x3"),
                                            ("SVG", "svg", "16:9", "")):
            st.download_button(
                label, data=lambda fmt=fmt, preset=preset: export_image(fig, fmt, preset),
                file_name=f"{stem}{suffix}.{fmt}", mime="image/png" if fmt == "png" else "image/svg+xml",
                key=f"{key}_{fmt}_{preset}", on_click="ignore", icon=":material/download:",
                help=f"{fmt.upper()} at {preset}: title, sources and caveats are in the image",
            )
        st.markdown("**Cite this chart**")
        st.code(cite, language=None, wrap_lines=True)


def cite_texts(ds: Dataset, selected: list[str], basis: str = "best") -> dict[str, str]:
    """'Cite this chart' of every drawn family of the selection, with this view's link and today."""
    return cached.cite_texts(ds, selected, permalink=current_permalink(), accessed=dt.date.today().isoformat(),
                             basis=basis)


def render_chart_words(view: FamilyView, *, key: str) -> None:
    """Under a chart, collapsed: its text description (inert text) and the values it draws as a
    plain table, for readers who cannot see the chart. Built only once opened (opening reruns
    the page), so a rerun of the page does not send seven tables nobody opened."""
    words = st.expander("Describe this chart: text and data table", icon=":material/description:",
                        key=key, on_change="rerun")
    if words.open:
        with words:
            st.text(view.description)
            # NOTE: a real HTML <table> (headers, cells) that screen readers walk; st.dataframe
            # draws on a canvas.
            render_table(view.table)


def render_deck_download(ds: Dataset, view: ComparisonView, *, file_name: str) -> None:
    """'Download slide deck (PPTX)': the whole comparison as a 16:9 deck of the page's own views,
    made only on click."""
    base_url = st.context.url or ""
    comparison = Comparison(view.entities, basis=view.basis)
    st.download_button(
        "Download slide deck (PPTX)", file_name=file_name, key="compare_deck_pptx",
        data=lambda: build_deck(ds, [comparison], base_url=base_url, views={comparison: view}),
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore", icon=":material/slideshow:",
        help="Title slide, one slide per chart with its sources on the slide and every citation in "
             "the speaker notes, caveats and sources",
    )


def render_csv_download(rows: pd.DataFrame, *, file_name: str) -> None:
    """CSV of exactly the values shown, one row per value with its full citation."""
    st.download_button("Download the values shown (CSV)", data=lambda: values_csv(rows),
                       file_name=file_name, mime="text/csv", key="csv_values_shown",
                       on_click="ignore", icon=":material/table:")


def render_provenance(rows: pd.DataFrame) -> None:
    """Every value for the selection with its full citation; 'shown' marks the charted one."""
    table = pd.DataFrame({
        "Entity": rows["entity_name"],
        "Metric": rows["metric_label"],
        "Value": [value_label(r) for _, r in rows.iterrows()],
        "Qualifier": [qualifier_text(r) for _, r in rows.iterrows()],
        "As of": rows["as_of"],
        "Charted": rows["is_default"].map({True: "shown", False: "other report"}),
        "Source": rows["source_citation"],
        "Read in": rows["via_citation"],
        "Where": rows["locator"],
        "Quote": rows["quote"],
        "Note": rows["note"],
        "File": rows["file"] + ":" + rows["line"].astype(str),
    })
    st.dataframe(table, hide_index=True, width="stretch")


def render_missing_note(metrics: list[str]) -> None:
    if metrics:
        st.caption("Not reported for any selected entity: " + ", ".join(map(plain, metrics)) + ".")

