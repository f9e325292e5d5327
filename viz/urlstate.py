"""The page URL carries the view: scenario, parameter changes, size, seed, comparison, language.

A link such as ``/compare?lang=nl&scenario=control&p.information_burden=0.3&cmp=control,service``
reproduces what someone saw. Everything read from a URL goes through the
parameter registry's checks (`Param.coerce`); a bad item is dropped with a
one-line message that the page shows, and never reaches the model.

Pure functions only (no Solara here), so they are unit-tested without a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fatal_remedies.analysis.formatting import number, plain
from fatal_remedies.model.params import REGISTRY, RUN, ParamError

LIMITS = {
    # the app's own limits for run size, tighter than the registry's so a page stays responsive
    "clients": (100, 50_000),
    "months": (1, 240),
    "reps": (1, 10),
    "seed": (0, 2**31 - 1),
}
MAX_COMPARE = 4


@dataclass(frozen=True)
class ViewState:
    """What the URL says about the view."""

    lang: str = "en"
    scenario: str = "control"
    overrides: dict[str, Any] = field(default_factory=dict)
    clients: int = 2000
    seed: int = 0
    compare: tuple[str, ...] = ("control", "service")
    reps: int = 3
    months: int = 60

    def with_(self, **kw) -> "ViewState":
        return replace(self, **kw)


_GROUPED = {
    # a whole number written with thousands separators, in each language ("10,000"; "10.000")
    "en": re.compile(r"-?[1-9]\d{0,2}(,\d{3})+(\.\d*)?"),
    "nl": re.compile(r"-?[1-9]\d{0,2}(\.\d{3})+(,\d*)?"),
}


def typed_number(text: Any, lang: str = "en") -> str:
    """What a person typed in a number field, in the one form the registry and links read ("0.35").

    In Dutch a decimal comma is accepted ("0,35" -> "0.35") and a point groups thousands ("10.000" ->
    "10000"); a lone point is still read as a decimal point ("0.35"), as people used to English type
    it. In English a comma groups thousands ("10,000"). Anything that is not a number is returned as
    typed, for the registry's check to refuse with its message.
    """
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if lang == "nl":
        if _GROUPED["nl"].fullmatch(s):
            return s.replace(".", "").replace(",", ".")
        if s.count(",") == 1 and "." not in s:
            return s.replace(",", ".")
        return s
    if _GROUPED["en"].fullmatch(s):
        return s.replace(",", "")
    return s


def check_int(name: str, value: Any, lang: str | None = None) -> int:
    """An integer within the app's limit for `name`, or ParamError with a one-line message.

    A value from a link (`lang` None) is read as it is, and the message names the link's item; a value
    typed in a field of the page is read in the page's language (`typed_number`) and the message, in
    that language, is for the field's own label to precede.
    """
    lo, hi = LIMITS[name]

    def refuse():
        if lang is None:
            return ParamError(f"'{name}' must be an integer from {lo} to {hi}; got {value!r}")
        rng = (number(lo, lang, decimals=0), number(hi, lang, decimals=0))
        if lang == "nl":
            return ParamError(f"vul een geheel getal in van {rng[0]} tot {rng[1]}")
        return ParamError(f"enter a whole number from {rng[0]} to {rng[1]}")

    try:
        if isinstance(value, bool):
            raise ValueError
        f = float(str(value).strip() if lang is None else typed_number(value, lang))
        if not f.is_integer():
            raise ValueError
        v = int(f)
    except (TypeError, ValueError):
        raise refuse() from None
    if not lo <= v <= hi:
        raise refuse()
    return v


def check_override(name: str, value: Any) -> Any:
    """A checked value for registry parameter `name` (ParamError if unknown, a run setting or bad)."""
    p = REGISTRY.get(name)
    if p is None:
        raise ParamError(f"unknown parameter '{name}'")
    if p.kind == RUN:
        raise ParamError(f"'{name}' is a run setting, not a scenario parameter")
    return p.coerce(value)


def parse(search: str | None, scenarios: list[str]) -> tuple[ViewState, list[str]]:
    """Read a query string into a ViewState; return it with the messages for items dropped."""
    st = ViewState()
    errors: list[str] = []
    if not search:
        return st, errors
    items = parse_qsl(search.lstrip("?"), keep_blank_values=True)
    # the messages are in the link's own language (a bad `lang` item leaves them English)
    nl = any(k == "lang" and v == "nl" for k, v in items)

    def refuse(en: str, nl_text: str) -> ParamError:
        return ParamError(nl_text if nl else en)

    kw: dict[str, Any] = {}
    overrides: dict[str, Any] = {}
    for key, value in items:
        try:
            if key == "lang":
                if value not in ("en", "nl"):
                    raise refuse(f"'lang' must be en or nl; got {value!r}",
                                 f"'lang' moet en of nl zijn; er stond {value!r}")
                kw["lang"] = value
            elif key == "scenario":
                if value not in scenarios:
                    raise refuse(f"unknown scenario {value!r}: use one of {', '.join(scenarios)}",
                                 f"onbekend scenario {value!r}: gebruik een van {', '.join(scenarios)}")
                kw["scenario"] = value
            elif key in ("clients", "seed", "reps", "months"):
                try:
                    kw[key] = check_int(key, value)
                except ParamError as exc:
                    lo, hi = LIMITS[key]
                    raise refuse(str(exc), f"'{key}' moet een geheel getal van {lo} tot {hi} zijn; er stond "
                                           f"{value!r}") from None
            elif key == "cmp":
                names = tuple(n for n in value.split(",") if n)
                bad = [n for n in names if n not in scenarios and n != "explore"]
                if bad:
                    raise refuse(f"unknown scenario {bad[0]!r} in 'cmp': use {', '.join(scenarios)}",
                                 f"onbekend scenario {bad[0]!r} in 'cmp': gebruik {', '.join(scenarios)}")
                if not 2 <= len(names) <= MAX_COMPARE:
                    raise refuse(f"'cmp' needs 2 to {MAX_COMPARE} scenarios; got {len(names)}",
                                 f"'cmp' vraagt 2 tot {MAX_COMPARE} scenario's; er stonden er {len(names)}")
                kw["compare"] = names
            elif key.startswith("p."):
                try:
                    overrides[key[2:]] = check_override(key[2:], value)
                except ParamError as exc:
                    raise refuse(str(exc), _override_refused_nl(key[2:], value)) from None
            else:
                raise refuse(f"unknown item '{key}' in the link", f"onbekend onderdeel '{key}' in de link")
        except ParamError as exc:
            errors.append(str(exc))
    return st.with_(overrides=overrides, **kw), errors


def _override_refused_nl(name: str, value: str) -> str:
    """Why a link's parameter item was refused, in Dutch (the registry's own message is English)."""
    p = REGISTRY.get(name)
    if p is None:
        return f"onbekende parameter '{name}'"
    if p.kind == RUN:
        return f"'{name}' is een instelling van de run, geen parameter van het scenario"
    if p.type == "choice":
        return f"'{name}' moet een van {', '.join(p.choices)} zijn; er stond {value!r}"
    if p.type == "bool":
        return f"'{name}' moet true of false zijn; er stond {value!r}"
    kind = "een geheel getal" if p.type == "int" else "een getal"
    return (f"'{name}' moet {kind} van {number(p.lo, 'nl', style='general')} tot "
            f"{number(p.hi, 'nl', style='general')} zijn; er stond {value!r}")


def encode(st: ViewState) -> str:
    """The query string (without '?') for a ViewState; defaults are left out to keep links short."""
    d = ViewState()
    items: list[tuple[str, str]] = []
    if st.lang != d.lang:
        items.append(("lang", st.lang))
    items.append(("scenario", st.scenario))
    for name in sorted(st.overrides):
        items.append((f"p.{name}", plain(st.overrides[name])))
    if st.clients != d.clients:
        items.append(("clients", str(st.clients)))
    if st.seed != d.seed:
        items.append(("seed", str(st.seed)))
    linkable = tuple(n for n in st.compare if n != "uploaded")  # an uploaded file is not in a link
    if linkable != d.compare and len(linkable) >= 2:
        items.append(("cmp", ",".join(linkable)))
    if st.reps != d.reps:
        items.append(("reps", str(st.reps)))
    if st.months != d.months:
        items.append(("months", str(st.months)))
    return urlencode(items, safe=",")
