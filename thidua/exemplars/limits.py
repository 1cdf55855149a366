"""How long each text of an exemplar or a suggestion may be, in characters of normalised text."""

TITLE = 200
SUMMARY = 500
STORY = 20_000  # characters of the sanitised HTML
NAME = 150
PLACE = 200
CONSENT_NOTE = 300
REASON = 1000
ALT_TEXT = 200
PHOTOS = 6

SUGGESTION_NAME = 150
SUGGESTION_CONTACT = 150
SUGGESTION_TEXT = 4000

# Photos: what a phone sends is fine; anything bigger is not a photo of a good deed.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_LONG_SIDE = 1600  # stored size: enough for a page, light on a slow connection
