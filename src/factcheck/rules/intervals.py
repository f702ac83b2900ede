"""Closed intervals of Decimals: a stated figure is every value its rounding and qualifier admit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

INF: Final = Decimal("Infinity")


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @staticmethod
    def point(v) -> "Interval":
        d = Decimal(v)
        return Interval(d, d)

    def __add__(self, o: "Interval") -> "Interval":
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Interval") -> "Interval":
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: "Interval") -> "Interval":
        ps = [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Interval(min(ps), max(ps))

    def __truediv__(self, o: "Interval") -> "Interval":
        if o.lo <= 0 <= o.hi:
            if o.lo == 0 and o.hi > 0 and self.lo >= 0:
                return Interval(self.lo / o.hi if o.hi != INF else Decimal(0), INF)
            raise ZeroDivisionError("division by an interval that contains zero")
        inv = Interval(Decimal(1) / o.hi if o.hi != INF else Decimal(0), Decimal(1) / o.lo)
        return self * inv

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo)

    @property
    def mid(self) -> Decimal:
        if self.hi == INF:
            return self.lo
        return (self.lo + self.hi) / 2

    def overlaps(self, o: "Interval") -> bool:
        return self.lo <= o.hi and o.lo <= self.hi

    def gap(self, o: "Interval") -> Decimal:
        """How far apart two intervals are (0 when they overlap)."""
        if self.overlaps(o):
            return Decimal(0)
        return (o.lo - self.hi) if self.hi < o.lo else (self.lo - o.hi)


def _mul(a: Decimal, b: Decimal) -> Decimal:
    if (a == 0 and b.is_infinite()) or (b == 0 and a.is_infinite()):
        return Decimal(0)
    return a * b
