"""The demo data set: Bắc Kạn city in 2021 and one account per role (all people fictional)."""

from pathlib import Path

import yaml
from django.db import transaction

from thidua.movements.loader import load_movement
from thidua.orgs import actions
from thidua.orgs.models import Organisation, User
from thidua.rulesets.loader import load_rule_sets

DEMO_FILE = Path(__file__).parent / "fixtures" / "demo-bac-kan-2021.yaml"


def demo_data() -> dict:
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def load_organisations(data: dict) -> int:
    created = 0
    for row in data["organisations"]:
        if Organisation.objects.filter(code=row["code"]).exists():
            continue
        parent = Organisation.objects.get(code=row["parent"]) if row["parent"] else None
        actions.create_organisation(
            code=row["code"], name=row["name"], short_name=row.get("short_name", ""),
            level=row["level"], kind=row["kind"], parent=parent, valid_from=data["valid_from"],
        )
        created += 1
    return created


@transaction.atomic
def load_accounts(data: dict) -> list[dict]:
    """Create the demo accounts that do not exist yet; returns every account for printing."""
    accounts = []
    for row in data["accounts"]:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            is_admin = row["role"] == "administrator"
            user = User.objects.create_user(
                username=row["username"], password=data["password"],
                full_name=row["full_name"], email=f"{row['username']}@example.invalid",
                is_staff=is_admin, is_superuser=is_admin,
            )
        if row["organisation"]:
            actions.grant_role(user, Organisation.objects.get(code=row["organisation"]),
                               row["role"], title=row.get("title", ""))
        accounts.append({**row, "password": data["password"]})
    return accounts


def seed_demo() -> list[dict]:
    data = demo_data()
    load_rule_sets()
    load_organisations(data)
    load_movement()
    return load_accounts(data)
