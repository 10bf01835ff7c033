"""The browser harness sees what a real browser did: scripts, event handlers, escaping, PNGs."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.browser import at_width, dump_dom, needs_chromium, screenshot

PAYLOAD = '<img src=x onerror="document.body.dataset.pwned=1">'


def write_page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "page.html"
    page.write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><title>t</title></head>'
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return page


@needs_chromium
def test_inline_scripts_run(tmp_path):
    dom = dump_dom(write_page(tmp_path, (
        "<script>document.body.dataset.ran = 'yes';"
        "const p = document.createElement('p'); p.id = 'added'; p.textContent = 'from script';"
        "document.body.appendChild(p);</script>"
    )))
    assert 'data-ran="yes"' in dom
    assert '<p id="added">from script</p>' in dom


@needs_chromium
def test_event_handlers_run(tmp_path):
    dom = dump_dom(write_page(tmp_path, PAYLOAD))
    assert 'data-pwned="1"' in dom


@needs_chromium
def test_escaped_payload_is_only_text(tmp_path):
    escaped = PAYLOAD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    dom = dump_dom(write_page(tmp_path, f"<p id='note'>{escaped}</p>"))
    assert "data-pwned" not in dom
    assert "<img" not in dom
    assert f'<p id="note">{escaped}</p>' in dom  # the serializer re-escapes the text


@needs_chromium
def test_screenshot_is_a_png_of_the_window_size(tmp_path):
    page = write_page(tmp_path, "<h1 style='color: red'>Report</h1>")
    png = screenshot(page, tmp_path / "shot.png", width=800, height=600)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (800, 600)


@needs_chromium
def test_a_page_is_laid_out_and_measured_at_a_phones_width(tmp_path):
    """Below the 500 px a headless window keeps to, over the DevTools protocol; the browser
    evaluates the measure, so a page under a policy that forbids scripts is measured too."""
    page = write_page(tmp_path, "<div id='wide' style='width: 1000px'>x</div>")
    page.write_text(page.read_text().replace(
        "<head>", "<head><meta http-equiv='Content-Security-Policy' content=\"default-src "
        "'none'; style-src 'unsafe-inline'\"><meta name='viewport' content='width=device-width'>"))
    png = tmp_path / "phone.png"
    found = at_width(page, 360, 640, "[window.innerWidth, document.getElementById('wide')"
                     ".getBoundingClientRect().right]", png)
    assert found == [360, 1008]  # the viewport's width; the 1000 px box past its edge
    assert struct.unpack(">II", png.read_bytes()[16:24]) == (360, 640)
