"""Helpers for the browser tests."""

# An <img>'s natural width once it has loaded (0 if it failed): a page is there when its
# navigation ends, its images may still be on their way.
_LOADED_WIDTH = (
    "img => img.complete ? img.naturalWidth : new Promise(done => {"
    " img.addEventListener('load', () => done(img.naturalWidth));"
    " img.addEventListener('error', () => done(0)); })"
)


def loaded_width(image) -> int:
    """``image``: a Playwright locator of one <img>."""
    return image.evaluate(_LOADED_WIDTH)
