"""The bundle file: gzip-compressed JSON with a format name, a version and a SHA-256 checksum.

``{"format": "facilitate-bundle", "version": 1, "sha256": HEX, "content": {...}}``, where the
checksum is taken over the content written as canonical JSON (keys sorted, no spaces, UTF-8).
Reading refuses, with a message a person can act on, anything that is not such a file: another
kind of file, a damaged or cut-short one, a checksum that does not match, or a newer version.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib

from flask_babel import gettext as _

FORMAT = "facilitate-bundle"
VERSION = 1
#: What a bundle may unpack to at most; a real event's is a few megabytes.
MAX_UNPACKED = 256 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class BundleProblem(Exception):
    """Why a bundle cannot be read or merged; nothing was changed."""


def _canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def pack(content: dict) -> bytes:
    """The bundle file's bytes for ``content``."""
    envelope = {
        "format": FORMAT,
        "version": VERSION,
        "sha256": hashlib.sha256(_canonical(content)).hexdigest(),
        "content": content,
    }
    text = json.dumps(envelope, ensure_ascii=False, indent=1).encode()
    return gzip.compress(text, mtime=0)


def _unpack_bytes(data: bytes) -> bytes:
    if not data.startswith(_GZIP_MAGIC):
        raise BundleProblem(
            _(
                "This is not a Facilitate bundle: make one with `facilitate bundle export` "
                "(its name usually ends in .bundle)."
            )
        )
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
            text = unpacked.read(MAX_UNPACKED + 1)
    except (OSError, EOFError, zlib.error):
        raise BundleProblem(
            _(
                "This bundle is damaged or cut short (it does not unpack). "
                "Export it again and copy the whole file."
            )
        ) from None
    if len(text) > MAX_UNPACKED:
        raise BundleProblem(
            _("This bundle unpacks to more than 256 MB; it cannot be a real event.")
        )
    return text


def unpack(data: bytes) -> dict:
    """The content of a bundle file, checked; ``BundleProblem`` says what is wrong."""
    text = _unpack_bytes(data)
    try:
        envelope = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise BundleProblem(
            _("This bundle is damaged: what it unpacks to is not readable JSON. Export it again.")
        ) from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise BundleProblem(
            _(
                'This file is compressed JSON, but not a Facilitate bundle (no "format": '
                '"%(format)s" in it).',
                format=FORMAT,
            )
        )
    version = envelope.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleProblem(_("This bundle has no valid version number; it is damaged."))
    if version > VERSION:
        raise BundleProblem(
            _(
                "This bundle was made by a newer Facilitate (bundle version %(version)s); this "
                "one reads version %(readable)s. Update Facilitate on this machine, then import "
                "it again.",
                version=version,
                readable=VERSION,
            )
        )
    content = envelope.get("content")
    if not isinstance(content, dict) or not isinstance(envelope.get("sha256"), str):
        raise BundleProblem(_("This bundle is damaged: its content or its checksum is missing."))
    if hashlib.sha256(_canonical(content)).hexdigest() != envelope["sha256"].lower():
        raise BundleProblem(
            _("This bundle is damaged: its checksum does not match what it holds. Export it again.")
        )
    return content
