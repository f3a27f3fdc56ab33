"""The notification outbox: one row per recipient, kind, subject and channel,
written by the sweeps with a unique key and delivered with retries.

See ``liaison/README.md`` (section "Notification outbox") for the delivery
guarantees and how a crash between the gateway's answer and our commit is
absorbed by the per-notification idempotency key.
"""
