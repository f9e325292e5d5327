"""The one number formatter: how a figure is written for a person to read.

The browser app (every page and the downloadable report) writes numbers
only through this module, so a figure looks the same in the Compare table,
the Explore KPIs and the report, and switching to Dutch switches every decimal
point to a comma at once. It is language aware (English: 1,234.5; Dutch:
1.234,5), unit aware (`with_unit` appends the registry's unit in the chosen
language) and has the digit rules the views use (`STYLES`). `plain` is the
opposite: a language-independent text for values a person types back or puts
in a link, which the parameter registry must be able to read again.

Pure functions; no imports from viz.
"""

from __future__ import annotations

import math
from typing import Any

from fatal_remedies.model import metrics as _metrics

LANGUAGES = ("en", "nl")
STYLES = ("table", "cli", "general")
"""Digit rules: "table" (the app's tables: 0 decimals from 1,000, 1 from 10, else 3), "cli"
(the terminal tables of `run`/`compare`: no decimals from 100,000 or for whole numbers, 1 from 100,
else 3), "general" (6 significant digits, no grouping)."""

_MISSING = {"table": "–", "cli": "n/a", "general": "–"}
_NL = str.maketrans({",": ".", ".": ","})


def _style_spec(x: float, style: str) -> str:
    a = abs(x)
    if style == "table":
        return ",.0f" if a >= 1000 else ".1f" if a >= 10 else ".3f"
    if style == "cli":
        if a >= 1e5:
            return ",.0f"
        if a >= 100 or float(x).is_integer():
            return ",.0f" if float(x).is_integer() else ",.1f"
        return ".3f"
    if style == "general":
        return ".6g"
    raise ValueError(f"unknown number style {style!r}; use one of {', '.join(STYLES)}")


def number(x: Any, lang: str = "en", *, style: str = "table", decimals: int | None = None,
           sig: int | None = None, percent: bool = False, signed: bool = False,
           grouping: bool = True, missing: str | None = None) -> str:
    """`x` written for a reader in `lang`.

    Args:
        x: A number (None, NaN and infinities are "missing").
        lang: "en" (1,234.5) or "nl" (1.234,5).
        style: Digit rule when neither `decimals` nor `sig` is given (STYLES).
        decimals: Fixed decimals (with thousands grouping unless `grouping` is False).
        sig: Significant digits, without grouping.
        percent: Write a share 0-1 as a percentage (with `decimals`, default 1).
        signed: Put "+" before a positive value (a difference).
        grouping: False to leave out the thousands separator (a machine-read report column).
        missing: Text for a missing value (default: the style's, "–" or "n/a").
    """
    try:
        f = float(x)
    except (TypeError, ValueError):
        f = math.nan
    if not math.isfinite(f):
        return _MISSING[style] if missing is None else missing
    if percent:
        spec = f".{1 if decimals is None else decimals}%"
    elif decimals is not None:
        spec = f",.{decimals}f"
    elif sig is not None:
        spec = f".{sig}g"
    else:
        spec = _style_spec(f, style)
    if not grouping:
        spec = spec.replace(",", "")
    text = format(f, spec)
    if signed and f > 0:
        text = "+" + text
    return text.translate(_NL) if lang == "nl" else text


def unit_text(unit: str, lang: str = "en") -> str:
    """A metric unit in `lang` (the registry's Dutch name where it has one)."""
    return _metrics.UNITS_NL.get(unit, unit) if lang == "nl" else unit


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def with_unit(x: Any, unit: str, lang: str = "en", **kw) -> str:
    """`number(x, lang, **kw)` followed by the unit ("1,234 EUR", "0,35 aandeel"); no unit when missing."""
    text = number(x, lang, **kw)
    return f"{text} {unit_text(unit, lang)}" if unit and _finite(x) else text


def metric_value(x: Any, name: str, lang: str = "en", **kw) -> str:
    """A registry metric's value with its unit ("12.5 EUR"); a share stays a number 0-1."""
    return with_unit(x, _metrics.get(name).unit, lang, **kw)


def plain(v: Any) -> str:
    """A value as text that the parameter registry reads back (links, typed fields): same in every language."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)
