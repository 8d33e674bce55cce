"""Streamlit pieces for the one-metric pages (trends, map): a metric picker seeded from ``?m=``,
the current/constant prices switch and a log-scale toggle seeded from ``?log=1``."""

from __future__ import annotations

import streamlit as st

from components.ui.url_state import url_choice, url_flag
from components.views.trend_charts import PRICE_PAIRS
from forcedata.dataset import Dataset
from components.views.map_charts import PLOTLY_CONFIG

CONSTANT_OF = PRICE_PAIRS                      # current-price metric -> constant-price one
CURRENT_OF = {v: k for k, v in PRICE_PAIRS.items()}
PRICES = {"current": "Current US$", "constant": "Constant (2023) US$"}


def metric_options(ds: Dataset, *, fold_prices: bool) -> list[str]:
    """Metric ids that have at least one row, in catalogue order (constant prices folded into
    the prices switch when ``fold_prices``)."""
    present = set(ds.frame["metric"]) if len(ds.frame) else set()
    ordered = sorted(ds.metrics.values(), key=lambda m: m.order)
    return [m.id for m in ordered if m.id in present and not (fold_prices and m.id in CURRENT_OF)]


def metric_picker(ds: Dataset, *, key: str, default: str, param: str = "m",
                  fold_prices: bool = True) -> str | None:
    """A metric select box seeded from ``?m=`` (a bad value gets an inert note) and written back
    to it; with ``fold_prices``, a current/constant prices switch for SIPRI spending.

    Returns:
        The metric id to draw, or None when the dataset has no metric with values.
    """
    options = metric_options(ds, fold_prices=fold_prices)
    if not options:
        return None
    prices_key = f"{key}_prices"

    def from_url(raw: str) -> str | None:
        wanted = raw.strip()
        if fold_prices and wanted in CURRENT_OF:  # a constant-price metric: its current one, prices switched
            st.session_state[prices_key] = "constant"
            return CURRENT_OF[wanted]
        return wanted if wanted in options else None

    labels = {m: ds.metrics[m].label for m in options}
    metric = url_choice(st.selectbox, "Measure", labels, key=key, param=param,
                        default=default if default in options else options[0], what="unknown metric",
                        keep_default=True, from_url=from_url,
                        hint="Metric ids look like spending.milex_usd or personnel.active; see the Sources page "
                             "for the list.")
    if fold_prices and metric in CONSTANT_OF:
        if st.session_state.get(prices_key) not in PRICES:
            st.session_state[prices_key] = "current"
        prices = st.segmented_control(
            "Prices", options=list(PRICES), format_func=PRICES.get, key=prices_key, required=True,
            help="Current prices: US$ of each year. Constant prices: 2023 US$, so years compare "
                 "without inflation (SIPRI revises this series with each release).")
        if prices == "constant":
            metric = CONSTANT_OF[metric]
            st.query_params[param] = metric  # NOTE: the link names the metric drawn
    return metric


def log_toggle(*, key: str, param: str = "log", default: bool = False,
               help: str = "Equal steps for equal ratios: small and large figures on one chart.") -> bool:
    """'Logarithmic scale' switch kept in ``?log=1`` or ``?log=0``."""
    return url_flag("Logarithmic scale", key=key, param=param, default=default, help=help)


def render_map(fig, *, key: str) -> None:
    """The choropleth with plotly's world geometry read from this server (app/static/geo/), so
    it draws with no internet."""

    # NOTE: theme=None so the screen shows exactly the template that exports use.
    st.plotly_chart(fig, theme=None, key=key, config=PLOTLY_CONFIG, width="stretch")


def option_picker(label: str, options: dict[str, str], *, key: str, param: str, default: str,
                  help: str | None = None) -> str:
    """A select box over ``options`` (id -> label) kept in ``?param=`` (the default kept out of the link)."""
    return url_choice(st.selectbox, label, options, key=key, param=param, default=default,
                      hint="Known values: " + ", ".join(options) + ".", help=help)
