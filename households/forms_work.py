"""Forms of a member's work record and public-welfare post; the service does the checking, so
the fields here only parse (blank is allowed and answered by the service's own message)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from .codefields import ACTIVE_STATUS, POST_CODE_FIELDS, WORK_CODE_FIELDS
from .forms import MonthField, code_field
from .models import Household, PublicPost, WorkRecord
from .services.work import POST_FIELDS, WORK_FIELDS

# Plain YYYY-MM-DD text like the register's other dates (Chromium's picker showed mm/dd/yyyy).
DATE_WIDGET = forms.DateInput(attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}, format="%Y-%m-%d")


def _row(*names, css="col-md-4"):
    return Row(*(Column(name, css_class=css) for name in names))


class _MemberRecordForm(forms.ModelForm):
    """The member is one of the household's members still on the register."""

    code_fields: dict = {}
    # Checked by the service, so that every problem shows at once; marked here as required.
    marked_required: tuple[str, ...] = ("member",)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = household.members.filter(status=ACTIVE_STATUS).order_by("relation", "pk")
        member.label_from_instance = lambda m: m.name
        member.required = False
        member.empty_label = _("Choose the member")
        for name, list_name in self.code_fields.items():
            old = self.fields[name]
            self.fields[name] = code_field(list_name, label=old.label, required=False)
        for name, field in self.fields.items():
            if name != "member":
                field.required = False
        for name in self.marked_required:
            self.fields[name].label = f"{self.fields[name].label}*"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class WorkRecordForm(_MemberRecordForm):
    code_fields = WORK_CODE_FIELDS
    marked_required = ("member", "start_date", "county")

    class Meta:
        model = WorkRecord
        fields = WORK_FIELDS
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].help_text = _("Leave empty while the member still works there.")
        self.fields["county"].widget.attrs["placeholder"] = _("e.g. 浙江省宁波市鄞州区")
        self.fields["monthly_wage"].widget.attrs.update({"min": "0", "step": "1"})
        self.helper.layout = Layout(
            _row("member", "start_date", "end_date"),
            _row("county", "company", css="col-md-6"),
            _row("industry", "channel", "monthly_wage"),
        )


class PublicPostForm(_MemberRecordForm):
    code_fields = POST_CODE_FIELDS
    marked_required = ("member", "post_type", "hired_on", "months")
    months = forms.IntegerField(label=PublicPost._meta.get_field("months").verbose_name, required=False)
    hired_on = MonthField(label=PublicPost._meta.get_field("hired_on").verbose_name, required=False)

    class Meta:
        model = PublicPost
        fields = POST_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].widget.attrs.update({"min": "1", "max": "12"})
        self.fields["monthly_pay"].widget.attrs.update({"min": "0", "step": "1"})
        self.helper.layout = Layout(
            _row("member", "post_type", css="col-md-6"),
            _row("hired_on", "months", "monthly_pay"),
        )
