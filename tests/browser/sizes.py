"""Window sizes the browser tests use (CSS pixels)."""

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
