"""The protobuf wire format, just enough to walk a caffemodel (or a binaryproto mean
file) without decoding its floats.  Kept outside ``weights/`` so that reading a mean
file does not import the weight-copy machinery at lint start-up.

``fields(buf, start, end)`` yields Field records with byte offsets, so callers can
copy untouched byte ranges verbatim (surgery) and skip payloads (scanning).
Malformed input raises WireError with the byte offset where it went wrong.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple, Tuple

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5


class WireError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(f"{message} at byte {offset}")
        self.offset = offset


class Field(NamedTuple):
    """One field: number, wire type, where its key starts, where its value starts/ends.

    For VARINT fields ``value`` is the decoded integer; otherwise it is None and the
    payload is ``buf[value_start:end]``.
    """

    number: int
    wire: int
    start: int
    value_start: int
    end: int
    value: object = None


def read_varint(buf, pos: int, end: int) -> Tuple[int, int]:
    result = shift = 0
    start = pos
    while True:
        if pos >= end:
            raise WireError("truncated varint", start)
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise WireError("varint longer than 10 bytes", start)


def fields(buf, start: int = 0, end: int = -1) -> Iterator[Field]:
    """Every field of the message in ``buf[start:end]``, payloads not decoded."""
    end = len(buf) if end < 0 else end
    pos = start
    while pos < end:
        key_at = pos
        key, pos = read_varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise WireError("field number 0", key_at)
        value = None
        if wire == VARINT:
            value, pos = read_varint(buf, pos, end)
            value_at = pos
        elif wire == LENGTH:
            length, value_at = read_varint(buf, pos, end)
            pos = value_at + length
        elif wire in (FIXED64, FIXED32):
            value_at = pos
            pos += 8 if wire == FIXED64 else 4
        else:
            raise WireError(f"unsupported wire type {wire} (field {number})", key_at)
        if pos > end:
            raise WireError(f"field {number} runs past the end of its message (truncated file?)", key_at)
        yield Field(number, wire, key_at, value_at, pos, value)


def varints(buf, start: int, end: int) -> Iterator[int]:
    """The values of a packed repeated varint field."""
    pos = start
    while pos < end:
        value, pos = read_varint(buf, pos, end)
        yield value


def encode_varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64   # int32/int64 negatives are ten-byte two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_key(number: int, wire: int) -> bytes:
    return encode_varint((number << 3) | wire)


def encode_length_field(number: int, payload_size: int) -> bytes:
    """Key and length prefix of a length-delimited field (the payload follows)."""
    return encode_key(number, LENGTH) + encode_varint(payload_size)


def signed32(value: int) -> int:
    """An int32 field decoded from its varint (negatives arrive as 64-bit two's complement)."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value
