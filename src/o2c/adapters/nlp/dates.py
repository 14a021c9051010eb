"""Dates in customer messages, absolute or relative, resolved against an injected ``today``.

Understood, in English, Dutch, French and German:
- ISO dates (``2026-11-23``) and day-first numeric dates (``23/11``, ``23.11.2026``, ``23-11-26``);
  without a year, the year that puts the date nearest to ``today`` (within half a year);
- day and month name (``12 June``, ``5. Dezember``, ``le 3 mars``, ``June 12``);
- today, tomorrow, the day after tomorrow, yesterday (``heute Morgen`` is today, not tomorrow);
- weekdays: a bare or "next" weekday is its next occurrence after today (1-7 days ahead), a
  "last" weekday the previous one; "next week Friday" (``volgende week vrijdag``) is in next week;
- this week, next week, last week, this month, next month, end of the month, as ranges.

A `DateMention` carries the matched text and the resolved ``start``/``end`` (equal for one day).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

_WEEKDAYS = {
    0: "monday|maandag|lundi|montag",
    1: "tuesday|tue|tues|dinsdag|mardi|dienstag",
    2: "wednesday|wed|woensdag|mercredi|mittwoch",
    3: "thursday|thu|thurs|donderdag|jeudi|donnerstag",
    4: "friday|fri|vrijdag|vendredi|freitag",
    5: "saturday|zaterdag|samedi|samstag",
    6: "sunday|zondag|dimanche|sonntag",
}
_MONTHS = {
    1: "january|jan|januari|janvier|januar",
    2: "february|feb|februari|fevrier|février|februar",
    3: "march|mar|maart|mars|märz|marz",
    4: "april|apr|avril",
    5: "may|mei|mai",
    6: "june|jun|juni|juin",
    7: "july|jul|juli|juillet",
    8: "august|aug|augustus|août|aout",
    9: "september|sep|sept|septembre",
    10: "october|oct|oktober|octobre|okt",
    11: "november|nov|novembre",
    12: "december|dec|dezember|décembre|decembre|dez",
}
_NEXT = r"(?:next|volgende|komende|nächsten|nächste|naechste|nachsten|kommenden)"
_LAST = r"(?:last|vorige|afgelopen|letzten|letzte|vergangenen)"
_UNITS = r"(?:pallets?|cases?|kegs?|palettes?|paletten|dozen|kisten?|caisses?|fusten|crates?|units?)"


@dataclass(frozen=True)
class DateMention:
    """A date or date range named in a message."""

    text: str
    start: date
    end: date


def _alternatives(table: dict[int, str]) -> str:
    return "|".join(sorted((w for words in table.values() for w in words.split("|")), key=len, reverse=True))


def _lookup(table: dict[int, str], word: str) -> int:
    word = word.lower()
    return next(key for key, words in table.items() if word in words.split("|"))


_WEEKDAY = _alternatives(_WEEKDAYS)
_MONTH = _alternatives(_MONTHS)


def _nearest_year(today: date, month: int, day: int) -> date | None:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _full_year(text: str | None, today: date) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _make_date(today: date, year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return _nearest_year(today, month, day)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_end(day: date) -> date:
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next - timedelta(days=1)


def _iso(m: re.Match[str], today: date) -> date | None:
    return _make_date(today, int(m[1]), int(m[2]), int(m[3]))


def _numeric(m: re.Match[str], today: date) -> date | None:
    day, month = int(m[1]), int(m[2])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return _make_date(today, _full_year(m[3], today), month, day)


def _day_month(m: re.Match[str], today: date) -> date | None:
    return _make_date(today, _full_year(m[3], today), _lookup(_MONTHS, m[2]), int(m[1]))


def _month_day(m: re.Match[str], today: date) -> date | None:
    return _make_date(today, _full_year(m[3], today), _lookup(_MONTHS, m[1]), int(m[2]))


def _offset(days: int) -> Callable[[re.Match[str], date], date]:
    return lambda m, today: today + timedelta(days=days)


def _weekday_next_week(m: re.Match[str], today: date) -> date:
    return _week_start(today) + timedelta(days=7 + _lookup(_WEEKDAYS, m[1]))


def _weekday(m: re.Match[str], today: date) -> date:
    target = _lookup(_WEEKDAYS, m[2])
    modifier = f"{m[1] or ''} {m[3] or ''}".lower()
    if re.search(_LAST + r"|dernier|passé|passe", modifier):
        return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)


def _this_week(m: re.Match[str], today: date) -> tuple[date, date]:
    return today, _week_start(today) + timedelta(days=6)


def _next_week(m: re.Match[str], today: date) -> tuple[date, date]:
    start = _week_start(today) + timedelta(days=7)
    return start, start + timedelta(days=6)


def _last_week(m: re.Match[str], today: date) -> tuple[date, date]:
    start = _week_start(today) - timedelta(days=7)
    return start, start + timedelta(days=6)


def _next_month(m: re.Match[str], today: date) -> tuple[date, date]:
    start = _month_end(today) + timedelta(days=1)
    return start, _month_end(start)


def _end_of_month(m: re.Match[str], today: date) -> date:
    return _month_end(today)


_RULES = [
    (r"(?<![\w/-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w/-])", _iso),
    (
        rf"(?<![\w/.,-])(\d{{1,2}})[/.-](\d{{1,2}})(?:[/.-](\d{{4}}|\d{{2}}))?(?![\w/-]|[.,]\d)(?!\s*{_UNITS})",
        _numeric,
    ),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|e)?\.?\s+(?:of\s+)?({_MONTH})\b\.?(?:\s+(\d{{4}}))?", _day_month),
    (rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", _month_day),
    (
        r"\b(?:the\s+)?(?:day after tomorrow|overmorgen|après-demain|apres-demain|übermorgen|uebermorgen)\b",
        _offset(2),
    ),
    (r"\b(?:avant-hier|eergisteren|vorgestern)\b", _offset(-2)),
    (
        r"\b(?:today|vandaag|aujourd['’]hui|heute(?:\s+morgen|\s+früh)?|this\s+(?:morning|afternoon|evening)"
        r"|tonight|vanochtend|vanmorgen|vanmiddag|vanavond|ce\s+matin|cet\s+après-midi|ce\s+soir)\b",
        _offset(0),
    ),
    (
        r"(?<!guten\s)\b(?:tomorrows?|tmrws?|morgen(?:ochtend|middag|vroeg)?|demain|morgigen?|morgiger)\b",
        _offset(1),
    ),
    (r"\b(?:yesterday|yesterdays|gisteren|gestern|d['’]hier|hier\s+(?:soir|matin))\b", _offset(-1)),
    (
        rf"\b(?:next\s+week|next\s+wk|volgende\s+week|nächste\s+woche|naechste\s+woche)\s+({_WEEKDAY})\b",
        _weekday_next_week,
    ),
    (r"\b(?:this\s+week|deze\s+week|cette\s+semaine|diese\s+woche|dieser\s+woche)\b", _this_week),
    (
        r"\b(?:next\s+week|next\s+wk|volgende\s+week|komende\s+week|(?:la\s+)?semaine\s+prochaine"
        r"|nächster?\s+woche|naechste\s+woche|kommende\s+woche)\b",
        _next_week,
    ),
    (
        r"\b(?:last\s+week|vorige\s+week|afgelopen\s+week|(?:la\s+)?semaine\s+derni[eè]re"
        r"|letzte[rn]?\s+woche|vergangene[rn]?\s+woche)\b",
        _last_week,
    ),
    (
        r"\b(?:next\s+month|volgende\s+maand|(?:le\s+)?mois\s+prochain|nächsten\s+monat|naechsten\s+monat)\b",
        _next_month,
    ),
    (
        r"\b(?:(?:the\s+)?end\s+of\s+(?:the|this)\s+month|eind(?:e)?\s+van\s+de\s+maand|(?:à\s+la\s+)?fin\s+du\s+mois"
        r"|ende\s+des\s+monats|monatsende)\b",
        _end_of_month,
    ),
    (
        rf"\b(?:({_NEXT}|{_LAST}|this|deze|diesen|dieser|am|on|op|le)\s+)?({_WEEKDAY})\b"
        r"(?:\s+(prochain|dernier|passé|passe))?",
        _weekday,
    ),
]
_COMPILED_RULES = [(re.compile(pattern, re.IGNORECASE), resolve) for pattern, resolve in _RULES]


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date mention in `text`, in reading order, without overlaps."""
    taken: list[tuple[int, int]] = []
    mentions: list[tuple[int, DateMention]] = []
    for regex, resolve in _COMPILED_RULES:
        for m in regex.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            resolved = resolve(m, today)
            if resolved is None:
                continue
            start, end = resolved if isinstance(resolved, tuple) else (resolved, resolved)
            taken.append(m.span())
            mentions.append((m.start(), DateMention(m[0].strip(), start, end)))
    return [mention for _, mention in sorted(mentions, key=lambda item: item[0])]
