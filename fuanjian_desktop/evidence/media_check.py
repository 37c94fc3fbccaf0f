"""Recognising an audio-video file (执法记录仪, recorder) by its first bytes.

A recording is stored as it came off the device, of any size, and never decoded: the dossier
lists it, never plays or embeds it. Only its container is recognised from the signature at
its start, so that a document or a photo chosen by mistake is refused, and the stored copy
gets the extension a player expects whatever the file was called.
"""

from __future__ import annotations

from dataclasses import dataclass

# enough for every signature below (RIFF form type at 8, ftyp brand at 8, EBML doc type)
HEAD_BYTES = 64

NOT_MEDIA = (
    "文件内容不是常见的视频或音频格式（支持 MP4、MOV、AVI、MKV、MP3、WAV、M4A、AMR 等，"
    "按内容判断，与文件名无关），请选择执法记录仪或录音设备导出的原始文件"
)
EMPTY = "文件是空的（0 字节），可能没有复制完，请从执法记录仪重新导出后再导入"


class MediaRejected(Exception):
    """A file that cannot be taken as an audio-video record; ``reason`` is Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MediaFormat:
    """A recognised container: the stored file's extension and whether it is sound only."""

    extension: str
    kind: str  # "video" or "audio"


# ISO base media (``ftyp`` box) brands that are not a plain .mp4
_FTYP_BRANDS = {
    b"qt  ": MediaFormat(".mov", "video"),
    b"M4A ": MediaFormat(".m4a", "audio"),
    b"M4B ": MediaFormat(".m4a", "audio"),
    b"3gp4": MediaFormat(".3gp", "video"),
    b"3gp5": MediaFormat(".3gp", "video"),
    b"3gp6": MediaFormat(".3gp", "video"),
    b"3g2a": MediaFormat(".3g2", "video"),
}
_MP4 = MediaFormat(".mp4", "video")
_RIFF_FORMS = {b"AVI ": MediaFormat(".avi", "video"), b"WAVE": MediaFormat(".wav", "audio")}
_PREFIXES = (
    (b"#!AMR", MediaFormat(".amr", "audio")),
    (b"fLaC", MediaFormat(".flac", "audio")),
    (b"OggS", MediaFormat(".ogg", "audio")),
    (b"ID3", MediaFormat(".mp3", "audio")),
    (b"\x00\x00\x01\xba", MediaFormat(".mpg", "video")),
)
_EBML = b"\x1a\x45\xdf\xa3"


def media_format(head: bytes) -> MediaFormat:
    """The container of a file starting with ``head`` (its first :data:`HEAD_BYTES`)."""
    if not head:
        raise MediaRejected(EMPTY)
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], _MP4)
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_FORMS:
        return _RIFF_FORMS[head[8:12]]
    if head.startswith(_EBML):
        return MediaFormat(".webm" if b"webm" in head else ".mkv", "video")
    for prefix, found in _PREFIXES:
        if head.startswith(prefix):
            return found
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
        return MediaFormat(".aac" if head[1] & 0x06 == 0 else ".mp3", "audio")
    raise MediaRejected(NOT_MEDIA)
