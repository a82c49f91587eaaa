from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from phare.accounts.models import User
from phare.accounts.roles import Role

#: The directory's Person, reached through the account's link: accounts sit below the directory
#: in the app graph (the directory's pages use accounts' roles), so they never import it.
Person = User._meta.get_field("person").related_model


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100,
        help_text=_("What the token is for, e.g. “Weekly export notebook”."),
    )


class PersonField(forms.CharField):
    """A person of the directory, typed as their employee id."""

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        try:
            # A model class read from the field's metadata: typed as any model, hence the base
            # manager and exception names (the same objects for Person).
            return Person._default_manager.get(employee_id=value)
        except ObjectDoesNotExist:
            raise forms.ValidationError(
                _("No person has the employee id “%(value)s”."), params={"value": value}
            ) from None


class UserForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    person = PersonField(label=_("Employee id"), required=False, max_length=40,
                         help_text=_("Links the account to a person of the directory."))
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(label=_("May log in"), required=False, initial=True)
    #: The account being edited (set by the view), which may keep its own person.
    user_pk: int | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        person = data.get("person")
        if person is not None:
            taken = User.objects.filter(person=person)
            if self.user_pk is not None:
                taken = taken.exclude(pk=self.user_pk)
            if taken.exists():
                self.add_error("person", _("This person already has an account."))
        return data


class UserCreateForm(UserForm):
    username = forms.SlugField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput,
                               help_text=password_validators_help_text_html)
    field_order = ["username", "role", "person", "email", "password", "is_active"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username
