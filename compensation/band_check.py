"""The band check: where an offer's total cash sits against its compensation band.

Plain functions, no ORM: the caller looks the band up (`compensation.selectors.band_for`)
and passes its figures. Bands are total cash (base plus target bonus), so that is what is
compared. An open-ended band (the guide's "500K+") has a floor but no ceiling: nothing is
above it, and its position is measured against the floor-to-"high" span, capped at 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BandResult(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    NO_BAND = "no_band"


@dataclass(frozen=True)
class BandFigures:
    low: int
    high: int
    open_ended: bool
    currency: str
    market_tension: str


@dataclass(frozen=True)
class BandCheck:
    result: BandResult
    amount: int
    currency: str
    # 0-100: where the amount sits between low and high (0 below, 100 above the band).
    position: int | None = None
    band: BandFigures | None = None
    # How far outside the band, in money and as a share of the nearest edge (0 inside).
    outside_by: int = 0
    outside_percent: float = 0.0

    @property
    def in_band(self) -> bool:
        return self.result == BandResult.WITHIN

    @property
    def needs_justification(self) -> bool:
        """Out of band, or no band to check against: a written reason and an extra step."""
        return self.result != BandResult.WITHIN

    def summary(self) -> str:
        if self.band is None:
            return f"No {self.currency} band is in force for this level."
        span = f"{self.band.low:,}-{self.band.high:,}{'+' if self.band.open_ended else ''}"
        if self.result == BandResult.WITHIN:
            return f"Within the band ({span} {self.currency}), at {self.position} %."
        return (
            f"{self.result.value.capitalize()} the band ({span} {self.currency}) by "
            f"{self.outside_by:,} {self.currency} ({self.outside_percent:.1f} %)."
        )


def band_check(*, amount: int, currency: str, band: BandFigures | None) -> BandCheck:
    """Below, within or above `band`, with the position inside it (0-100 %)."""
    if band is None or band.currency != currency:
        return BandCheck(result=BandResult.NO_BAND, amount=amount, currency=currency)
    if amount < band.low:
        gap = band.low - amount
        return BandCheck(
            result=BandResult.BELOW,
            amount=amount,
            currency=currency,
            position=0,
            band=band,
            outside_by=gap,
            outside_percent=round(gap * 100 / band.low, 1),
        )
    if amount > band.high and not band.open_ended:
        gap = amount - band.high
        return BandCheck(
            result=BandResult.ABOVE,
            amount=amount,
            currency=currency,
            position=100,
            band=band,
            outside_by=gap,
            outside_percent=round(gap * 100 / band.high, 1),
        )
    span = band.high - band.low
    position = min(100, round((amount - band.low) * 100 / span)) if span > 0 else 100
    return BandCheck(
        result=BandResult.WITHIN, amount=amount, currency=currency, position=position, band=band
    )


@dataclass(frozen=True)
class BandBar:
    """Geometry of the band bar on the offer page, in percent of the drawing's width."""

    band_left: float
    band_width: float
    marker: float
    scale_low: int
    scale_high: int

    @property
    def band_end(self) -> float:
        return round(self.band_left + self.band_width, 2)

    @property
    def marker_label(self) -> float:
        """Where the offer's figure is written: kept off the edges so it is not clipped."""
        return min(92.0, max(8.0, self.marker))


def band_bar(check: BandCheck) -> BandBar | None:
    """Where to draw the band and the offer's marker: the scale reaches 10 % beyond both."""
    if check.band is None:
        return None
    low = min(check.band.low, check.amount)
    high = max(check.band.high, check.amount)
    pad = max(1, round((high - low) * 0.1))
    scale_low, scale_high = max(0, low - pad), high + pad
    width = scale_high - scale_low

    def at(value: int) -> float:
        return round((value - scale_low) * 100 / width, 2)

    return BandBar(
        band_left=at(check.band.low),
        band_width=round(at(check.band.high) - at(check.band.low), 2),
        marker=at(check.amount),
        scale_low=scale_low,
        scale_high=scale_high,
    )
