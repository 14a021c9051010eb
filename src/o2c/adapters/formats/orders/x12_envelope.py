"""X12 envelopes: ISA/IEA around GS/GE around ST/SE, and the checks that prove nothing was lost.

Invariants checked, all reported together, each naming the trailer segment and its position:

- IEA02 = ISA13, and IEA01 = the number of GS groups inside;
- GE02 = GS06, and GE01 = the number of ST transaction sets inside;
- SE02 = ST02, and SE01 = the number of segments from ST to SE inclusive;
- every ST is closed by SE, every GS by GE, every ISA by IEA, and the file ends on a terminator
  (anything else means the file was cut short in transit).

Each problem carries the code the functional acknowledgement uses: AK5 codes for transaction
sets (2 trailer missing, 3 control numbers differ, 4 segment count wrong), AK9 codes for groups
(3, 4, 5) and TA1 note codes for the interchange (001, 021, 023, 024).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from o2c.adapters.formats.orders.model import FormatError, leading_tag
from o2c.adapters.formats.orders.x12_syntax import X12Segment

ENVELOPE_TAGS = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA", "TA1"})


@dataclass
class TransactionSet:
    header: X12Segment
    body: list[X12Segment] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)


@dataclass
class Group:
    header: X12Segment
    sets: list[TransactionSet] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)


@dataclass
class Interchange:
    header: X12Segment
    groups: list[Group] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)


@dataclass
class EnvelopeWalk:
    """The file's envelopes as found, plus problems that belong to no envelope."""

    file: str
    interchanges: list[Interchange] = field(default_factory=list)
    stray_errors: list[FormatError] = field(default_factory=list)
    interchange: Interchange | None = None
    group: Group | None = None
    current: TransactionSet | None = None

    def error(self, segment: X12Segment, message: str, field_name: str | None = None,
              code: str | None = None) -> FormatError:
        return segment_error(self.file, segment, message, field_name, code)


def segment_error(file: str, segment: X12Segment, message: str, field_name: str | None = None,
                  code: str | None = None) -> FormatError:
    """A problem in one X12 segment, named by its tag, position and (when known) element."""
    return FormatError(message, file=file, segment=segment.tag, position=segment.position,
                       field=field_name, code=code)


def walk_envelopes(segments: list[X12Segment], tail: str, file: str) -> EnvelopeWalk:
    walk = EnvelopeWalk(file)
    for segment in segments:
        if walk.current is not None and segment.tag not in ENVELOPE_TAGS:
            walk.current.body.append(segment)
        else:
            _HANDLERS.get(segment.tag, _outside_a_set)(walk, segment)
    _close_at_end_of_file(walk, segments, tail)
    return walk


def _open_interchange(walk: EnvelopeWalk, isa: X12Segment) -> None:
    if walk.interchange is not None:
        _close_interchange_unended(walk, isa.position, "a new ISA interchange starts")
    walk.interchange = Interchange(isa)
    walk.interchanges.append(walk.interchange)
    if len(isa.elements) != 17:
        walk.interchange.errors.append(walk.error(isa, f"ISA has {len(isa.elements) - 1} elements, not 16",
                                                  code="024"))


def _open_group(walk: EnvelopeWalk, gs: X12Segment) -> None:
    if walk.interchange is None:
        walk.stray_errors.append(walk.error(gs, "GS appears outside an ISA interchange"))
        return
    if walk.group is not None:
        _close_group_unended(walk, gs.position, "a new GS group starts")
    walk.group = Group(gs)
    walk.interchange.groups.append(walk.group)


def _open_set(walk: EnvelopeWalk, st: X12Segment) -> None:
    if walk.group is None:
        _stray(walk, walk.error(st, "ST appears outside a GS functional group", code="024"))
        return
    if walk.current is not None:
        _close_set_unended(walk, st.position, "a new ST transaction set starts")
    walk.current = TransactionSet(st)
    walk.group.sets.append(walk.current)


def _close_set(walk: EnvelopeWalk, se: X12Segment) -> None:
    ts = walk.current
    if ts is None:
        _stray(walk, walk.error(se, "SE appears without an open ST transaction set", code="024"))
        return
    control = ts.header.get(2)
    if se.get(2) != control:
        ts.errors.append(walk.error(se, f"SE02 {se.get(2)!r} does not match ST02 {control!r}", "SE02", "3"))
    counted = len(ts.body) + 2
    _check_count(walk, ts.errors, se, 1, counted, "segments from ST to SE", "4")
    walk.current = None


