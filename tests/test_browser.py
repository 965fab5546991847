"""The bilingual WebVTT shows both languages on a video frame in a real browser.

Headless Chromium (Debian ``chromium``, CJK font ``fonts-wqy-zenhei``) loads a
page with a ``<video>`` and the VTT written by ``subalign run`` as a
``<track>``, served from a loopback HTTP server; the screenshot must show two
separate bands of text (Chinese line, English line) where the English-only
track shows one.  The last screenshot is kept in ``tests/.artifacts/`` to be
looked at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import make_video, run_cli

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).parent / ".artifacts"

PAGE = """<!DOCTYPE html><html><body style="margin:0;background:#000">
<video id="v" width="640" height="360" muted autoplay preload="auto" src="clip.webm">
<track kind="subtitles" srclang="zh-Hans" label="subtitles" src="{track}" default></video>
<script>document.getElementById('v').textTracks[0].mode = 'showing';</script>
</body></html>"""


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (.ci/run installs it)")
        pytest.skip("chromium not installed")
    return exe


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str) -> Iterator[tuple[Path, int]]:
    root = tmp_path_factory.mktemp("site")
    ep = root / "chat.md"
    ep.write_text(
        "# Chat\n\n**Sarah:** Hi, listeners. Welcome back to No Priors.\n\n**Sarah：** 大家好，欢迎收听 No Priors。\n",
        encoding="utf-8",
    )
    done = run_cli("-q", "run", str(ep), "--duration", "0:06", "-o", str(root))
    assert done.returncode == 0, done.stderr
    make_video(ffmpeg, root / "clip.webm", seconds=6)
    for name, track in (("bilingual.html", "chat.en-zh.vtt"), ("english.html", "chat.en.vtt")):
        (root / name).write_text(PAGE.format(track=track), encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, server.server_address[1]
    finally:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def screenshot(chromium: str, url: str, out: Path, profile: Path) -> Path:
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=640,360",
            "--virtual-time-budget=3000",
            f"--screenshot={out}",
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert out.exists()
    return out


def text_bands(png: Path, ffmpeg: str) -> int:
    """Bands of consecutive pixel rows holding bright (text) pixels, decoded with ffmpeg."""
    raw = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(png), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
        check=True,
    ).stdout
    width = 640
    rows = [raw[i : i + width] for i in range(0, len(raw), width)]
    bright = [sum(1 for px in row if px > 200) >= 3 for row in rows]
    bands, inside = 0, False
    for b in bright:
        if b and not inside:
            bands += 1
        inside = b
    return bands


def test_both_languages_show_on_the_frame(chromium: str, site: tuple[Path, int], ffmpeg: str, tmp_path: Path) -> None:
    _, port = site
    ARTIFACTS.mkdir(exist_ok=True)
    bi = screenshot(chromium, f"http://127.0.0.1:{port}/bilingual.html", tmp_path / "bi.png", tmp_path / "p1")
    en = screenshot(chromium, f"http://127.0.0.1:{port}/english.html", tmp_path / "en.png", tmp_path / "p2")
    shutil.copy(bi, ARTIFACTS / "bilingual-vtt-in-chromium.png")
    assert text_bands(en, ffmpeg) == 1
    assert text_bands(bi, ffmpeg) == 2
