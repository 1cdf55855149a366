"""Stop oversized uploads while they stream in, before they fill the disk.

`core.uploads.check_upload` decides what is stored; this handler only makes sure a 2 GB file is
not written to a temporary file first. A skipped file is noted on the request so the view can
say why, in Vietnamese, instead of "this field is required".
"""

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler

from thidua.core.uploads import MAX_UPLOAD_BYTES


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        self.received = 0
        self.limit = getattr(settings, "THIDUA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.oversized_uploads = [*getattr(self.request, "oversized_uploads", []),
                                              self.file_name]
            self.file.close()
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
