"""The register's search gives the same people on SQLite and PostgreSQL (the trigram index on
PostgreSQL is only a faster way to the same rows), pages on, and answers in a bounded number of
queries."""

import pytest
from django.db import connection

from thidua.core.text import fold
from thidua.nominations.models import Subject

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn An", "NGUYỄN VĂN AN", "Nguyễn Văn Anh", "Nguyễn Văn Ân", "Đỗ Đức Đạt",
         "Ðỗ Đức Đạt", "Trần Thị Ngọc Ánh", "Trường Tiểu học Nguyễn Văn An", "Hà Văn Bình",
         "Lê Thị Hồng", "Nguyen Van An"]
QUERIES = ["nguyen van an", "Nguyễn Văn Ấn", "an", "do duc dat", "ĐỖ", "ngoc anh", "xyz",
           "văn", "tieu hoc"]


@pytest.fixture
def register():
    return [Subject.objects.create(kind="individual", name=name, birth_year=1970 + i)
            for i, name in enumerate(NAMES)]


@pytest.mark.parametrize("query", QUERIES)
def test_the_search_finds_exactly_the_folded_names_containing_the_folded_query(register, query):
    expected = {s.pk for s in register if fold(query) in fold(s.name)}
    assert set(Subject.objects.search(query).values_list("pk", flat=True)) == expected


def test_the_search_reads_an_index_on_postgresql_where_the_extension_exists():
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # the folded column, read as it is
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigram = cursor.fetchone() is not None
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = "
                       "'nominations_subject_name_trgm'")
        index = cursor.fetchone()
    assert trigram and index and "gin_trgm_ops" in index[0]


def test_results_page_twenty_at_a_time(personas, client_for):
    from thidua.nominations.models import AwardRecord

    for i in range(45):
        subject = Subject.objects.create(kind="individual", name=f"Nguyễn Văn An {i:02d}")
        AwardRecord.objects.create(subject=subject, award_name="Giấy khen",
                                   decision_number=f"{i}/QĐ", source=AwardRecord.Source.IMPORT)
    client = client_for(personas.mai)
    first = client.get("/so-khen-thuong/", {"q": "nguyen van an"}).content.decode()
    third = client.get("/so-khen-thuong/", {"q": "nguyen van an", "trang": 3}).content.decode()
    assert "Nguyễn Văn An 00" in first and "Nguyễn Văn An 19" in first
    assert "Nguyễn Văn An 20" not in first and "trang=2" in first
    assert "Nguyễn Văn An 44" in third and "Nguyễn Văn An 39" not in third
