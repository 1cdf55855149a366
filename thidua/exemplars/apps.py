from django.apps import AppConfig


class ExemplarsConfig(AppConfig):
    name = "thidua.exemplars"
    verbose_name = "Gương điển hình"

    def ready(self):
        from django.db.backends.signals import connection_created

        from thidua.core.activity import register_visibility
        from thidua.exemplars import search
        from thidua.exemplars.models import Exemplar

        # SQLite has no diacritic folding of its own: the same Python fold the index uses is
        # given to every connection as THIDUA_FOLD (PostgreSQL gets an SQL function of the same
        # name from migration 0002).
        connection_created.connect(search.register_sqlite_fold, dispatch_uid="thidua_fold")
        register_visibility(Exemplar, lambda user: Exemplar.objects.visible_to(user))
