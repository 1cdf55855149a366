"""`thidua worker` whose certificate printing takes ``SLOW_PAGE_SECONDS`` per page: long enough
for a test to kill it in the middle of a batch. Everything else is the real worker."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from thidua.documents import certificates  # noqa: E402

SLOW = float(os.environ.get("SLOW_PAGE_SECONDS", "2"))
real_render = certificates.render


def slow_render(texts, layout, *, progress=None, every=25, **kwargs):
    def slow_progress(done):
        progress(done)
        time.sleep(SLOW)

    return real_render(texts, layout, progress=slow_progress if progress else None, every=1,
                       **kwargs)


certificates.render = slow_render
call_command("worker", *sys.argv[1:])
