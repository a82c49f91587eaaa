from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.lib.widgets import SearchSelect

#: The directory's Person, reached through the account's link: accounts sit below the directory
#: in the app graph (the directory's pages use accounts' roles), so they never import it.
Person = User._meta.get_field("person").related_model


class PasswordSetForm(forms.Form):
    """An administrator's new password for someone who lost theirs (checked by the service
    against the password validators)."""

    password = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_new_%s")
        super().__init__(*args, **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100,
        help_text=_("What the token is for, e.g. “Weekly export notebook”."),
    )


class PersonField(forms.ModelChoiceField):
    """A person of the directory, picked by name (searched on the server as one types) and
    submitted as their employee id."""

    default_error_messages = {"invalid_choice": _("No person has the employee id “%(value)s”.")}

    def __init__(self, **kwargs: Any) -> None:
        # The directory's search URL by name: its view sits above accounts in the app graph.
        widget = SearchSelect(search_url=reverse_lazy("directory:people_pick"),
                              placeholder=_("Type a name"))
        super().__init__(queryset=Person._default_manager.select_related("business_unit"),
                         to_field_name="employee_id", widget=widget, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        unit = obj.business_unit
        return f"{obj.full_name} ({unit.name})" if unit else obj.full_name


class UserForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    person = PersonField(label=_("Person"), required=False,
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
