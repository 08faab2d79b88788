"""The base of every schema: unknown keys are problems, with the closest known key.

A misspelt key ("handeling_days") would otherwise be dropped silently and its default
used, which is the hardest kind of configuration mistake to notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validates_schema

from rates.loading.checks import Check, Finding
from rates.loading.problems import did_you_mean


class Strict(Schema):
    class Meta:
        # Unknown keys are reported by `_unknown_keys` below, with a suggestion.
        unknown = EXCLUDE

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _unknown_keys(self, data: Any, original: Any, **kwargs: Any) -> None:
        if not isinstance(original, Mapping):
            return
        keys = [field.data_key or name for name, field in self.load_fields.items()]
        unknown = {key: [Finding(Check.UNKNOWN_KEY, f"unknown key {key!r}{did_you_mean(key, keys)}",
                                 at_key=True)]
                   for key in original if key not in keys}
        if unknown:
            raise ValidationError(unknown)
