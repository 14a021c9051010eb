"""Plain-data encoding of domain dataclasses (for the outbox, the approvals queue and document rows).

``encode`` turns a dataclass into JSON-safe values (Decimal and Money as strings, dates as ISO text);
``decode`` rebuilds it from the type hints, so a stored command comes back as the same typed command.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

from o2c.domain.money import Money

T = TypeVar("T")


def encode(value: Any) -> Any:
    return _encoder(typing.cast(typing.Hashable, type(value)))(value)


@cache
def _encoder(tp: Any) -> Callable[[Any], Any]:
    """The encoding function for values of type ``tp``, chosen once per type (in this order: Money, a
    dataclass, an Enum, Decimal, date and datetime, list and tuple, dict, anything else as it is)."""
    if issubclass(tp, Money):
        return lambda value: {"amount": str(value.amount), "currency": value.currency}
    if not issubclass(tp, type) and dataclasses.is_dataclass(tp):
        names = tuple(f.name for f in dataclasses.fields(tp))
        return lambda value: {name: encode(getattr(value, name)) for name in names}
    if issubclass(tp, Enum):
        return lambda value: value.value
    if issubclass(tp, Decimal):
        return str
    if issubclass(tp, datetime | date):
        return lambda value: value.isoformat()
    if issubclass(tp, list | tuple):
        return lambda value: [encode(v) for v in value]
    if issubclass(tp, dict):
        return lambda value: {str(k): encode(v) for k, v in value.items()}
    return _as_is


def _as_is(value: Any) -> Any:
    return value


def decode(cls: type[T], data: Any) -> T:
    return typing.cast(T, _decoder(typing.cast(typing.Hashable, cls))(data))


def _optional(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda data: None if data is None else inner(data)


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A decoding function for type ``tp``, built once per type from its hints."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return _optional(_decoder(options[0]))
    if origin is tuple:
        item = _decoder(get_args(tp)[0])
        return lambda data: tuple(item(v) for v in data)
    if origin is list:
        item = _decoder(get_args(tp)[0])
        return lambda data: [item(v) for v in data]
    if origin is dict:
        value = _decoder(get_args(tp)[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    if tp is Money:
        return lambda data: Money(Decimal(data["amount"]), data["currency"])
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    simple: dict[Any, Callable[[Any], Any]] = {Decimal: Decimal, datetime: datetime.fromisoformat,
                                               date: date.fromisoformat}
    if tp in simple:
        return _optional(simple[tp])
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _optional(tp)
    return lambda data: data


def _dataclass_decoder(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]

    def decode_instance(data: Any) -> Any:
        if data is None:
            return None
        return cls(**{name: fn(data[name]) for name, fn in fields if name in data})

    return decode_instance
