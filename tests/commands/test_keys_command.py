"""`rates keys webhook-secret`: a fresh secret alone on stdout, which the service reads as
its signing key and the receiver's library as the same one."""

from rates.cli import main
from rates.settings import WebhookSettings
from rates.webhooks.config import webhook_secret
from rates.webhooks.signing import sign
from tests.support.webhooks import T0, at_risk_event, verified

SETTINGS = WebhookSettings("https://shop.example.com/hooks/rates", "RATES_WEBHOOK_SECRET")


def minted(capsys) -> tuple[str, str]:
    assert main(["keys", "webhook-secret"]) == 0
    out, err = capsys.readouterr()
    (secret,) = out.splitlines()
    return secret, err


def test_webhook_secret_prints_a_secret_the_service_and_the_receiver_read_alike(capsys):
    secret, err = minted(capsys)
    key = webhook_secret(SETTINGS, {"RATES_WEBHOOK_SECRET": secret})
    assert len(key) == 32
    request = sign(key, "msg_1_1795455000000000", at_risk_event(), T0)
    assert verified(request.body, request.headers, T0, secret=secret) == at_risk_event()
    assert "webhooks.secret_env" in err


def test_each_secret_is_new(capsys):
    assert minted(capsys)[0] != minted(capsys)[0]
