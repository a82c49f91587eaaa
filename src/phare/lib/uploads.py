"""The file field of every import form: the right kind of file, within the size limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class ImportFileField(forms.FileField):
    """An uploaded file whose name ends with one of ``extensions`` and whose size stays under
    ``PHARE_MAX_IMPORT_BYTES``; ``wrong_type`` (with ``%(name)s``) says what was expected."""

    def __init__(self, *, extensions: tuple[str, ...], wrong_type: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.extensions, self.wrong_type = extensions, wrong_type

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(self.wrong_type, params={"name": upload.name})
        if upload.size > settings.PHARE_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={"size": filesizeformat(upload.size),
                        "limit": filesizeformat(settings.PHARE_MAX_IMPORT_BYTES)})
        return upload
