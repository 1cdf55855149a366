"""Demo exemplars for the plan-23 movement, made through the actions like real ones:
three published with consent (one model without a person), one submitted, one draft without
consent, and one citizen's suggestion waiting in the queue. Running it twice adds nothing."""

from datetime import date

from thidua.exemplars import actions
from thidua.exemplars.models import Exemplar, ExemplarKind, Suggestion
from thidua.movements.models import Movement, ParticipantKind
from thidua.orgs.models import Organisation, User

DEMO = [
    # (unit, recorder, kind, title, person, participant kind, publish (True, "submit", False),
    #  consent?, summary)
    ("phuong-song-cau", "canbo.songcau", ExemplarKind.GOOD_DEED,
     "Chị Nguyễn Thị Hạnh Phúc nấu cơm miễn phí cho khu cách ly", "Nguyễn Thị Hạnh Phúc",
     ParticipantKind.CITIZENS, True, True,
     "Suốt ba tuần, chị cùng hàng xóm nấu hơn 3.000 suất cơm cho người ở khu cách ly tập trung."),
    ("phuong-duc-xuan", "canbo.ducxuan", ExemplarKind.ADVANCED,
     "Tổ COVID cộng đồng tổ 5 phường Đức Xuân", "Tổ COVID cộng đồng tổ 5",
     ParticipantKind.FRONT_AND_MASS_ORGANISATIONS, True, True,
     "Tổ đi từng nhà lập danh sách người về từ vùng dịch, không để sót trường hợp nào."),
    ("phuong-duc-xuan", "canbo.ducxuan", ExemplarKind.MODEL,
     "Mô hình “Chợ 0 đồng” phường Đức Xuân", "",
     ParticipantKind.CITIZENS, True, False,
     "Gian hàng rau, gạo miễn phí cho người lao động mất việc, do Hội Phụ nữ phường duy trì."),
    ("phuong-song-cau", "canbo.songcau", ExemplarKind.CREATIVE,
     "Khai báo y tế bằng mã QR tại chợ Sông Cầu", "Đoàn Thanh niên phường Sông Cầu",
     ParticipantKind.FRONT_AND_MASS_ORGANISATIONS, "submit", True,
     "Đoàn viên in và dán mã QR ở mọi cổng chợ, hướng dẫn người cao tuổi khai báo."),
    ("phuong-song-cau", "canbo.songcau", ExemplarKind.GOOD_DEED,
     "Anh Hoàng Văn Sơn, tài xế chở hàng thiết yếu không lấy công", "Hoàng Văn Sơn",
     ParticipantKind.CITIZENS, False, False,
     "Anh dùng xe tải nhỏ của gia đình chở rau và nhu yếu phẩm cho các khu phong tỏa."),
]


def seed_exemplars(movement: Movement | None = None) -> list[Exemplar]:
    movement = movement or Movement.objects.get(number="23/KH-UBND")
    if Exemplar.objects.filter(movement=movement).exists():
        return list(Exemplar.objects.filter(movement=movement))
    editor = User.objects.get(username="bientap")
    area = movement.content_areas.order_by("order").first()
    made = []
    for code, recorder, kind, title, person, participant, publish, consent, summary in DEMO:
        by = User.objects.get(username=recorder)
        exemplar = actions.record_exemplar(
            movement=movement, organisation=Organisation.objects.get(code=code), by=by,
            kind=kind, title=title, summary=summary,
            story=f"<p>{summary}</p><p>Câu chuyện được đơn vị ghi lại để lan tỏa trong phong trào.</p>",
            person_name=person, shows_person=bool(person), content_area=area,
            participant_kind=participant, place=Organisation.objects.get(code=code).short_name,
            happened_on=date(2021, 11, 15))
        if consent and person:
            exemplar = actions.record_consent(exemplar, note="Đồng ý bằng văn bản, lưu tại đơn vị",
                                              by=by)
        if publish:
            exemplar = actions.submit_exemplar(exemplar, by=by)
            if publish is True:
                exemplar = actions.publish_exemplar(exemplar, by=editor)
        made.append(exemplar)
    if not Suggestion.objects.filter(movement=movement).exists():
        actions.submit_suggestion(
            movement=movement, name="Lê Văn Bình", contact="0912 345 678",
            about="Bác Ma Thị Lường, tổ 7 phường Nguyễn Thị Minh Khai",
            place="Phường Nguyễn Thị Minh Khai",
            text="Bác may hơn 2.000 khẩu trang vải tặng các chốt kiểm soát dịch.")
    return made
