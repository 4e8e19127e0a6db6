"""Columns of a compiled wordlist packed into a few flat buffers.

A list of a million identifiers held as Python objects (a str per client id, a tuple per
group of targets) costs over a hundred bytes per item in memory, and unpickling it
allocates every object again on each cold start; a bytes blob and an array unpickle as
one copy each.
"""

from __future__ import annotations

import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PackedStrings:
    """Strings stored end to end in one UTF-8 blob; string i is blob[offsets[i]:offsets[i + 1]]."""

    blob: bytes
    offsets: array.array[int]

    @classmethod
    def pack(cls, strings: Iterable[str]) -> PackedStrings:
        blob = bytearray()
        offsets = array.array("I", [0])
        for string in strings:
            blob += string.encode()
            offsets.append(len(blob))
        return cls(bytes(blob), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        return self.blob[self.offsets[index] : self.offsets[index + 1]].decode()


@dataclass(frozen=True)
class PackedTuples:
    """Tuples of integers stored end to end; tuple i is items[starts[i]:starts[i + 1]]."""

    items: array.array[int]
    starts: array.array[int]

    @classmethod
    def pack(cls, tuples: Iterable[Sequence[int]]) -> PackedTuples:
        items = array.array("i")
        starts = array.array("I", [0])
        for values in tuples:
            items.extend(values)
            starts.append(len(items))
        return cls(items, starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, index: int) -> tuple[int, ...]:
        return tuple(self.items[self.starts[index] : self.starts[index + 1]])
