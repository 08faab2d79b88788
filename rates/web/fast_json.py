"""Flask's JSON answers written by orjson (`rates.wire.jsontext`): a quote document is over
100 KB, and the standard library's encoder was a tenth of a quote's time."""

from __future__ import annotations

from typing import Any, cast

from flask import Response
from flask.json.provider import DefaultJSONProvider

from rates.wire.jsontext import dumps


class FastJson(DefaultJSONProvider):
    """Compact, keys in the order built. Values orjson does not know (Decimal, say) go
    through Flask's own encoder, as before."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            return super().dumps(obj, **kwargs)
        try:
            return dumps(obj).decode()
        except TypeError:
            return super().dumps(obj)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """The JSON answer, its bytes as orjson wrote them: not decoded to text for
        Werkzeug to encode again (a quote's answer is over 100 KB)."""
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body: bytes | str = dumps(obj)
        except TypeError:
            body = super().dumps(obj)
        response_class = cast("type[Response]", self._app.response_class)
        return response_class(body, mimetype=self.mimetype)
