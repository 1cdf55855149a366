from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "thidua.orgs"
    verbose_name = "Tổ chức và người dùng"
