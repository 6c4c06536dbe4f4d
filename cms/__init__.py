"""The public debate site, run on Wagtail."""
