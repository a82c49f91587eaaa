"""What the identity systems keep in Phare: the people and groups a SCIM client provisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phare.directory.models import Person


class ScimUser(models.Model):
    """A directory person as a SCIM client (Entra ID, Okta) provisions them: its userName and
    externalId; the SCIM id is the person's id."""

    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                                  related_name="scim")
    user_name = models.CharField(_("user name"), max_length=300, unique=True)
    external_id = models.CharField(_("external id"), max_length=300, blank=True, db_index=True)
    #: Whether SCIM's ``active: false`` disabled the person's account, so that ``active: true``
    #: gives it back (an account disabled by an administrator stays disabled).
    account_disabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user_name"]
        verbose_name = _("provisioned user")
        verbose_name_plural = _("provisioned users")

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    """A group of the identity system, with its members; its name may give a role
    (``PHARE_SSO_ROLE_GROUPS``)."""

    display_name = models.CharField(_("name"), max_length=300, unique=True)
    external_id = models.CharField(_("external id"), max_length=300, blank=True, db_index=True)
    members = models.ManyToManyField(Person, verbose_name=_("members"), blank=True,
                                     related_name="scim_groups")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("provisioned group")
        verbose_name_plural = _("provisioned groups")

    def __str__(self) -> str:
        return self.display_name
