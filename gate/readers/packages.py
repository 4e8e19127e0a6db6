"""ZIP archives: an Office file (Word, Excel, PowerPoint: `[Content_Types].xml`) or an
OpenDocument file (its `mimetype` member) is read; any other archive is not.

What a member unpacks to is counted as it is unpacked, not taken from the archive's
directory (a zip bomb's directory lies), against one budget for the whole file.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib

from gate.readers import Budget, NoReader, Part, Unread, read_inside, reader_module
from gate.readers.detect import detect

OFFICE_MARKER = "[Content_Types].xml"
ODF_MARKER = "mimetype"
ODF_MIMETYPE = b"application/vnd.oasis.opendocument."
UNREAD_PICTURES = (".emf", ".wmf")  # Windows metafiles: their text is not read
ODF_MANIFEST, ODF_CONTENT = "META-INF/manifest.xml", "content.xml"
# What a broken or unsupported archive raises while it is opened or unpacked.
_BROKEN = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, ValueError, OSError)


def read(data: bytes, kind: str, budget: Budget) -> list[Part]:
    """An Office file, an OpenDocument file, or both: a file with both markers opens in one
    program as the one and in another as the other, so it is read both ways."""
    archive = _open(data, budget)
    names = set(archive.namelist())
    opendocument, office = _opendocument(archive, names, budget), OFFICE_MARKER in names
    if not (opendocument or office):
        raise NoReader("a ZIP archive, not an Office or OpenDocument file: not read")
    parts: list[Part] = []
    if opendocument:
        parts += reader_module("odf", "an OpenDocument file").read_package(Package(archive, budget))
    if office:
        parts += reader_module("ooxml", "an Office file").read_package(Package(archive, budget))
    return parts


def _opendocument(archive: zipfile.ZipFile, names: set[str], budget: Budget) -> bool:
    """Its mimetype member says so, or (LibreOffice opens one without it) it has the
    manifest and the content of one."""
    if ODF_MARKER in names:
        return Package(archive, budget).head(ODF_MARKER, len(ODF_MIMETYPE)) == ODF_MIMETYPE
    return {ODF_MANIFEST, ODF_CONTENT} <= names


def _open(data: bytes, budget: Budget) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN as error:
        # It may be a damaged document as well as an archive: not approved.
        raise Unread(f"a ZIP archive that cannot be opened ({type(error).__name__})", "save it again") from None
    members = len(archive.infolist())
    if members > budget.members:
        raise Unread(
            f"a ZIP archive of {members:,} members, over the {budget.limits.archive_members:,} "
            "of policy.toml's [limits] archive_members",
            "ask the compliance officer, or split it",
        )
    budget.members -= members
    if len(set(archive.namelist())) < members:
        # Which of two members of one name a program opens is its own choice: one is unread.
        raise Unread("a document with two members of one name", "save it again from its application")
    return archive


class Package:
    """An Office or OpenDocument file's members, unpacked within the budget."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.archive, self.budget = archive, budget

    def names(self) -> list[str]:
        return [info.filename for info in self.archive.infolist() if not info.is_dir()]

    def read(self, name: str) -> bytes:
        """The member's bytes; past the budget, or unreadable, Unread."""
        data = self.head(name, self.budget.bytes + 1)
        if len(data) > self.budget.bytes:
            raise Unread(
                f"a document that unpacks to over the {self.budget.limits.archive_bytes:,} bytes "
                "of policy.toml's [limits] archive_bytes",
                "ask the compliance officer, or make it smaller",
            )
        self.budget.bytes -= len(data)
        return data

    def head(self, name: str, size: int = 16) -> bytes:
        """The member's first `size` bytes (enough to tell its kind, by default)."""
        info = self.archive.getinfo(name)
        if info.flag_bits & 0x1:
            raise Unread("a document with an encrypted member", "save it without a password")
        try:
            with self.archive.open(info) as member:
                return member.read(size)
        except (*_BROKEN, RuntimeError) as error:
            raise Unread(
                f"a document with a member that cannot be unpacked ({type(error).__name__})", "save it again"
            ) from None

    def inside(self, name: str) -> list[Part]:
        """The parts of a member that is itself an image or a document (a photograph in a
        Word file); nothing for any other member, but a note for an embedded object the
        gate cannot read (an OLE object, a Windows metafile): its text is not checked."""
        if detect(self.head(name)):
            return read_inside(self.read(name), name, self.budget)
        if "/embeddings/" in name or name.lower().endswith(UNREAD_PICTURES):
            self.budget.note(f"{name}: an embedded object the gate does not read: not read")
        return []
