"""At-risk webhooks: events from the store's outbox, signed and POSTed to the merchant's
system, retried with backoff until it answers 2xx. docs/webhooks.md is the receiver's side.

Import from the modules (`config`, `signing`, `sender`, `dispatcher`): loading a
configuration needs only `config`, and must not pay for the sender's HTTP client and the
store it reads."""
