"""The building blocks of a benchmark's noise profile: strict records (unknown keys are an error) and
closed ranges drawn uniformly, shared by the cash and order profiles."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Strict):
    """A closed range [low, high], drawn uniformly."""

    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.high < self.low:
            raise ValueError(f"high {self.high} is below low {self.low}")
        return self


class WholeSpan(_Strict):
    low: int = Field(ge=0)
    high: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> WholeSpan:
        if self.high < self.low:
            raise ValueError(f"high {self.high} is below low {self.low}")
        return self
