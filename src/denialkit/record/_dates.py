"""FHIR dates that keep their precision: a month stays a month (private).

>>> d = FhirDate.parse("2026-09")
>>> d.precision, d.first, d.last, d.day
('month', datetime.date(2026, 9, 1), datetime.date(2026, 9, 30), None)
>>> FhirDate.parse("2026-09-28T10:15:00-05:00").day
datetime.date(2026, 9, 28)
>>> FhirDate.parse("28/09/2026") is None
True
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Final, Literal

import attrs

from denialkit._repr import fields_repr, tolerant

__all__ = ["FhirDate", "Month"]

Precision = Literal["year", "month", "day", "time"]

# FHIR R4 date / dateTime / instant grammar (the time part is optional). Real data also
# leaves out the seconds, or writes the zone without its colon (+0000, as Java's formats
# do); both are accepted. A leap second (:60), which FHIR allows, is read as :59.
_DATE_RE: Final = re.compile(
    r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
)

_ZONE_RE: Final = re.compile(r"(Z|[+-][0-9]{2}:?[0-9]{2})$")
_LEAP_RE: Final = re.compile(r"(T[0-9]{2}:[0-9]{2}):60")


def _iso(text: str) -> str:
    """A FHIR date-time as :meth:`datetime.fromisoformat` reads it: a leap second becomes
    the second before it (the only second a FHIR value may have that a datetime cannot)."""
    return _LEAP_RE.sub(r"\1:59", text) if ":60" in text else text


@attrs.frozen(order=False)
class FhirDate:
    """A FHIR ``date`` or ``dateTime`` as written, with its precision.

    Attributes:
        text: the value exactly as the record wrote it.
        precision: ``"year"``, ``"month"``, ``"day"`` or ``"time"``.
        first: the first calendar day the value covers.
        last: the last calendar day the value covers.
        moment: the instant, for a value with a time of day and a zone; else None.

    A date-time's calendar day is the one written (the record's local day), not the day in
    UTC.
    """

    text: str
    precision: Precision
    first: date
    last: date
    moment: datetime | None = attrs.field(default=None, eq=False)

    @classmethod
    def parse(cls, value: object) -> FhirDate | None:
        """The value as a FhirDate, or None when it is not a FHIR date."""
        if not isinstance(value, str) or len(value) > 64:
            return None
        m = _DATE_RE.fullmatch(value)
        if m is None:
            return None
        year, month, day, hour = m.group(1), m.group(2), m.group(3), m.group(4)
        try:
            y = int(year)
            if month is None:
                return cls(value, "year", date(y, 1, 1), date(y, 12, 31))
            mo = int(month)
            if day is None:
                last = calendar.monthrange(y, mo)[1]
                return cls(value, "month", date(y, mo, 1), date(y, mo, last))
            d = date(y, mo, int(day))
            if hour is None:
                return cls(value, "day", d, d)
            # the time of day is checked with or without a zone: 24:00 or 10:75 is no time,
            # and :attr:`local` must not fail on a value that was accepted
            datetime.fromisoformat(_iso(_ZONE_RE.sub("", value)))
            moment = None
            if m.group(7) is not None:
                moment = datetime.fromisoformat(_iso(value).replace("Z", "+00:00"))
            return cls(value, "time", d, d, moment)
        except ValueError:
            return None

    @property
    def local(self) -> datetime | None:
        """The date and time as written, without a zone (None without a time of day)."""
        if self.precision != "time":
            return None
        return datetime.fromisoformat(_iso(_ZONE_RE.sub("", self.text)))

    @property
    def day(self) -> date | None:
        """The calendar day, when the value has day (or finer) precision."""
        return self.first if self.precision in ("day", "time") else None

    @tolerant
    def __repr__(self) -> str:
        return f"<FhirDate precision={self.precision}>"


@attrs.frozen
class Month:
    """A calendar month, the period a care-management service is billed for.

    >>> m = Month.parse("2026-09")
    >>> m.first, m.last, str(m)
    (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30), '2026-09')
    >>> Month.of(date(2026, 2, 14)).last
    datetime.date(2026, 2, 28)
    """

    year: int
    month: int
    __repr__ = fields_repr

    @classmethod
    def parse(cls, text: str) -> Month:
        """``YYYY-MM`` as a month.

        Raises:
            ValueError: the text is not a month in that form.
        """
        m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text) if isinstance(text, str) else None
        if m is None or not 1 <= int(m.group(2)) <= 12:
            raise ValueError("expected a month as YYYY-MM")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a day falls in."""
        return cls(day.year, day.month)

    @property
    def first(self) -> date:
        """The month's first day."""
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        """The month's last day."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def holds(self, value: FhirDate) -> bool:
        """Whether every day the value covers lies inside the month."""
        return self.first <= value.first and value.last <= self.last

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def spoken(value: FhirDate) -> str:
    """A date as a letter says it, at the precision the record has.

    >>> spoken(FhirDate.parse("2026-09-03")), spoken(FhirDate.parse("2026-09"))
    ('September 3, 2026', 'September 2026')
    """
    name = calendar.month_name[value.first.month]
    if value.precision == "year":
        return str(value.first.year)
    if value.precision == "month":
        return f"{name} {value.first.year}"
    return f"{name} {value.first.day}, {value.first.year}"
