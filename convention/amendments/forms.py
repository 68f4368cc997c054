"""Forms of the amendment portal pages (the services do every check that touches the database)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from convention.amendments.models import ProposalChange, VoteChoice


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    rationale = forms.CharField(label=_("修订理由"), widget=forms.Textarea(attrs={"rows": 5}))


class ChangeForm(forms.Form):
    # A blank first choice: an extra form the member left empty must stay unchanged, so it is skipped.
    kind = forms.ChoiceField(label=_("修改方式"), choices=[("", "---------"), *ProposalChange.Kind.choices])
    article_number = forms.IntegerField(label=_("条号"), min_value=1, max_value=999)
    new_text = forms.CharField(label=_("新条文"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("段落之间以换行分隔；删除条款时留空"))


ChangeFormSet = forms.formset_factory(ChangeForm, extra=3, max_num=20, min_num=1, validate_min=True)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("表决意见"), choices=VoteChoice.choices, widget=forms.RadioSelect)
