"""The `thidua` admin commands."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.cli import main
from thidua.orgs.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_createadmin_makes_a_superuser_from_the_environment(demo, monkeypatch):
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", "Quan-tri-vien-2026!")
    out = io.StringIO()
    call_command("createadmin", username="admin2", email="a@example.invalid", stdout=out)
    user = User.objects.get(username="admin2")
    assert user.is_superuser and user.is_staff and user.check_password("Quan-tri-vien-2026!")
    assert "Đã tạo tài khoản quản trị" in out.getvalue()


def test_createadmin_refuses_a_weak_password_in_vietnamese(demo, monkeypatch):
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="Mật khẩu chưa đạt yêu cầu"):
        call_command("createadmin", username="admin3")
    assert not User.objects.filter(username="admin3").exists()


def test_createadmin_refuses_an_existing_name(demo, monkeypatch):
    monkeypatch.setenv("THIDUA_ADMIN_PASSWORD", "Quan-tri-vien-2026!")
    with pytest.raises(CommandError, match="đã tồn tại"):
        call_command("createadmin", username="quantri")


def test_seed_demo_if_empty_leaves_an_existing_database_alone(demo):
    before = Organisation.objects.count()
    out = io.StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert "không nạp dữ liệu mẫu" in out.getvalue()
    assert Organisation.objects.count() == before


def test_seed_demo_twice_adds_nothing_and_lists_every_role(demo):
    before = (Organisation.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("seed_demo", empty=True, stdout=out)
    assert (Organisation.objects.count(), User.objects.count()) == before
    for username in ["canbo.songcau", "vanphong", "noivu", "hoidong", "chutich", "bientap",
                     "thanhtra", "quantri"]:
        assert username in out.getvalue()
    # What the privileged accounts need for their second factor: the demo secret and links.
    printed = out.getvalue()
    assert "THIDUABACKANDEMOTHIDUABACKANDEMO" in printed
    assert "otpauth://totp/thidua%3Achutich?secret=THIDUABACKANDEMOTHIDUABACKANDEMO" in printed
    assert "otpauth://totp/thidua%3Acanbo.songcau" not in printed


def test_cli_translates_dashed_command_names(demo, capsys):
    main(["thidua", "seed-demo", "--if-empty"])
    assert "không nạp dữ liệu mẫu" in capsys.readouterr().out
