"""Photos of an exemplar: checked by content, then re-encoded by the server.

The upload gate (core.uploads) decides from the bytes that it is a JPEG or PNG — an SVG or a web
page named ``.jpg`` is refused — and refuses a file over the limit before reading it all. Pillow
then decodes it (a file that does not decode, or claims more pixels than a camera makes, is
refused), turns it upright from its EXIF orientation, shrinks it to at most
``limits.PHOTO_LONG_SIDE`` pixels on its long side and writes a new JPEG with no metadata at all:
no GPS position, no camera serial, no date. Only that new file is stored.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from thidua.core.uploads import check_upload, human_size
from thidua.exemplars import limits


@dataclass(frozen=True)
class Photo:
    data: bytes
    width: int
    height: int
    sha256: str
    original_name: str


def prepare(uploaded) -> Photo:
    """The stored form of an uploaded photo, or ValidationError with a Vietnamese message."""
    checked = check_upload(uploaded, allowed={"jpeg", "png"}, max_bytes=limits.PHOTO_MAX_BYTES)
    name = checked.original_name
    unreadable = ValidationError(
        _("Ảnh “%(name)s” bị hỏng hoặc không đọc được; hãy chụp hoặc xuất lại ảnh.") % {"name": name},
        code="bad_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            uploaded.seek(0)
            image = Image.open(uploaded)
            if image.width * image.height > limits.PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("Ảnh “%(name)s” quá lớn (%(w)s × %(h)s điểm ảnh); hãy thu nhỏ ảnh rồi tải lên "
                      "lại.") % {"name": name, "w": image.width, "h": image.height},
                    code="too_many_pixels")
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("Ảnh “%(name)s” quá lớn so với giới hạn %(limit)s.")
                              % {"name": name, "limit": human_size(limits.PHOTO_MAX_BYTES)},
                              code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable from None
    finally:
        uploaded.seek(0)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((limits.PHOTO_LONG_SIDE, limits.PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image object carries no EXIF, XMP or ICC data unless given: none is given.
    image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    data = out.getvalue()
    return Photo(data=data, width=image.width, height=image.height,
                 sha256=hashlib.sha256(data).hexdigest(), original_name=name)
