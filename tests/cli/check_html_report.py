#!/usr/bin/env python3
"""Renders a territory-cli HTML report (plan --html) in headless Chromium and checks that a
person would see a report: the DOM has the territory table with one row per territory, the
constraints table and the map, and the screenshot is not blank (many distinct colours, a good
share of non-white pixels). Fails (exit 1) when Chromium is missing: CI installs it
(scripts/install-deps.sh). Standard library only (the PNG is decoded with zlib).

usage: check_html_report.py CHROMIUM REPORT.html ROWS SCREENSHOT.png
"""
import os
import struct
import subprocess
import sys
import tempfile
import zlib


def fail(msg):
    print(f"check_html_report: FAIL: {msg}")
    sys.exit(1)


def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                fail(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def main():
    if len(sys.argv) != 5:
        fail(__doc__.strip().splitlines()[-1])
    chromium, html, rows, shot = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if not chromium or chromium.endswith("NOTFOUND") or not os.path.exists(chromium):
        fail("chromium not found: install it (bash scripts/install-deps.sh installs Debian's 'chromium')")
    if not os.path.exists(html):
        fail(f"{html} was not written")
    with tempfile.TemporaryDirectory() as profile:
        common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                  "--disable-extensions", f"--user-data-dir={profile}", "--window-size=1400,2200"]
        url = "file://" + html
        if os.path.exists(shot):
            os.remove(shot)
        r = subprocess.run(common + [f"--screenshot={shot}", url], capture_output=True, text=True, timeout=180)
        if r.returncode != 0 or not os.path.exists(shot):
            fail(f"chromium --screenshot exited {r.returncode}: {r.stderr.strip()[-500:]}")
        d = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=180)
        if d.returncode != 0:
            fail(f"chromium --dump-dom exited {d.returncode}: {d.stderr.strip()[-500:]}")
    dom = d.stdout
    found = dom.count('<tr class="territory-row">')
    if found != rows:
        fail(f"the rendered DOM has {found} territory rows, expected {rows}")
    for what in ('id="territory-table"', 'id="constraints-table"', 'id="fairness-table"', "<svg", 'id="verdict"'):
        if what not in dom:
            fail(f"the rendered DOM lacks {what}")
    w, h, pixels, bpp = png_pixels(shot)
    colours, white = set(), 0
    for line in pixels:
        for x in range(0, len(line), bpp):
            px = line[x:x + 3]
            colours.add(px)
            if px == b"\xff\xff\xff":
                white += 1
    share = 1 - white / (w * h)
    print(f"check_html_report: {found} territory rows; screenshot {w}x{h}, {len(colours)} distinct colours, "
          f"{100 * share:.1f} % non-white")
    if len(colours) < 64:
        fail(f"the screenshot has only {len(colours)} distinct colours: blank or unstyled page")
    if share < 0.05:
        fail(f"the screenshot is {100 * (1 - share):.1f} % white: nothing was drawn")
    print("check_html_report: ok")


if __name__ == "__main__":
    main()
