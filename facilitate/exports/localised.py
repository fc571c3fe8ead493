"""Dates and numbers as the report's language writes them (Babel): the language of the request or
app context the report is made in, English outside one (the same words as ever in English)."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale, dates, numbers
from flask_babel import get_locale

ENGLISH = Locale("en")


def report_locale() -> Locale:
    return get_locale() or ENGLISH


def number(value: int) -> str:
    """``1,234``."""
    return numbers.format_decimal(value, locale=report_locale())


def long_day(value: date) -> str:
    """``Monday 23 November 2026``."""
    return dates.format_date(value, "EEEE d MMMM y", locale=report_locale())


def day_and_time(moment: datetime) -> str:
    """``24 November 2026, 09:30``, in ``moment``'s own zone."""
    return dates.format_datetime(moment, "d MMMM y, HH:mm", locale=report_locale())
