from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "thidua.nominations"
    verbose_name = "Hồ sơ đề nghị khen thưởng"

    def ready(self):
        from thidua.core.activity import register_visibility
        from thidua.nominations import documents, packages  # noqa: F401  registers the kinds and package
        from thidua.nominations.models import Dossier

        # The log shows a dossier's rows only to whoever may see the dossier: an unsent draft
        # to its own unit, not to the council or the chairman above it.
        register_visibility(Dossier, lambda user: Dossier.objects.visible_to(user))
