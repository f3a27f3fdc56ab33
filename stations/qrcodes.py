"""QR codes for the notice board: an SVG, drawn here, that opens the station's online form."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """A scalable SVG (prints sharp at any size), with the standard quiet zone."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return image.to_string(encoding="unicode")
