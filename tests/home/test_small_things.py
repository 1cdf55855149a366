"""The small things officials notice: no log codes where people read, no silent "Huân chương
Lao động hạng Nhất" on a new dossier, fields that say what they are for, a readable navbar."""

import re
from pathlib import Path

import pytest

from thidua.core import activity
from thidua.core.models import Activity

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[2] / "thidua" / "core" / "static" / "thidua" / "app.css"


def test_the_admin_log_reads_labels_not_codes(council, personas, client_for):
    activity.record("meeting.close", actor=personas.mai, target=council)
    page = client_for(personas.admin).get("/quan-tri/core/activity/").content.decode()
    assert "Bế mạc phiên họp, công bố kết quả" in page  # the column and the filter
    text = re.sub(r"<[^>]+>", " ", page)
    assert "meeting.close" not in text and "meeting.open" not in text
    filtered = client_for(personas.admin).get("/quan-tri/core/activity/?verb=meeting.close")
    closes = Activity.objects.filter(verb="meeting.close").count()
    assert filtered.context["cl"].result_count == closes < Activity.objects.count()


def selected_award_form(html):
    select = html[html.index('name="award_form"'):]
    select = select[:select.index("</select>")]
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected>([^<]*)', select)
    return chosen.group(2) if chosen else None, select


def test_a_new_dossier_starts_with_no_form_then_the_one_most_dossiers_use(
        movement, personas, client_for, city_certificate):
    from tests.pipeline import new_draft

    url = f"/ho-so/phong-trao/{movement.slug}/tao-moi/"
    chosen, select = selected_award_form(client_for(personas.hanh).get(url).content.decode())
    assert chosen == "— Chọn hình thức khen thưởng —"
    assert "Huân chương Lao động hạng Nhất" in select  # offered, never preselected
    new_draft(movement, city_certificate, personas.hanh)
    chosen, _select = selected_award_form(client_for(personas.thu).get(url).content.decode())
    assert chosen == city_certificate.name
    # Choosing nothing is refused with the field's message, not a silent default.
    response = client_for(personas.thu).post(url, {"award_form": "", "procedure": "normal"})
    assert response.status_code == 200 and "award_form" in response.context["form"].errors


def test_the_dossier_form_says_the_meeting_date_is_needed_to_submit(movement, personas,
                                                                    client_for):
    page = client_for(personas.hanh).get(
        f"/ho-so/phong-trao/{movement.slug}/tao-moi/").content.decode()
    assert "Bắt buộc trước khi trình hồ sơ" in page


def test_nominee_fields_say_what_they_are_for(draft, personas, client_for):
    page = client_for(personas.hanh).get(f"/ho-so/{draft.pk}/them-nguoi/").content.decode()
    assert "Câu in trên giấy khen dưới tên người, tập thể được khen" in page
    assert "Nhóm đối tượng theo báo cáo thống kê khen thưởng" in page


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_navbar_links_reach_wcag_aa_contrast_on_the_brand_colour():
    css = CSS.read_text()
    brand = re.search(r"\.bg-brand \{ background-color: #(\w{6});", css).group(1)
    background = tuple(int(brand[i:i + 2], 16) for i in (0, 2, 4))
    alpha = float(re.search(r"--bs-navbar-color: rgba\(255, 255, 255, (\.\d+)\)", css).group(1))
    link = tuple(alpha * 255 + (1 - alpha) * c for c in background)  # drawn over the bar
    lighter, darker = sorted([luminance(link), luminance(background)], reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5
