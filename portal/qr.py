"""QR codes as SVG, made on the server with segno (no images, no JavaScript, no outside service)."""

import io

import segno

# Medium error correction survives a worn or slightly stained printed card.
ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules; the QR standard's minimum, which phone scanners rely on


def _make(url: str) -> segno.QRCode:
    # make_qr, not make: a short URL would otherwise become a Micro QR code, which most phone
    # scanners (WeChat's among them) cannot read.
    return segno.make_qr(url, error=ERROR_LEVEL)


def qr_svg(url: str, *, title: str = "", standalone: bool = False) -> str:
    """The QR code of `url` as SVG markup.

    Inline (the default) it has a viewBox but no size, so CSS sizes it (in mm on printed cards).
    `standalone` gives a complete SVG document, with XML declaration and namespace, to serve
    as an image/svg+xml file.
    """
    qr = _make(url)
    options = {
        "border": QUIET_ZONE,
        "dark": "#000",
        "light": "#fff",
        "title": title or None,
        "svgclass": "qr-code",
    }
    if not standalone:
        return qr.svg_inline(omitsize=True, **options)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=8, xmldecl=True, svgns=True, encoding="utf-8", **options)
    return out.getvalue().decode("utf-8")