def _close_group(walk: EnvelopeWalk, ge: X12Segment) -> None:
    group = walk.group
    if group is None:
        _stray(walk, walk.error(ge, "GE appears without an open GS group", code="024"))
        return
    if walk.current is not None:
        _close_set_unended(walk, ge.position, "GE closes the group")
    control = group.header.get(6)
    if ge.get(2) != control:
        group.errors.append(walk.error(ge, f"GE02 {ge.get(2)!r} does not match GS06 {control!r}", "GE02", "4"))
    _check_count(walk, group.errors, ge, 1, len(group.sets), "transaction sets in the group", "5")
    walk.group = None


def _close_interchange(walk: EnvelopeWalk, iea: X12Segment) -> None:
    interchange = walk.interchange
    if interchange is None:
        walk.stray_errors.append(walk.error(iea, "IEA appears without an open ISA interchange"))
        return
    if walk.group is not None:
        _close_group_unended(walk, iea.position, "IEA closes the interchange")
    control = interchange.header.get(13)
    if iea.get(2) != control:
        interchange.errors.append(
            walk.error(iea, f"IEA02 {iea.get(2)!r} does not match ISA13 {control!r}", "IEA02", "001"))
    _check_count(walk, interchange.errors, iea, 1, len(interchange.groups), "groups in the interchange", "021")
    walk.interchange = None


def _check_count(walk: EnvelopeWalk, errors: list[FormatError], trailer: X12Segment, index: int,
                 counted: int, what: str, code: str) -> None:
    stated = trailer.get(index)
    name = f"{trailer.tag}{index:02d}"
    if not stated.isdigit():
        errors.append(walk.error(trailer, f"{name} {stated!r} is not a count", name, code))
    elif int(stated) != counted:
        errors.append(walk.error(trailer, f"{name} says {int(stated)} {what}, the file has {counted}", name, code))


def _interchange_acknowledgement(walk: EnvelopeWalk, ta1: X12Segment) -> None:
    """TA1 sits between ISA and the first GS; anywhere else it is out of place."""
    if walk.interchange is None or walk.interchange.groups:
        _outside_a_set(walk, ta1)


def _outside_a_set(walk: EnvelopeWalk, segment: X12Segment) -> None:
    _stray(walk, walk.error(segment, f"{segment.tag} appears outside an ST transaction set", code="024"))


def _stray(walk: EnvelopeWalk, error: FormatError) -> None:
    (walk.interchange.errors if walk.interchange else walk.stray_errors).append(error)


def _missing(walk: EnvelopeWalk, tag: str, at: int, message: str, code: str) -> FormatError:
    return FormatError(message, file=walk.file, segment=tag, position=at, code=code)


def _close_set_unended(walk: EnvelopeWalk, at: int, reason: str) -> None:
    ts = walk.current
    if ts is not None:
        ts.errors.append(_missing(walk, "SE", at, f"SE is missing: {reason} before transaction set "
                                                  f"{ts.header.get(2)!r} (ST at segment {ts.header.position}) "
                                                  "was closed", "2"))
    walk.current = None


def _close_group_unended(walk: EnvelopeWalk, at: int, reason: str) -> None:
    _close_set_unended(walk, at, reason)
    group = walk.group
    if group is not None:
        group.errors.append(_missing(walk, "GE", at, f"GE is missing: {reason} before group "
                                                     f"{group.header.get(6)!r} was closed", "3"))
    walk.group = None


def _close_interchange_unended(walk: EnvelopeWalk, at: int, reason: str) -> None:
    _close_group_unended(walk, at, reason)
    interchange = walk.interchange
    if interchange is not None:
        interchange.errors.append(_missing(walk, "IEA", at, f"IEA is missing: {reason} before interchange "
                                                            f"{interchange.header.get(13)!r} was closed", "023"))
    walk.interchange = None


def _close_at_end_of_file(walk: EnvelopeWalk, segments: list[X12Segment], tail: str) -> None:
    end = len(segments) + 1
    if tail:
        walk.stray_errors.append(_missing(walk, leading_tag(tail), end, "the file ends inside a segment, without its "
                                                   f"terminator: {tail[:20]!r}", "023"))
    reason = "the file ends (truncated)"
    if walk.interchange is not None:
        _close_interchange_unended(walk, end, reason)
    elif walk.group is not None:
        _close_group_unended(walk, end, reason)


_HANDLERS = {
    "ISA": _open_interchange, "GS": _open_group, "ST": _open_set,
    "SE": _close_set, "GE": _close_group, "IEA": _close_interchange, "TA1": _interchange_acknowledgement,
}
