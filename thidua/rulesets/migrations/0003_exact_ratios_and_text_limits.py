"""Quorum and vote thresholds become exact fractions; recusals stay in the base by default;
free texts get limits.

Data: a quorum of 66 % or 67 % was the rounded form of "two thirds" and becomes 2/3 (flagged
unverified, as DOMAIN.md marks the quorum [I]); any other percentage p becomes p/100 — the same
behaviour. A threshold p % becomes p/100. ``recusals_leave_base`` was an inferred default (on, and
in ``unverified_fields``) that contradicts the words "tổng số thành viên Hội đồng": where it was
still unconfirmed it is turned off; a value an official confirmed is kept.
"""

from fractions import Fraction

from django.db import migrations, models

import thidua.rulesets.fields

TWO_THIRDS_ROUNDED = {66, 67}
LIMITS = {"ruleset": {"name": 255, "legal_basis": 2000, "note": 2000},
          "awardform": {"name": 255, "short_name": 100, "note": 1000},
          "documentrequirement": {"note": 255}, "basesalary": {"legal_reference": 255}}


def _renamed(fields, old, new):
    return [new if name == old else name for name in fields]


def _ratio(percent):
    """p % as "n/d" in lowest terms (kept within 1 %–100 %, the range a ratio may take)."""
    ratio = Fraction(min(max(percent, 1), 100), 100)
    return f"{ratio.numerator}/{ratio.denominator}"


def forward(apps, schema_editor):
    for model_name, limits in LIMITS.items():
        model = apps.get_model("rulesets", model_name)
        for row in model.objects.all():
            for field, limit in limits.items():
                if len(getattr(row, field) or "") > limit:
                    raise RuntimeError(
                        f"{model_name} {row.pk}: {field} is longer than {limit} characters; "
                        f"shorten it before migrating.")
    RuleSet = apps.get_model("rulesets", "RuleSet")
    for rule_set in RuleSet.objects.all():
        unverified = _renamed(rule_set.unverified_fields, "quorum_percent", "quorum")
        if rule_set.quorum_percent in TWO_THIRDS_ROUNDED:
            rule_set.quorum = "2/3"
            if "quorum" not in unverified:
                unverified.append("quorum")
        else:
            rule_set.quorum = _ratio(rule_set.quorum_percent)
        if rule_set.recusals_leave_base and "recusals_leave_base" in unverified:
            rule_set.recusals_leave_base = False
            unverified.remove("recusals_leave_base")
        rule_set.unverified_fields = unverified
        rule_set.save(update_fields=["quorum", "recusals_leave_base", "unverified_fields"])
    AwardForm = apps.get_model("rulesets", "AwardForm")
    for form in AwardForm.objects.all():
        form.vote_threshold = (None if form.vote_threshold_percent is None
                               else _ratio(form.vote_threshold_percent))
        form.unverified_fields = _renamed(form.unverified_fields, "vote_threshold_percent",
                                          "vote_threshold")
        form.save(update_fields=["vote_threshold", "unverified_fields"])


