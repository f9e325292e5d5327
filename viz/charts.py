"""ECharts options for the app's charts (ECharts ships in solara-assets, so it loads offline).

Functions take data the core or analysis/ produced and return plain dicts;
they compute nothing but the layout of what they are given.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

DASHES = ("solid", "dashed", "dotted", "dashed")
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")


def _base(title: str, y_name: str = "", x_name: str = "") -> dict:
    return {
        "animation": False,
        "title": {"text": title, "left": 8, "top": 4, "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 26, "type": "scroll"},
        "grid": {"left": 12, "right": 16, "top": 62, "bottom": 32, "containLabel": True},
        "xAxis": {"type": "value", "name": x_name, "nameLocation": "middle", "nameGap": 22,
                  "minInterval": 1},
        "yAxis": {"type": "value", "name": y_name, "scale": False},
        "series": [],
    }


def _clean(values) -> list:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if not np.isfinite(f) else round(f, 6))
    return out


def lines(df: pd.DataFrame, series: Sequence[tuple[str, str]], title: str, *, x: str = "month",
          x_name: str = "", y_name: str = "", cumulative: Sequence[str] = (),
          colors: Sequence[str] = PALETTE) -> dict:
    """One line per (column, label) present in df."""
    opt = _base(title, y_name, x_name)
    if df is None or df.empty or x not in df:
        return opt
    xs = df[x].to_numpy()
    for i, (col, label) in enumerate(series):
        if col not in df:
            continue
        ys = df[col].to_numpy(dtype=float)
        if col in cumulative:
            ys = np.nancumsum(ys)
        opt["series"].append({
            "name": label, "type": "line", "showSymbol": False, "data": list(zip(xs.tolist(), _clean(ys))),
            "lineStyle": {"width": 2}, "color": colors[i % len(colors)],
        })
    return opt


def lines_two_axes(df: pd.DataFrame, left: tuple[str, str], right: tuple[str, str], title: str, *,
                   x: str = "month", left_cumulative: bool = False) -> dict:
    """Two series on their own y axes (counts left, a share right)."""
    opt = _base(title)
    opt["yAxis"] = [{"type": "value"}, {"type": "value", "min": 0, "max": 1}]
    if df is None or df.empty:
        return opt
    xs = df[x].tolist()
    for i, ((col, label), axis) in enumerate(((left, 0), (right, 1))):
        if col not in df:
            continue
        ys = df[col].to_numpy(dtype=float)
        if axis == 0 and left_cumulative:
            ys = np.nancumsum(ys)
        opt["series"].append({"name": label, "type": "line", "showSymbol": False, "yAxisIndex": axis,
                              "data": list(zip(xs, _clean(ys))), "color": PALETTE[i + 2]})
    return opt


def bands(stats: dict[str, pd.DataFrame], title: str, y_name: str = "") -> dict:
    """Mean line and a shaded interval per scenario.

    `stats[scenario]` has columns month, mean, lo, hi (computed by analysis.summary.time_bands;
    this only draws them). The band is a transparent lower line with the interval's width
    stacked on it, which ECharts can only stack on a category axis.
    """
    opt = _base(title, y_name)
    months: list = []
    for st in stats.values():
        months = st["month"].tolist()
        break
    opt["xAxis"] = {"type": "category", "data": months, "boundaryGap": False, "name": "",
                    "nameLocation": "middle", "nameGap": 22}
    for i, (name, st) in enumerate(stats.items()):
        color = PALETTE[i % len(PALETTE)]
        lo = st["lo"].to_numpy(dtype=float)
        hi = st["hi"].to_numpy(dtype=float)
        mean = st["mean"].to_numpy(dtype=float)
        lo = np.where(np.isfinite(lo), lo, mean)
        hi = np.where(np.isfinite(hi), hi, mean)
        stack = f"band{i}"
        opt["series"] += [
            {"name": name, "type": "line", "data": _clean(lo), "stack": stack, "showSymbol": False,
             "lineStyle": {"opacity": 0}, "color": color, "silent": True, "tooltip": {"show": False}},
            {"name": name, "type": "line", "data": _clean(hi - lo), "stack": stack, "showSymbol": False,
             "lineStyle": {"opacity": 0}, "areaStyle": {"color": color, "opacity": 0.18}, "color": color,
             "silent": True, "tooltip": {"show": False}},
            {"name": name, "type": "line", "data": _clean(mean), "showSymbol": False,
             # dashes keep a scenario visible where it coincides with another (reversal = control
             # until its switch, with the same seeds)
             "lineStyle": {"width": 2 if i == 0 else 2.5, "type": DASHES[i % len(DASHES)]}, "color": color},
        ]
    opt["tooltip"] = {"trigger": "axis"}
    return opt


def hbar(labels: Sequence[str], values: Sequence[float], title: str, color: str = PALETTE[0],
         ref_line: float | None = None) -> dict:
    opt = {
        "animation": False,
        "title": {"text": title, "left": 8, "top": 4, "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 150, "right": 24, "top": 36, "bottom": 24},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": list(labels)[::-1]},
        "series": [{"type": "bar", "data": _clean(list(values)[::-1]), "color": color}],
    }
    if ref_line is not None:
        opt["series"][0]["markLine"] = {"silent": True, "symbol": "none", "data": [{"xAxis": ref_line}]}
    return opt


def stacked_hours(parts: dict[str, float], labels: dict[str, str], title: str) -> dict:
    keys = [k for k in ("support", "investigation", "paperwork") if k in parts]
    colors = {"support": "#1976d2", "investigation": "#d32f2f", "paperwork": "#9e9e9e"}
    return {
        "animation": False,
        "title": {"text": title, "left": 8, "top": 4, "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "item"},
        "legend": {"top": 26},
        "grid": {"left": 16, "right": 16, "top": 60, "bottom": 24},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [""], "show": False},
        "series": [{"name": labels.get(k, k), "type": "bar", "stack": "h", "data": [round(float(parts[k]), 1)],
                    "color": colors[k], "label": {"show": True}} for k in keys],
    }


def population_grid(categories: np.ndarray, names: Sequence[str], colors: Sequence[str],
                    selected: int | None = None, per_row: int = 25) -> dict:
    """A dot per person on a grid, coloured by status; value = [x, y, slot]."""
    series = []
    for c, (name, color) in enumerate(zip(names, colors)):
        idx = np.flatnonzero(categories == c)
        pts = [[int(i % per_row), int(i // per_row), int(i)] for i in idx]
        series.append({"name": name, "type": "scatter", "data": pts, "symbolSize": 11, "color": color,
                       "emphasis": {"scale": 1.6}})
    if selected is not None and 0 <= selected < categories.size:
        series.append({"name": "•", "type": "scatter", "symbolSize": 20, "silent": True,
                       "data": [[int(selected % per_row), int(selected // per_row), int(selected)]],
                       "itemStyle": {"color": "rgba(0,0,0,0)", "borderColor": "#000", "borderWidth": 2},
                       "tooltip": {"show": False}})
    rows = int(np.ceil(categories.size / per_row)) or 1
    return {
        "animation": False,
        "tooltip": {"trigger": "item", "formatter": "#{@[2]}"},
        "legend": {"top": 0, "type": "scroll", "data": list(names)},
        "grid": {"left": 8, "right": 8, "top": 34, "bottom": 8},
        "xAxis": {"type": "value", "show": False, "min": -1, "max": per_row},
        "yAxis": {"type": "value", "show": False, "min": -1, "max": rows, "inverse": True},
        "series": series,
    }
