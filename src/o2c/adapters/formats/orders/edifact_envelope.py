"""EDIFACT envelopes: UNB/UNZ around (optional UNG/UNE groups around) UNH/UNT messages.

Invariants checked, all reported together, each naming the segment and its position:

- UNZ02 = UNB05 (interchange control reference) and UNZ01 = the number of messages inside, or of
  groups when the interchange uses UNG;
- UNE02 = UNG05 and UNE01 = the number of messages in the group;
- UNT02 = UNH01 (message reference) and UNT01 = the number of segments from UNH to UNT inclusive;
- every UNH is closed by UNT, every UNG by UNE, every UNB by UNZ, and the file ends on a terminator.

Each problem carries its CONTRL syntax error code (0085): 13 missing, 28 references do not
match, 29 control count does not match, 35 too many repetitions (a stray segment).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from o2c.adapters.formats.orders.edifact_syntax import EdifactSegment
from o2c.adapters.formats.orders.model import FormatError, leading_tag

ENVELOPE_TAGS = frozenset({"UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})
MISSING, REFERENCES_DIFFER, COUNT_DIFFERS, STRAY = "13", "28", "29", "35"


def segment_error(file: str, segment: EdifactSegment, message: str, field_name: str | None = None,
                  code: str | None = None) -> FormatError:
    return FormatError(message, file=file, segment=segment.tag, position=segment.position,
                       field=field_name, code=code)


@dataclass
class Message:
    header: EdifactSegment
    body: list[EdifactSegment] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)


@dataclass
class Group:
    header: EdifactSegment | None  # None: the interchange has no UNG, one implicit group
    messages: list[Message] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)


@dataclass
class Interchange:
    header: EdifactSegment
    groups: list[Group] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)

    def implicit_group(self) -> Group:
        if not self.groups or self.groups[-1].header is not None:
            self.groups.append(Group(None))
        return self.groups[-1]

    @property
    def uses_groups(self) -> bool:
        return any(group.header is not None for group in self.groups)


@dataclass
class EnvelopeWalk:
    file: str
    interchanges: list[Interchange] = field(default_factory=list)
    stray_errors: list[FormatError] = field(default_factory=list)
    interchange: Interchange | None = None
    group: Group | None = None
    current: Message | None = None

    def error(self, segment: EdifactSegment, message: str, field_name: str | None = None,
              code: str | None = None) -> FormatError:
        return segment_error(self.file, segment, message, field_name, code)

    def missing(self, tag: str, at: int, message: str) -> FormatError:
        return FormatError(message, file=self.file, segment=tag, position=at, code=MISSING)

    def stray(self, error: FormatError) -> None:
        (self.interchange.errors if self.interchange else self.stray_errors).append(error)


def walk_envelopes(segments: list[EdifactSegment], tail: str, file: str) -> EnvelopeWalk:
    walk = EnvelopeWalk(file)
    for segment in segments:
        if walk.current is not None and segment.tag not in ENVELOPE_TAGS:
            walk.current.body.append(segment)
        else:
            _HANDLERS.get(segment.tag, _outside_a_message)(walk, segment)
    end = len(segments) + 1
    if tail:
        walk.stray_errors.append(walk.missing(leading_tag(tail), end, f"the file ends inside a segment, without its terminator: "
                                               f"{tail[:20]!r}"))
    if walk.interchange is not None:
        _end_interchange(walk, end, "the file ends (truncated)")
    return walk


def _open_interchange(walk: EnvelopeWalk, unb: EdifactSegment) -> None:
    if walk.interchange is not None:
        _end_interchange(walk, unb.position, "a new UNB interchange starts")
    walk.interchange = Interchange(unb)
    walk.interchanges.append(walk.interchange)


def _open_group(walk: EnvelopeWalk, ung: EdifactSegment) -> None:
    if walk.interchange is None:
        walk.stray(walk.error(ung, "UNG appears outside a UNB interchange", code=STRAY))
        return
    _end_group(walk, ung.position, "a new UNG group starts")
    walk.group = Group(ung)
    walk.interchange.groups.append(walk.group)


def _open_message(walk: EnvelopeWalk, unh: EdifactSegment) -> None:
    if walk.interchange is None:
        walk.stray(walk.error(unh, "UNH appears outside a UNB interchange", code=STRAY))
        return
    _end_message(walk, unh.position, "a new UNH message starts")
    group = walk.group or walk.interchange.implicit_group()
    walk.current = Message(unh)
    group.messages.append(walk.current)


def _close_message(walk: EnvelopeWalk, unt: EdifactSegment) -> None:
    message = walk.current
    if message is None:
        walk.stray(walk.error(unt, "UNT appears without an open UNH message", code=STRAY))
        return
    reference = message.header.get(1)
    if unt.get(2) != reference:
        message.errors.append(walk.error(unt, f"UNT message reference {unt.get(2)!r} does not match UNH "
                                              f"{reference!r}", "0062", REFERENCES_DIFFER))
    _check_count(walk, message.errors, unt, len(message.body) + 2, "segments from UNH to UNT")
    walk.current = None


def _close_group(walk: EnvelopeWalk, une: EdifactSegment) -> None:
    group = walk.group
    if group is None or group.header is None:
        walk.stray(walk.error(une, "UNE appears without an open UNG group", code=STRAY))
        return
    _end_message(walk, une.position, "UNE closes the group")
    if une.get(2) != group.header.get(5):
        group.errors.append(walk.error(une, f"UNE reference {une.get(2)!r} does not match UNG "
                                            f"{group.header.get(5)!r}", "0048", REFERENCES_DIFFER))
    _check_count(walk, group.errors, une, len(group.messages), "messages in the group")
    walk.group = None


def _close_interchange(walk: EnvelopeWalk, unz: EdifactSegment) -> None:
    interchange = walk.interchange
    if interchange is None:
        walk.stray_errors.append(walk.error(unz, "UNZ appears without an open UNB interchange", code=STRAY))
        return
    _end_group(walk, unz.position, "UNZ closes the interchange")
    reference = interchange.header.get(5)
    if unz.get(2) != reference:
        interchange.errors.append(walk.error(unz, f"UNZ interchange reference {unz.get(2)!r} does not "
                                                  f"match UNB {reference!r}", "0020", REFERENCES_DIFFER))
    counted, what = ((len(interchange.groups), "groups in the interchange") if interchange.uses_groups else
                     (sum(len(g.messages) for g in interchange.groups), "messages in the interchange"))
    _check_count(walk, interchange.errors, unz, counted, what)
    walk.interchange = None


def _check_count(walk: EnvelopeWalk, errors: list[FormatError], trailer: EdifactSegment, counted: int,
                 what: str) -> None:
    stated = trailer.get(1)
    if not stated.isdigit():
        errors.append(walk.error(trailer, f"{trailer.tag} count {stated!r} is not a number", "count",
                                 COUNT_DIFFERS))
    elif int(stated) != counted:
        errors.append(walk.error(trailer, f"{trailer.tag} says {int(stated)} {what}, the file has {counted}",
                                 "count", COUNT_DIFFERS))


def _outside_a_message(walk: EnvelopeWalk, segment: EdifactSegment) -> None:
    walk.stray(walk.error(segment, f"{segment.tag} appears outside a UNH message", code=STRAY))


def _end_message(walk: EnvelopeWalk, at: int, reason: str) -> None:
    message = walk.current
    if message is not None:
        message.errors.append(walk.missing("UNT", at, f"UNT is missing: {reason} before message "
                                                      f"{message.header.get(1)!r} (UNH at segment "
                                                      f"{message.header.position}) was closed"))
    walk.current = None


def _end_group(walk: EnvelopeWalk, at: int, reason: str) -> None:
    _end_message(walk, at, reason)
    group = walk.group
    if group is not None and group.header is not None:
        group.errors.append(walk.missing("UNE", at, f"UNE is missing: {reason} before group "
                                                    f"{group.header.get(5)!r} was closed"))
    walk.group = None


def _end_interchange(walk: EnvelopeWalk, at: int, reason: str) -> None:
    _end_group(walk, at, reason)
    interchange = walk.interchange
    if interchange is not None:
        interchange.errors.append(walk.missing("UNZ", at, f"UNZ is missing: {reason} before interchange "
                                                          f"{interchange.header.get(5)!r} was closed"))
    walk.interchange = None


_HANDLERS = {
    "UNB": _open_interchange, "UNG": _open_group, "UNH": _open_message,
    "UNT": _close_message, "UNE": _close_group, "UNZ": _close_interchange,
}