def backward(apps, schema_editor):
    RuleSet = apps.get_model("rulesets", "RuleSet")
    for rule_set in RuleSet.objects.all():
        quorum = Fraction(rule_set.quorum)
        rule_set.quorum_percent = -(-quorum.numerator * 100 // quorum.denominator)  # ceiling
        rule_set.unverified_fields = _renamed(rule_set.unverified_fields, "quorum",
                                              "quorum_percent")
        rule_set.save(update_fields=["quorum_percent", "unverified_fields"])
    AwardForm = apps.get_model("rulesets", "AwardForm")
    for form in AwardForm.objects.all():
        threshold = None if form.vote_threshold is None else Fraction(form.vote_threshold)
        form.vote_threshold_percent = (None if threshold is None
                                       else round(threshold * 100))
        form.unverified_fields = _renamed(form.unverified_fields, "vote_threshold",
                                          "vote_threshold_percent")
        form.save(update_fields=["vote_threshold_percent", "unverified_fields"])


class Migration(migrations.Migration):

    dependencies = [
        ('rulesets', '0002_ruleset_recusals_leave_base_and_more'),
    ]

    operations = [
        # Nullable while both columns exist, so the way back can re-add it before refilling it.
        migrations.AlterField(
            model_name='ruleset',
            name='quorum_percent',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='Tỷ lệ thành viên tối thiểu có mặt (%)'),
        ),
        migrations.AddField(
            model_name='awardform',
            name='vote_threshold',
            field=thidua.rulesets.fields.FractionField(blank=True, help_text='Để trống khi pháp luật không quy định tỷ lệ riêng (khi đó cần trên một nửa). Ghi dạng phân số (ví dụ 2/3) hoặc phần trăm nguyên (ví dụ 90%); không dùng số thập phân.', null=True, verbose_name='Tỷ lệ phiếu đồng ý'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='quorum',
            field=thidua.rulesets.fields.FractionField(null=True, verbose_name='Tỷ lệ thành viên tối thiểu có mặt'),
        ),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name='ruleset',
            name='quorum',
            field=thidua.rulesets.fields.FractionField(help_text='Phiên họp Hội đồng hợp lệ khi số thành viên có mặt đạt từ tỷ lệ này của tổng số thành viên trở lên (hai phần ba: 2/3). Chưa đủ thì không bỏ phiếu được. Ghi dạng phân số (ví dụ 2/3) hoặc phần trăm nguyên (ví dụ 90%); không dùng số thập phân.', verbose_name='Tỷ lệ thành viên tối thiểu có mặt'),
        ),
        migrations.RemoveField(
            model_name='awardform',
            name='vote_threshold_percent',
        ),
        migrations.RemoveField(
            model_name='ruleset',
            name='quorum_percent',
        ),
        migrations.AlterField(
            model_name='awardform',
            name='name',
            field=models.CharField(help_text='Tối đa 255 ký tự.', max_length=255, verbose_name='Tên'),
        ),
        migrations.AlterField(
            model_name='awardform',
            name='note',
            field=models.CharField(blank=True, help_text='Tối đa 1000 ký tự.', max_length=1000, verbose_name='Ghi chú'),
        ),
        migrations.AlterField(
            model_name='awardform',
            name='short_name',
            field=models.CharField(blank=True, help_text='Tối đa 100 ký tự.', max_length=100, verbose_name='Tên ngắn'),
        ),
        migrations.AlterField(
            model_name='basesalary',
            name='legal_reference',
            field=models.CharField(help_text='Tối đa 255 ký tự.', max_length=255, verbose_name='Căn cứ'),
        ),
        migrations.AlterField(
            model_name='documentrequirement',
            name='note',
            field=models.CharField(blank=True, help_text='Tối đa 255 ký tự.', max_length=255, verbose_name='Ghi chú'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='legal_basis',
            field=models.CharField(help_text='Tối đa 2000 ký tự.', max_length=2000, verbose_name='Căn cứ pháp lý'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='name',
            field=models.CharField(help_text='Tối đa 255 ký tự.', max_length=255, verbose_name='Tên'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='note',
            field=models.CharField(blank=True, help_text='Tối đa 2000 ký tự.', max_length=2000, verbose_name='Ghi chú'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='recusals_leave_base',
            field=models.BooleanField(default=False, help_text='Mặc định không: tỷ lệ tính trên “tổng số thành viên Hội đồng” (hoặc số thành viên dự họp) đúng như lời văn của quy định, kể cả thành viên xin không biểu quyết. Chỉ bật khi văn bản áp dụng cho phép trừ; nếu giá trị chưa được kiểm chứng, trang phiên họp, kết quả và biên bản đều ghi rõ.', verbose_name='Thành viên không tham gia biểu quyết được trừ khỏi số tính tỷ lệ'),
        ),
    ]
