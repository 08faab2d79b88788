"""At-risk webhooks: events from the store's outbox, signed and POSTed to the merchant's
system, retried with backoff until it answers 2xx. docs/webhooks.md is the receiver's side."""

from rates.settings import WebhookSettings
from rates.webhooks.config import url_problem, webhook_secret
from rates.webhooks.dispatcher import WebhookDispatcher
from rates.webhooks.sender import WebhookSender, retry_delay
from rates.webhooks.signing import SignedRequest, sign, signature_for, verify

__all__ = ["SignedRequest", "WebhookDispatcher", "WebhookSender", "WebhookSettings", "retry_delay",
           "sign", "signature_for", "url_problem", "verify", "webhook_secret"]
