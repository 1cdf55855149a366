"""Benchmark: building the living demo city (``thidua seed-demo``) and running it again.

The first run builds every dossier, meeting, decision, certificate batch and register line
through the actions; the second finds it built and must change nothing, quickly. No floor
applies (it is a one-off command): the figures are seconds, with a target for each.

    .venv/bin/python -m bench.demo
"""

import time

TARGET_BUILD_S = 15.0
TARGET_RERUN_S = 1.0


def run() -> None:
    """Time the living city on a database holding the bare demo (``seed-demo --empty``)."""
    from django.test import override_settings

    from thidua.home.demo import seed_demo, seed_living_city
    from thidua.nominations.models import Dossier

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast:
        t0 = time.perf_counter()
        built = seed_living_city()
        t1 = time.perf_counter()
        dossiers = Dossier.objects.count()
        seed_demo()
        again = seed_living_city()
        t2 = time.perf_counter()
    assert built and not again and Dossier.objects.count() == dossiers
    print(f"living demo city: built in {t1 - t0:.2f} s ({dossiers} dossiers; target ≤ "
          f"{TARGET_BUILD_S:.0f} s); second run {t2 - t1:.2f} s, changes nothing (target ≤ "
          f"{TARGET_RERUN_S:.0f} s)")


if __name__ == "__main__":
    from bench.setup import demo_database

    demo_database()
    run()
