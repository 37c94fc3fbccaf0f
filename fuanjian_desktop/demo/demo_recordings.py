"""Demo evidence files a camera or a 执法记录仪 would hand over: site photos and a short audio.

The demo has no camera, so its photos are drawn: a workshop corner (wall, floor, stacked
goods) with what the photo proves in it — an emergency exit blocked by cartons, a fire
extinguisher on the floor, a tangle of temporary wiring — saved as JPEG with the capture time
and camera in EXIF, as a phone or a 执法记录仪 writes them. The audio is a few hundred
milliseconds of a voice-like tone in a WAV (stdlib ``wave``): a few kilobytes, enough to import
as a 执法记录仪 record and show the 音像资料目录. Deterministic for the ``random.Random`` passed in.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import wave
from enum import StrEnum

from PIL import Image, ImageDraw, ImageFilter

from fuanjian_desktop.demo.demo_paper import grainy

PHOTO_SIZE = (960, 720)
CAMERA = ("HUAWEI", "ALN-AL00")  # a phone an inspector carries (EXIF text is ASCII)
EXIF_IFD, DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x8769, 0x9003, 0x9011
MAKE, MODEL = 0x010F, 0x0110
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
SAMPLE_RATE = 8000  # telephone-quality mono, as a body camera's audio track
AUDIO_SECONDS = 0.4


class Scene(StrEnum):
    """What a drawn site photo shows."""

    BLOCKED_EXIT = "blocked_exit"
    EXTINGUISHER = "extinguisher"
    WIRING = "wiring"


def site_photo(
    scene: Scene, taken: dt.datetime, rng: random.Random, size: tuple[int, int] = PHOTO_SIZE
) -> bytes:
    """A JPEG of ``scene`` in a workshop corner, ``size`` pixels, with ``taken`` (aware) as
    its EXIF time (drawn at :data:`PHOTO_SIZE`, then scaled, so any size looks alike)."""
    width, height = PHOTO_SIZE
    horizon = int(height * rng.uniform(0.58, 0.66))
    image = Image.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    wall = (rng.randint(196, 216), rng.randint(192, 208), rng.randint(176, 192))
    for y in range(horizon):  # ceiling light falls off down the wall
        shade = 1 - 0.18 * y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c * shade) for c in wall))
    draw.rectangle([0, horizon, width, height], fill=(112, 116, 110))
    for x in range(-width, 2 * width, 120):  # floor tiles in perspective
        draw.line([(width // 2 + (x - width // 2) // 3, horizon), (x, height)], (96, 98, 94), 2)
    _scene(draw, scene, horizon, rng)
    soft = image.filter(ImageFilter.GaussianBlur(1.1))
    if size != PHOTO_SIZE:
        soft = soft.resize(size, Image.Resampling.BILINEAR)
    grain = grainy(size, 14).convert("RGB")
    photo = Image.blend(soft, grain, 0.06)
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = CAMERA
    local = taken.astimezone(CHINA_TIME)
    exif[EXIF_IFD] = {
        DATE_TIME_ORIGINAL: local.strftime("%Y:%m:%d %H:%M:%S"),
        OFFSET_TIME_ORIGINAL: "+08:00",
    }
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def _scene(draw: ImageDraw.ImageDraw, scene: Scene, horizon: int, rng: random.Random) -> None:
    width = PHOTO_SIZE[0]
    if scene is Scene.BLOCKED_EXIT:
        door = (int(width * 0.38), horizon - 300, int(width * 0.62), horizon + 20)
        draw.rectangle(door, fill=(86, 104, 96), outline=(60, 60, 60), width=4)
        draw.rectangle([door[0] + 30, door[1] - 70, door[2] - 30, door[1] - 20], (20, 140, 70))
        draw.rectangle([door[0] + 44, door[1] - 62, door[0] + 76, door[1] - 28], (235, 245, 235))
        _cartons(draw, door[0] - 60, door[2] + 60, horizon + 60, rng)
    elif scene is Scene.EXTINGUISHER:
        _cartons(draw, 40, int(width * 0.45), horizon + 40, rng)
        left, bottom = int(width * 0.62), horizon + 150
        draw.rounded_rectangle([left, bottom - 190, left + 70, bottom], 26, fill=(196, 30, 28))
        draw.rectangle([left + 22, bottom - 225, left + 48, bottom - 190], fill=(40, 40, 40))
        draw.line([(left + 48, bottom - 215), (left + 110, bottom - 150)], (30, 30, 30), 6)
        draw.rectangle([left + 12, bottom - 150, left + 58, bottom - 100], fill=(236, 236, 230))
    else:
        board = (int(width * 0.55), horizon - 260, int(width * 0.8), horizon - 80)
        draw.rectangle(board, fill=(222, 222, 214), outline=(90, 90, 90), width=3)
        for _ in range(9):
            start = (rng.randint(board[0], board[2]), board[3])
            end = (rng.randint(20, width - 20), rng.randint(horizon - 40, horizon + 180))
            bend = (rng.randint(0, width), rng.randint(horizon - 200, horizon + 100))
            colour = rng.choice([(30, 30, 30), (200, 40, 30), (230, 200, 40), (40, 80, 200)])
            draw.line(_sagging(start, bend, end), fill=colour, width=4, joint="curve")


def _sagging(
    start: tuple[int, int], bend: tuple[int, int], end: tuple[int, int]
) -> list[tuple[float, float]]:
    """A loose cable from ``start`` to ``end`` pulled towards ``bend`` (a quadratic Bézier)."""
    return [
        (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * bend[0] + t * t * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * bend[1] + t * t * end[1],
        )
        for t in (step / 20 for step in range(21))
    ]


def _cartons(
    draw: ImageDraw.ImageDraw, left: int, right: int, floor: int, rng: random.Random
) -> None:
    """Cardboard cartons stacked two or three high between ``left`` and ``right``."""
    x = left
    while x < right:
        box = rng.randint(90, 140)
        for level in range(rng.randint(2, 3)):
            top = floor - box * (level + 1) + rng.randint(-6, 6)
            brown = (rng.randint(150, 178), rng.randint(112, 130), rng.randint(70, 86))
            draw.rectangle([x, top, x + box, top + box], fill=brown, outline=(96, 70, 44), width=2)
            draw.line([(x + box // 2, top), (x + box // 2, top + box)], (200, 186, 150), 8)
        x += box + rng.randint(2, 10)


def recorder_audio(rng: random.Random) -> bytes:
    """A short mono 8 kHz WAV of a voice-like warble: what a body camera's audio track holds."""
    pitch = rng.uniform(140, 220)
    frames = bytearray()
    for n in range(int(SAMPLE_RATE * AUDIO_SECONDS)):
        t = n / SAMPLE_RATE
        voice = math.sin(2 * math.pi * pitch * t * (1 + 0.05 * math.sin(2 * math.pi * 3 * t)))
        envelope = 0.5 - 0.5 * math.cos(2 * math.pi * t / AUDIO_SECONDS)
        frames += int(128 + 90 * envelope * voice + rng.uniform(-4, 4)).to_bytes(1, "little")
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(SAMPLE_RATE)
        audio.writeframes(bytes(frames))
    return out.getvalue()
