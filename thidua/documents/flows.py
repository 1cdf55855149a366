"""How a render job (văn bản đang tạo) moves between its states: the only way it changes state."""

from django.utils.translation import gettext_lazy as _

from thidua.core.workflow import Workflow
from thidua.documents.models import RenderedDocument

# The worker starts, finishes and fails a job for the person who asked for the document; anyone
# who may read the document retries it.
RENDER_FLOW = Workflow(
    model=RenderedDocument,
    verb_prefix="document",
    perms={"retry": "documents.follow_render"},
    organisation=lambda job: job.organisation,
    refusals={"retry": _("Chỉ tạo lại được văn bản bị lỗi hoặc bị dừng giữa chừng.")},
    verbs={"start": "document.render_started", "restart": "document.render_restarted",
           "finish": "document.rendered", "fail": "document.render_failed",
           "retry": "document.render_retried"},
    select_related=("organisation",),
)
